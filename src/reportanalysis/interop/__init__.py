"""Interoperability: REFI-QDA projects and codebooks, and coded-segment tables.

- :func:`export_qdpx` / :func:`import_qdpx` — whole projects with NVivo, ATLAS.ti, MAXQDA,
  QualCoder, Taguette … (``.qdpx``);
- :func:`export_qdc` / :func:`read_qdc` — codebooks (``.qdc``);
- :func:`export_segments` / :func:`import_segments` — one row per anecdote × code, as CSV or
  Excel;
- every import returns an :class:`ImportSummary`: what was added, what was skipped and why.

Files from elsewhere are untrusted: :mod:`.safety` checks archives and XML before parsing.
"""

from __future__ import annotations

from .files import export_file, import_file, import_qdc
from .qdc import export_qdc, read_qdc
from .qdpx import export_qdpx, import_qdpx
from .summary import ImportSummary
from .tables import SEGMENT_COLUMNS, export_segments, import_segments

__all__ = [
    "SEGMENT_COLUMNS",
    "ImportSummary",
    "export_file",
    "export_qdc",
    "export_qdpx",
    "export_segments",
    "import_file",
    "import_qdc",
    "import_qdpx",
    "import_segments",
    "read_qdc",
]
