"""The report as a Word document (python-docx): headings, tables and the charts as images.

python-docx writes text as text, so report text cannot become markup; characters XML does not
allow (control characters) are dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .charts import make_charts
from .templating import (
    agreement_header,
    agreement_rows,
    agreement_summary,
    kind_count,
    kind_label,
    pct,
    signed_pct,
)

if TYPE_CHECKING:
    from .structure import AnecdoteRef, Recommendations

__all__ = ["write_docx"]

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: Any) -> str:
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Any:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = _x(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _x(value)
    return table


def _quote(doc: Any, q: AnecdoteRef, t: Any) -> None:
    p = doc.add_paragraph(style="Quote")
    p.add_run(_x(q.text))
    cite = p.add_run(f"  ({q.ref} · {_x(q.report_id)}, {q.place})")
    cite.italic = True


def write_docx(recs: Recommendations, path: str | Path, *, charts: bool = True) -> Path:
    """Write the Word document to ``path``."""
    import docx
    from docx.shared import Cm

    t = recs.t
    o = recs.overview
    doc = docx.Document()
    doc.core_properties.title = _x(recs.title)
    doc.core_properties.language = recs.language
    # python-docx's template says US Letter and author "python-docx"; Dutch offices print A4.
    doc.core_properties.author = doc.core_properties.last_modified_by = "reportanalysis"
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    doc.add_heading(_x(recs.title), level=0)
    sub = t["subtitle"]
    if o.period_start:
        sub += f" · {o.period_start} – {o.period_end}"
    doc.add_paragraph(_x(sub))
    if not o.pseudonymised:
        doc.add_paragraph().add_run(t["overview.not_pseudonymised"]).bold = True

    doc.add_heading(t["summary"], level=1)
    doc.add_paragraph(
        t["summary.text"].format(
            anecdotes=o.n_anecdotes,
            reports=o.n_reports,
            initiatives=o.n_initiatives,
            themes=o.n_themes,
            n_succes=kind_count(o, "succes"),
            n_knelpunt=kind_count(o, "knelpunt"),
            n_aanknopingspunt=kind_count(o, "aanknopingspunt"),
        )
    )
    if recs.key_recommendations:
        doc.add_heading(t["summary.key_recommendations"], level=2)
        for r in recs.key_recommendations:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{t['audience.' + r.audience]} — {r.lead}: ").bold = True
            p.add_run(_x(r.text))
            p.add_run(f" ({t['rec.see']} {r.cite})").italic = True

    doc.add_heading(t["overview"], level=1)
    _table(
        doc,
        [t["col.setting"], t["col.value"]],
        [
            (t["overview.reports"], o.n_reports),
            (t["overview.initiatives"], o.n_initiatives),
            (t["overview.visits"], ", ".join(str(v) for v in o.visits) or t["overview.unknown"]),
            (t["overview.anecdotes"], o.n_anecdotes),
            (t["overview.period"], f"{o.period_start or '?'} – {o.period_end or '?'}"),
            (t["overview.coders"], ", ".join(o.coders) or "—"),
            (t["overview.agreement"], agreement_summary(o.agreement, t, recs.language)),
            *((c.label, f"{c.count} ({pct(c.share)})") for c in o.kinds),
        ],
    )
    if o.agreement is not None:
        ag = o.agreement
        doc.add_heading(t["overview.agreement"], level=2)
        doc.add_paragraph(_x(t["agreement.text"].format(coders=", ".join(ag.coders))))
        _table(doc, agreement_header(t), agreement_rows(ag, t, recs.language))
        doc.add_paragraph(
            t["agreement.pointer"].format(
                n=ag.overall.disagreements,
                section=t["appendix.disagreements"],
                sheet=t["sheet.disagreements"],
            )
            if ag.disagreements
            else t["agreement.no_disagreements"]
        )

    if charts:
        doc.add_heading(t["charts"], level=1)
        images = make_charts(recs, fmt="png", dpi=150)
        for name, caption in (
            ("practices", "chart.practices"),
            ("heatmap", "chart.heatmap"),
            ("kinds", "chart.kinds"),
        ):
            doc.add_picture(io.BytesIO(images[name]), width=Cm(16))
            doc.add_paragraph(t[caption], style="Caption")

    doc.add_heading(t["themes"], level=1)
    for i, th in enumerate(recs.themes, 1):
        doc.add_heading(f"{i}. {_x(th.label)}", level=2)
        doc.add_paragraph(
            t["theme.size_text"].format(
                size=th.size,
                reports=th.n_reports,
                n_reports=o.n_reports,
                report_share=pct(th.report_share),
                initiatives=th.n_initiatives,
                n_initiatives=o.n_initiatives,
                initiative_share=pct(th.initiative_share),
            )
        )
        doc.add_paragraph(" · ".join(t["count." + c.key].format(n=c.count) for c in th.kinds))
        if th.practices:
            doc.add_paragraph(
                f"{t['theme.practices']}: "
                + ", ".join(f"{_x(c.label)} ({c.count})" for c in th.practices)
            )
        doc.add_heading(t["theme.quotes"], level=3)
        for q in th.quotes:
            _quote(doc, q, t)
        doc.add_heading(t["theme.recommendations"], level=3)
        if not th.recommendations:
            doc.add_paragraph(t["theme.no_recommendations"])
        for r in th.recommendations:
            p = doc.add_paragraph(style="List Bullet")
            audience = t["audience." + r.audience + ".long"]
            p.add_run(t["rec.for"].format(audience=audience) + f" — {r.lead}: ").bold = True
            p.add_run(_x(r.text))
            p.add_run(f" ({t['rec.see']} {r.cite})").italic = True

    doc.add_heading(t["practices"], level=1)
    for pr in recs.practices:
        doc.add_heading(f"{_x(pr.code)} {_x(pr.name)}", level=2)
        doc.add_paragraph(
            t["practice.counts"].format(
                n=pr.count,
                n_succes=pr.kinds[0].count,
                n_knelpunt=pr.kinds[1].count,
                n_aanknopingspunt=pr.kinds[2].count,
            )
        )
        for title, items in (
            (t["practice.strengths"], pr.strengths),
            (t["practice.weak_spots"], pr.weak_spots),
        ):
            doc.add_heading(title, level=3)
            if not items:
                doc.add_paragraph(t["practice.none"])
            for q in items:
                _quote(doc, q, t)

    doc.add_heading(t["change"], level=1)
    ch = recs.change
    if not ch.available:
        doc.add_paragraph(t["change.none"])
    else:
        for title, rows in (
            (t["change.by_practice"], ch.by_practice),
            (t["change.by_kind"], ch.by_kind),
        ):
            doc.add_heading(title, level=3)
            _table(
                doc,
                [
                    t["change.category"],
                    t["change.visit"].format(visit=ch.first),
                    t["change.visit"].format(visit=ch.second),
                    "Δ",
                ],
                [
                    (
                        r.label,
                        f"{r.count_first} ({pct(r.share_first)})",
                        f"{r.count_second} ({pct(r.share_second)})",
                        signed_pct(r.delta),
                    )
                    for r in rows
                ],
            )
        for title, rows in ((t["change.rose"], ch.themes_rose), (t["change.fell"], ch.themes_fell)):
            text = ", ".join(f"{_x(r.label)} ({signed_pct(r.delta)})" for r in rows)
            doc.add_paragraph(f"{title}: {text or t['change.nothing']}")
    if ch.left_out:
        doc.add_paragraph(t["change.left_out"].format(n=ch.left_out, total=ch.total))

    doc.add_heading(t["actions"], level=1)
    doc.add_paragraph(t["actions.text" if recs.actions else "actions.none"])
    where = None
    for a in recs.actions:
        if a.where != where:
            where = a.where
            doc.add_heading(_x(where), level=3)
        doc.add_paragraph(_x(a.text), style="List Bullet")

    doc.add_heading(t["appendix"], level=1)
    doc.add_paragraph(t["appendix.text" if o.pseudonymised else "appendix.text.originals"])
    doc.add_heading(t["appendix.reports"], level=3)
    _table(
        doc,
        [
            t["col.report"],
            t["col.initiative"],
            t["col.visit"],
            t["col.date"],
            t["overview.anecdotes"],
        ],
        [
            (r.id, r.initiative or "", r.visit or "", r.date or "", r.anecdotes)
            for r in recs.appendix.reports
        ],
    )
    doc.add_heading(t["appendix.settings"], level=3)
    settings = [("seed", recs.appendix.seed)] if recs.appendix.seed is not None else []
    _table(
        doc,
        [t["col.setting"], t["col.value"]],
        settings
        + [kv for kv in recs.appendix.settings if kv[0] not in ("seed", "random_state")]
        + list(recs.appendix.versions),
    )
    if o.agreement is not None and o.agreement.disagreements:
        doc.add_heading(t["appendix.disagreements"], level=3)
        _table(
            doc,
            [t["col.ref"], t["col.code"], t["col.with_code"], t["col.without_code"]],
            [
                (d.ref or "—", d.code, d.with_code, d.without_code)
                for d in o.agreement.disagreements
            ],
        )
    doc.add_heading(t["appendix.anecdotes"], level=3)
    _table(
        doc,
        [
            t["col.ref"],
            t["col.report"],
            t["col.theme"],
            t["col.practice"],
            t["col.kind"],
            t["col.text"],
        ],
        [
            (
                a.ref,
                f"{a.report_id}, {a.place}",
                a.theme_label or "",
                a.practice or "—",
                kind_label(t, a.kind),
                a.text,
            )
            for a in recs.anecdotes
        ],
    )
    path = Path(path)
    doc.save(str(path))
    return path
