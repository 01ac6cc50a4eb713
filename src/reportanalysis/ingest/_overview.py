"""An overview table of the reports: one row per file, with its initiative, visit, date….

Analysts keep such a list beside the reports; many reports do not say in their own text which
visit they record. ``read_reports(paths, metadata_table="overzicht.xlsx")`` reads it and gives
each report the values of its row, over what the report's header says (the analyst's list is
the deliberate record). Column names are mapped like a header's keys
(:func:`~reportanalysis.ingest.normalise_key`: ``Bezoek``, ``visit`` → ``bezoek``), visit
numbers and dates are parsed the same way, and empty cells change nothing.

The file column is the first one named like a file (``bestand``, ``file``, ``verslag``,
``bron``, ``pad``…). A row matches the report whose source ends with the row's path: a bare
file name matches in any folder or zip, with or without its extension; ``bezoek2/anker.txt``
tells two ``anker.txt`` apart. A row that matches no report, or several, is named in a
:class:`MetadataWarning` and applied to none.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import MissingFileError, UnsupportedFormatError
from ..model import Report
from ._metadata import convert_value, normalise_key
from ._tables import csv_table, xlsx_tables

__all__ = ["FILE_COLUMNS", "MetadataWarning", "apply_metadata_table", "read_metadata_table"]

#: Names of the column that says which report a row describes (compared in lower case).
FILE_COLUMNS = (
    "bestand",
    "bestandsnaam",
    "file",
    "filename",
    "file name",
    "verslag",
    "report",
    "bron",
    "source",
    "pad",
    "path",
    "document",
)


class MetadataWarning(RuntimeWarning):
    """A row of the metadata table that was applied to no report (it matches none, or
    several). Not a ``UserWarning``: importing BERTopic installs a filter that ignores those."""


def _parts(name: str) -> tuple[str, ...]:
    """The lower-case path components of a file name, separators of any system."""
    return tuple(p for p in PurePosixPath(name.strip().replace("\\", "/").lower()).parts if p)


def read_metadata_table(path: str | Path) -> dict[tuple[str, ...], dict[str, Any]]:
    """``{path components of the file: metadata}`` from a ``.csv`` or ``.xlsx`` table.

    Raises :class:`~reportanalysis.errors.InputError` naming the table when it cannot be read,
    has no file column, or names one file twice.
    """
    path = Path(path).expanduser()
    source = str(path)
    if not path.is_file():
        raise MissingFileError(source, "the metadata table does not exist")
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".csv":
        table, _ = csv_table(data, source)
    elif suffix in (".xlsx", ".xlsm"):
        table = xlsx_tables(data, source)[0][1]
    else:
        raise UnsupportedFormatError(source, "give the metadata table as .csv or .xlsx")
    rows = [r for r in table if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise UnsupportedFormatError(source, "the metadata table needs a header and a row")
    header = [h.strip() for h in rows[0]]
    lowered = [h.lower() for h in header]
    file_col = next((lowered.index(n) for n in FILE_COLUMNS if n in lowered), None)
    if file_col is None:
        raise UnsupportedFormatError(
            source,
            f"has no column naming the files ({', '.join(FILE_COLUMNS[:4])}, …); "
            f"the columns are: {', '.join(h for h in header if h)}",
        )
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for number, row in enumerate(rows[1:], 2):
        name = row[file_col].strip() if file_col < len(row) else ""
        if not name:
            continue
        key = _parts(name)
        if key in out:
            raise UnsupportedFormatError(source, f"names {name!r} twice (row {number})")
        metadata: dict[str, Any] = {}
        for j, value in enumerate(row):
            if j != file_col and j < len(header) and header[j] and value.strip():
                convert_value(normalise_key(header[j]), value.strip(), metadata)
        out[key] = metadata
    return out


def _matches(row: tuple[str, ...], source: tuple[str, ...]) -> bool:
    """Whether a row's path is the end of a report's source path (the last part also
    without its extension)."""
    if not source or len(row) > len(source):
        return False
    tail = source[-len(row) :]
    if tail[:-1] != row[:-1]:
        return False
    return row[-1] in (tail[-1], PurePosixPath(tail[-1]).stem)


def apply_metadata_table(
    reports: Sequence[Report],
    table: Mapping[tuple[str, ...], Mapping[str, Any]],
    table_name: str = "metadata table",
) -> list[Report]:
    """The reports with the values of their table row over their own metadata.

    >>> r = Report(id="a", source="bezoek2/anker.txt", format="txt", text="Tekst.")
    >>> [x.metadata for x in apply_metadata_table([r], {("anker",): {"bezoek": 2}})]
    [{'bezoek': 2}]
    """
    sources = [_parts(r.source) for r in reports]
    by_name: dict[str, list[int]] = {}  # a file's name and stem → its reports
    for i, s in enumerate(sources):
        if s:
            for name in dict.fromkeys((s[-1], PurePosixPath(s[-1]).stem)):
                by_name.setdefault(name, []).append(i)
    found: dict[int, Mapping[str, Any]] = {}
    table_file = Path(table_name).name
    for row, metadata in table.items():
        hits = [i for i in by_name.get(row[-1], ()) if _matches(row, sources[i])]
        name = "/".join(row)
        if len(hits) == 1:
            found[hits[0]] = metadata
        elif not hits:
            _warn(f"{table_file}: {name!r} matches no report read; its row is not used")
        else:
            # The last folder and the file name: enough to tell them apart, and no more.
            which = ["/".join(sources[i][-2:]) for i in hits]
            _warn(
                f"{table_file}: {name!r} matches {len(hits)} reports ({', '.join(which[:3])}); "
                f"give the folder too ({which[0]!r}); its row is not used"
            )
    out = []
    for i, report in enumerate(reports):
        if i in found:
            report = dataclasses.replace(report, metadata={**report.metadata, **found[i]})
        out.append(report)
    return out


def _warn(message: str) -> None:
    warnings.warn(message, MetadataWarning, stacklevel=4)
