"""Tables where each row is a report: ``.csv`` (dialect sniffed) and ``.xlsx`` (openpyxl).

The text column is the one with the longest average text unless it is named. A form with
several open questions (a column "Wat ging goed?" beside "Wat kan beter?") has several text
columns: every column whose average text is at least :data:`TEXT_SHARE` of the longest one's
and :data:`TEXT_MIN_CHARS` characters, or that asks a question ("…?") whose answers hold at least
:data:`TEXT_MIN_CHARS` characters on average. A row's report then holds each answer under its
question as a Markdown heading (``## Wat kan beter?``), so the splitter keeps the question as
the anecdotes' section and nothing of the row is lost. The other columns become metadata
(``metadata_columns`` restricts them); ``id_column`` names the ids.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import CorruptFileError, EmptyReportError, InputError, UnsupportedFormatError
from ._decode import decode_bytes
from ._metadata import convert_value, normalise_key
from ._office import safe_container
from ._safety import DEFAULT_LIMITS, Limits

__all__ = [
    "Row",
    "TableOptions",
    "csv_table",
    "read_csv",
    "read_xlsx",
    "rows_to_reports",
    "xlsx_tables",
]


#: A column is a text column when its average text is at least this share of the longest
#: column's average ...
TEXT_SHARE = 0.25
#: ... and at least this many characters (names, dates and places stay metadata).
TEXT_MIN_CHARS = 40


@dataclass(frozen=True)
class TableOptions:
    """``text_column``: the column with the text, or several (their answers become sections
    of the report, in this order); default: found by the length of their texts."""

    text_column: str | Sequence[str] | None = None
    id_column: str | None = None
    metadata_columns: Sequence[str] | None = None


@dataclass
class Row:
    """One report out of a table: its text, an id if the table names one, and metadata."""

    text: str
    row: int
    row_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _find(header: list[str], name: str, source: str, what: str) -> int:
    lowered = [h.strip().lower() for h in header]
    if name.strip().lower() in lowered:
        return lowered.index(name.strip().lower())
    raise UnsupportedFormatError(
        source, f"has no {what} column {name!r}; the columns are: {', '.join(header)}"
    )


def _heading(name: str) -> str:
    """A column name on one line, as a section heading."""
    return " ".join(name.split())


def _text_columns(
    header: list[str],
    body: list[list[str]],
    named: str | Sequence[str] | None,
    source: str,
    id_col: int | None,
) -> list[int]:
    """The text columns: the ones named, or those whose texts are long (see the module)."""
    if named is not None:
        names = [named] if isinstance(named, str) else list(named)
        return [_find(header, name, source, "text") for name in names]
    averages = [sum(len(r[i].strip()) for r in body) / len(body) for i in range(len(header))]
    best = max((i for i in range(len(header)) if i != id_col), key=lambda i: averages[i])
    floor = max(TEXT_MIN_CHARS, TEXT_SHARE * averages[best])

    def answered(i: int) -> float:  # the average answer, over the rows that answer at all
        filled = [len(r[i].strip()) for r in body if r[i].strip()]
        return sum(filled) / len(filled) if filled else 0.0

    cols = [
        i
        for i in range(len(header))
        if i != id_col
        and (
            averages[i] >= floor
            # an open question of a form ("Waar heb je bewondering voor?") with real answers
            or (header[i].rstrip().endswith("?") and answered(i) >= TEXT_MIN_CHARS)
        )
    ]
    return cols or [best]


def rows_to_reports(
    table: list[list[str]], source: str, options: TableOptions, extra: dict[str, Any]
) -> tuple[list[Row], list[InputError]]:
    """Rows (header first) → one :class:`Row` per data row that holds text."""
    table = [r for r in table if any(c.strip() for c in r)]
    if len(table) < 2:
        raise EmptyReportError(source, "holds no rows under the header")
    header = [h.strip() or f"kolom{i + 1}" for i, h in enumerate(table[0])]
    body = [r + [""] * (len(header) - len(r)) for r in table[1:]]
    id_col = _find(header, options.id_column, source, "id") if options.id_column else None
    text_cols = _text_columns(header, body, options.text_column, source, id_col)
    if options.metadata_columns is not None:
        meta_cols = [_find(header, c, source, "metadata") for c in options.metadata_columns]
    else:
        meta_cols = [i for i in range(len(header)) if i not in (*text_cols, id_col)]
    rows: list[Row] = []
    errors: list[InputError] = []
    for n, r in enumerate(body, 1):
        if len(text_cols) == 1:
            text = r[text_cols[0]]
        else:  # each answer under its question, as a heading the splitter takes as section
            text = "\n\n".join(
                f"## {_heading(header[i])}\n{r[i].strip()}" for i in text_cols if r[i].strip()
            )
        if not text.strip():
            where = ", ".join(repr(header[i]) for i in text_cols)
            errors.append(EmptyReportError(source, f"row {n} holds no text in {where}"))
            continue
        meta = dict(extra)
        meta["row"] = n
        for i in meta_cols:
            if r[i].strip():
                key = normalise_key(header[i])
                convert_value(key, r[i].strip(), meta)  # a date that does not exist is flagged
        row_id = r[id_col].strip() if id_col is not None and r[id_col].strip() else None
        rows.append(Row(text=text, row=n, row_id=row_id, metadata=meta))
    return rows, errors


class _Semicolon(csv.excel):
    delimiter = ";"


def csv_table(data: bytes, source: str) -> tuple[list[list[str]], str]:
    """The rows of a CSV file (encoding detected, dialect sniffed) and its encoding."""
    text, encoding = decode_bytes(data, source)
    sample = text[:16384]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = _Semicolon if sample.count(";") > sample.count(",") else csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect)), encoding
    except csv.Error as exc:
        raise CorruptFileError(source, f"is not readable CSV ({exc})") from None


def xlsx_tables(
    data: bytes, source: str, limits: Limits = DEFAULT_LIMITS
) -> list[tuple[str, list[list[str]]]]:
    """``(sheet title, rows)`` of every sheet of an .xlsx workbook with a header and a row."""
    safe_container(data, source, limits)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken workbooks
        raise CorruptFileError(source, f"is not a readable Excel workbook ({exc})") from None
    sheets = []
    try:
        for ws in wb.worksheets:
            table = [[_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
            if sum(1 for r in table if any(c.strip() for c in r)) >= 2:
                sheets.append((ws.title, table))
    finally:
        wb.close()
    if not sheets:
        raise EmptyReportError(source, "holds no sheet with a header and rows")
    return sheets


def read_csv(data: bytes, source: str, options: TableOptions) -> tuple[list[Row], list[InputError]]:
    """Reports from the rows of a CSV file (encoding detected, dialect sniffed)."""
    table, encoding = csv_table(data, source)
    return rows_to_reports(table, source, options, {"encoding": encoding})


def read_xlsx(
    data: bytes, source: str, options: TableOptions, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Row], list[InputError]]:
    """Reports from the rows of every sheet of an .xlsx workbook that holds a table."""
    rows: list[Row] = []
    errors: list[InputError] = []
    sheets = xlsx_tables(data, source, limits)
    for title, table in sheets:
        got, bad = rows_to_reports(table, source, options, {"sheet": title})
        if len(sheets) > 1:
            for r in got:
                r.row_id = r.row_id or f"{title}-{r.row}"
        rows.extend(got)
        errors.extend(bad)
    return rows, errors
