"""The report's tables as an Excel workbook (openpyxl).

Sheets: overview, recommendations, anecdotes, labels, themes, practices, the theme × practice
and theme × kind matrices and the change between visits. Text that Excel could take for a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is stored as a
plain string with Excel's quote prefix: Excel shows it as typed and keeps it text when the
cell is edited, and the value itself stays exactly the report's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .structure import Recommendations

__all__ = ["FORMULA_PREFIXES", "write_xlsx"]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_WIDE = 80


def _clean(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    value = _clean(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _sheet(
    wb: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    wrap: Sequence[int] = (),
) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title[:31])
    bold, fill = Font(bold=True, color="15395B"), PatternFill("solid", fgColor="EEF2F7")
    for j, name in enumerate(header, 1):
        cell = _put(ws, 1, j, name)
        cell.font, cell.fill = bold, fill
    widths = [len(str(h)) for h in header]
    n = 1
    for n, row in enumerate(rows, 2):
        for j, value in enumerate(row, 1):
            cell = _put(ws, n, j, value)
            if j - 1 in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[j - 1] = max(widths[j - 1], min(len(str(value or "")), _WIDE))
    for j, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), _WIDE)
    ws.freeze_panes = "A2"
    if n > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n}"
    return ws


def write_xlsx(recs: Recommendations, path: str | Path) -> Path:
    """Write the workbook to ``path``."""
    from openpyxl import Workbook

    t = recs.t
    o = recs.overview
    wb = Workbook()
    wb.remove(wb.active)
    from .templating import agreement_header, agreement_summary

    _sheet(
        wb,
        t["sheet.overview"],
        [t["col.setting"], t["col.value"]],
        [
            (t["overview.reports"], o.n_reports),
            (t["overview.initiatives"], o.n_initiatives),
            (t["overview.visits"], ", ".join(str(v) for v in o.visits)),
            (t["overview.anecdotes"], o.n_anecdotes),
            (t["overview.themes"], o.n_themes),
            (t["overview.period"], f"{o.period_start or ''} – {o.period_end or ''}"),
            (t["overview.coders"], ", ".join(o.coders)),
            (t["overview.labels"], o.n_labels),
            (t["overview.agreement"], agreement_summary(o.agreement, t, recs.language)),
            *((c.label, c.count) for c in o.kinds),
            *(("seed", recs.appendix.seed),) * (recs.appendix.seed is not None),
            *recs.appendix.settings,
            *recs.appendix.versions,
        ],
    )
    _sheet(
        wb,
        t["sheet.recommendations"],
        [
            t["col.theme"],
            t["col.audience"],
            t["col.recommendation"],
            t["col.text"],
            t["col.sources"],
        ],
        [
            (r.theme_label, t[f"audience.{r.audience}"], r.lead, r.text, r.cite)
            for th in recs.themes
            for r in th.recommendations
        ],
        wrap=(3,),
    )
    _sheet(
        wb,
        t["sheet.anecdotes"],
        [
            t["col.ref"],
            "id",
            t["col.report"],
            "start",
            "end",
            t["col.place"],
            t["col.initiative"],
            t["col.visit"],
            t["col.section"],
            t["col.theme"],
            t["col.practice"],
            t["col.secondary_practice"],
            t["col.kind"],
            t["col.text"],
        ],
        [
            (
                a.ref,
                a.id,
                a.report_id,
                a.start,
                a.end,
                a.place,
                a.initiative,
                a.visit,
                a.section,
                a.theme_label,
                a.practice,
                a.secondary_practice,
                a.kind,
                a.text,
            )
            for a in recs.anecdotes
        ],
        wrap=(13,),
    )
    _sheet(
        wb,
        t["sheet.labels"],
        [
            t["col.ref"],
            t["col.anecdote"],
            t["col.code"],
            t["col.coder"],
            t["col.label_source"],
            t["col.confidence"],
            t["col.time"],
        ],
        [
            (lb.ref, lb.anecdote_id, lb.code, lb.coder, lb.source, lb.confidence, lb.time)
            for lb in recs.labels
        ],
    )
    _sheet(
        wb,
        t["sheet.themes"],
        [
            "id",
            t["col.theme"],
            t["col.size"],
            t["overview.reports"],
            t["overview.initiatives"],
            *(c.label for c in (recs.themes[0].kinds if recs.themes else ())),
            t["col.keywords"],
        ],
        [
            (
                th.id,
                th.label,
                th.size,
                th.n_reports,
                th.n_initiatives,
                *(c.count for c in th.kinds),
                ", ".join(th.keywords),
            )
            for th in recs.themes
        ],
    )
    _sheet(
        wb,
        t["sheet.practices"],
        [
            t["col.code"],
            t["col.name"],
            t["col.definition"],
            t["col.count"],
            *(t[f"kinds.{k}"] for k in ("succes", "knelpunt", "aanknopingspunt")),
        ],
        [
            (p.code, p.name, p.definition, p.count, *(c.count for c in p.kinds))
            for p in recs.practices
        ],
        wrap=(2,),
    )
    for key, matrix in (
        ("sheet.theme_practice", recs.theme_practice),
        ("sheet.theme_kind", recs.theme_kind),
    ):
        _sheet(
            wb,
            t[key],
            [t["col.theme"], *matrix.columns, t["col.total"]],
            [(r, *vals, sum(vals)) for r, vals in zip(matrix.rows, matrix.values, strict=True)],
        )
    if o.agreement is not None:
        _sheet(
            wb,
            t["sheet.agreement"],
            agreement_header(t),
            [
                (
                    r.code if r.code is not None else t["agreement.all"],
                    r.units,
                    r.percent,
                    r.kappa,
                    r.alpha,
                    r.disagreements,
                )
                for r in o.agreement.rows
            ],
        )
        _sheet(
            wb,
            t["sheet.disagreements"],
            ["ref", t["col.anecdote"], t["col.code"], t["col.with_code"], t["col.without_code"]],
            [
                (d.ref, d.anecdote_id, d.code, d.with_code, d.without_code)
                for d in o.agreement.disagreements
            ],
        )
    ch = recs.change
    if ch.available:
        first, second = (
            t["change.visit"].format(visit=ch.first),
            t["change.visit"].format(visit=ch.second),
        )
        ws = _sheet(
            wb,
            t["sheet.change"],
            [
                t["change.category"],
                "",
                first,
                f"{first} {t['change.share']}",
                second,
                f"{second} {t['change.share']}",
                "Δ",
            ],
            [
                (
                    group,
                    r.label,
                    r.count_first,
                    r.share_first,
                    r.count_second,
                    r.share_second,
                    r.delta,
                )
                for group, rows in (
                    (t["col.practice"], ch.by_practice),
                    (t["col.kind"], ch.by_kind),
                )
                for r in rows
            ],
        )
        if ch.left_out:  # below the table, where a filter or a pivot does not take it along
            _put(ws, ws.max_row + 2, 1, t["change.left_out"].format(n=ch.left_out, total=ch.total))
    if recs.actions:
        _sheet(
            wb,
            t["sheet.actions"],
            [t["col.initiative"], t["col.visit"], t["col.report"], t["col.section"], t["col.text"]],
            [(a.initiative, a.visit, a.report_id, a.section, a.text) for a in recs.actions],
            wrap=(4,),
        )
    path = Path(path)
    wb.save(path)
    return path
