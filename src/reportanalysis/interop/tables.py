"""Coded segments as a table (CSV or Excel): one row per anecdote × code.

Columns: :data:`SEGMENT_COLUMNS` — ``report, start, end, text, code, coder, source,
confidence``. An anecdote without labels gets one row with an empty code, so a round trip keeps
it. ``start``/``end`` are ``str`` offsets into the report's text; on import the text in the row
must be what the report holds there (whitespace may differ: spreadsheets mangle line breaks),
else the row is skipped and reported.

Exports show pseudonymised text by default (the project's last run's privacy settings, see
:class:`~reportanalysis.privacy.Masking`): the ``text`` column holds the pseudonymised slice and
``report`` the id with names masked, while ``start``/``end`` keep pointing into the original
report. Import matches a row by report and offsets and accepts either text, so a pseudonymised
table comes back onto the original anecdotes. ``originals=True`` exports the original text
(treat that file like the project itself).

Cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be read as
formulas by a spreadsheet. In Excel files they are written as text cells with Excel's quote
prefix (the value is unchanged); in CSV files they get a leading apostrophe, which
:func:`import_segments` takes off again::

    >>> neutralise_csv("=HYPERLINK(\\"http://x\\")"), neutralise_csv("- een opsomming")
    ('\\'=HYPERLINK("http://x")', "'- een opsomming")
    >>> unneutralise_csv("'- een opsomming")
    '- een opsomming'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, CorruptFileError, UnsupportedFormatError
from ..model import LABEL_SOURCES
from .place import Span, place_spans
from .positions import normalise_space
from .safety import DEFAULT_LIMITS, Limits, SafeArchive, decode_text
from .summary import ImportSummary

if TYPE_CHECKING:
    from ..privacy import Masking
    from ..project import Project

__all__ = [
    "SEGMENT_COLUMNS",
    "export_segments",
    "import_segments",
    "neutralise_csv",
    "segment_rows",
    "unneutralise_csv",
]

SEGMENT_COLUMNS: tuple[str, ...] = (
    "report",
    "start",
    "end",
    "text",
    "code",
    "coder",
    "source",
    "confidence",
)
_REQUIRED = ("report", "start", "end", "text")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv(value: str) -> str:
    """A leading apostrophe before a cell a spreadsheet would take for a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def unneutralise_csv(value: str) -> str:
    """Take off the apostrophe :func:`neutralise_csv` put on."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _format(path: Path, fmt: str | None = None) -> str:
    if fmt in ("csv", "xlsx"):
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise UnsupportedFormatError(path, f"segments go to .csv or .xlsx, not {suffix!r}")


def segment_rows(project: Project, *, originals: bool = False) -> list[dict[str, Any]]:
    """The rows :func:`export_segments` writes, report by report, anecdote by anecdote.

    ``text`` and ``report`` are pseudonymised unless ``originals`` (or privacy was switched
    off for the project's last run); ``start``/``end`` always point into the original text.
    """
    from ..privacy import project_masking

    masking = None if originals else project_masking(project)
    by_anecdote: dict[str, list[Any]] = {}
    for lb in project.labels():
        by_anecdote.setdefault(lb.anecdote_id, []).append(lb)
    rows: list[dict[str, Any]] = []
    for a in project.anecdotes():
        base = {
            "report": masking.report_id(a.report_id) if masking else a.report_id,
            "start": a.start,
            "end": a.end,
            "text": masking.text(a.report_id, a.start, a.end) if masking else a.text,
        }
        labels = sorted(by_anecdote.get(a.id, []), key=lambda lb: (lb.code, lb.coder))
        if not labels:
            rows.append({**base, "code": "", "coder": "", "source": "", "confidence": None})
        for lb in labels:
            rows.append(
                {
                    **base,
                    "code": lb.code,
                    "coder": lb.coder,
                    "source": lb.source,
                    "confidence": lb.confidence,
                }
            )
    return rows


def export_segments(
    project: Project | str | Path,
    path: str | Path,
    *,
    fmt: str | None = None,
    originals: bool = False,
) -> Path:
    """Write the project's coded segments to ``path`` (``.csv`` or ``.xlsx``); returns it.

    ``fmt`` (csv, xlsx) overrides the extension. CSV is UTF-8 with a byte-order mark (so Excel
    opens it right), comma-separated. Texts and report ids are pseudonymised unless
    ``originals`` is True.
    """
    from ..project import Project

    if not isinstance(project, Project):
        with Project.open(project) as opened:
            return export_segments(opened, path, fmt=fmt, originals=originals)
    path = Path(path)
    fmt = _format(path, fmt)
    rows = segment_rows(project, originals=originals)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(SEGMENT_COLUMNS)
            for row in rows:
                writer.writerow(
                    [
                        neutralise_csv(v) if isinstance(v, str) else ("" if v is None else v)
                        for v in (row[c] for c in SEGMENT_COLUMNS)
                    ]
                )
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "segmenten"
    ws.append(list(SEGMENT_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(SEGMENT_COLUMNS, start=1):
            value = row[column]
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever it starts with
                if value.startswith(_FORMULA_START):
                    cell.quotePrefix = True
            else:
                cell.value = value
    ws.freeze_panes = "A2"
    ws.column_dimensions["D"].width = 80
    wb.save(path)
    return path


# --------------------------------------------------------------------------- import


def _read_csv(path: Path) -> list[dict[str, Any]]:
    text, _ = decode_text(path.read_bytes(), str(path), path.name)
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)  # Dutch Excel writes semicolons
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    return _records(rows, path, csv_cells=True)


def _read_xlsx(path: Path, limits: Limits) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    SafeArchive(path, limits).close()  # names, sizes and ratios checked before openpyxl reads
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise CorruptFileError(path, f"not a readable Excel workbook ({exc})") from None
    try:
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return _records(rows, path, csv_cells=False)


def _records(rows: Sequence[Sequence[Any]], path: Path, *, csv_cells: bool) -> list[dict[str, Any]]:
    if not rows:
        raise ConfigError(f"{path}: the table is empty")
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ConfigError(
            f"{path}: the header lacks {', '.join(missing)}; expected {', '.join(SEGMENT_COLUMNS)}"
        )
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in row):
            continue
        rec: dict[str, Any] = {"_row": n}
        for h, v in zip(header, row, strict=False):
            if h:
                rec[h] = unneutralise_csv(v) if csv_cells and isinstance(v, str) else v
        out.append(rec)
    return out


def _int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool):
        raise ValueError(value)
    return int(str(value).strip())


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def import_segments(
    path: str | Path,
    project: Project | str | Path,
    *,
    default_coder: str = "import",
    limits: Limits = DEFAULT_LIMITS,
) -> ImportSummary:
    """Read coded segments (``.csv``/``.xlsx``) into ``project``, whose reports they point into.

    Each row's text is checked against the report at start/end; a row whose report is missing
    or whose text differs is skipped and reported. Rows become anecdotes and labels as in
    :func:`.place.place_spans`; a row without a code only marks an anecdote. ``source`` keeps a
    known label source (else ``imported``), ``coder`` defaults to ``default_coder``.
    """
    from ..project import Project

    if not isinstance(project, Project):
        with Project.open_or_create(project) as opened:
            return import_segments(path, opened, default_coder=default_coder, limits=limits)
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such file")
    fmt = _format(path)
    records = _read_csv(path) if fmt == "csv" else _read_xlsx(path, limits)
    summary = ImportSummary(source=str(path))
    reports = {r.id: r for r in project.reports()}
    masking: list[Masking | None] = []  # built once, when a row needs it

    def masked() -> Masking | None:
        from ..privacy import project_masking

        if not masking:
            masking.append(project_masking(project) if reports else None)
        return masking[0]

    spans: list[Span] = []
    codes: set[str] = set()
    for rec in records:
        item = f"row {rec['_row']}"
        rid = _text(rec.get("report")).strip()
        report = reports.get(rid)
        if report is None and (m := masked()) is not None:  # a pseudonymised export's id
            report = reports.get(m.original_report_id(rid) or "")
            rid = report.id if report is not None else rid
        if report is None:
            summary.skip(item, f"no report {rid!r} in the project; import the reports first")
            continue
        try:
            start, end = _int(rec.get("start")), _int(rec.get("end"))
        except (TypeError, ValueError):
            summary.skip(item, f"start/end {rec.get('start')!r}-{rec.get('end')!r} are no numbers")
            continue
        if not 0 <= start < end <= len(report.text):
            summary.skip(
                item, f"span {start}-{end} lies outside report {rid!r} ({len(report.text)} chars)"
            )
            continue
        text, held = _text(rec.get("text")), report.text[start:end]
        if not _same(text, held) and (m := masked()) is not None:
            held = m.text(rid, start, end)  # a pseudonymised export shows this text
        if not _same(text, held):
            summary.skip(
                item,
                f"the text differs from report {rid!r} at {start}-{end} "
                f"(row: {normalise_space(text)[:40]!r}, report: {normalise_space(held)[:40]!r})",
            )
            continue
        code = _text(rec.get("code")).strip() or None
        source = _text(rec.get("source")).strip()
        confidence = _confidence(rec.get("confidence"), item, summary)
        coder = _text(rec.get("coder")).strip() or default_coder
        if code:
            codes.add(code)
        spans.append(
            Span(
                rid,
                start,
                end,
                code=code,
                coder=coder if code else None,
                source=source if source in LABEL_SOURCES else "imported",
                confidence=confidence,
                what=item,
            )
        )
    place_spans(project, spans, summary)
    summary.codes = len(codes)
    summary.users = len({s.coder for s in spans if s.coder})
    return summary


def _same(text: str, held: str) -> bool:
    return text == held or normalise_space(text) == normalise_space(held)


def _confidence(value: Any, item: str, summary: ImportSummary) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        summary.note(f"{item}: confidence {value!r} is no number; left out")
        return None
    if not 0.0 <= number <= 1.0 or number != number:
        summary.note(f"{item}: confidence {value!r} is not between 0 and 1; left out")
        return None
    return number
