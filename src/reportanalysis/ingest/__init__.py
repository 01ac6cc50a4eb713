"""Reading reports: one reader per format, format detection and the metadata header.

>>> from reportanalysis.ingest import parse_metadata
>>> parse_metadata("Initiative: De Moestuin\\nVisit: 1\\nDate: 2023-07-13\\n\\nTekst.")
{'initiatief': 'De Moestuin', 'bezoek': 1, 'datum': '2023-07-13'}

``read_reports(paths)`` reads files, folders and zips into :class:`~reportanalysis.model.Report`
objects (text exactly as decoded, so offsets index it) and returns an :class:`IngestResult` with
the reports, the inputs it skipped (each an :class:`~reportanalysis.errors.InputError` naming the
file and the reason) and the duplicates it left out. ``metadata_table=`` names a ``.csv`` or
``.xlsx`` list with a row per file (initiative, visit, date) for what the reports do not say
themselves.
"""

from __future__ import annotations

from ._decode import decode_bytes
from ._detect import EXTENSIONS, detect_format
from ._metadata import metadata_field, metadata_lines, normalise_key, parse_date, parse_metadata
from ._overview import MetadataWarning, apply_metadata_table, read_metadata_table
from ._read import CopyWarning, IngestResult, nothing_read, read_report, read_reports
from ._safety import DEFAULT_LIMITS, Limits

__all__ = [
    "CopyWarning",
    "DEFAULT_LIMITS",
    "EXTENSIONS",
    "IngestResult",
    "Limits",
    "MetadataWarning",
    "apply_metadata_table",
    "decode_bytes",
    "detect_format",
    "metadata_field",
    "metadata_lines",
    "normalise_key",
    "nothing_read",
    "parse_date",
    "parse_metadata",
    "read_metadata_table",
    "read_report",
    "read_reports",
]
