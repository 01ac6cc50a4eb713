"""The Jinja2 environments for the HTML and Markdown templates, and their filters.

A user folder given as ``template_dir`` is searched first, so a ``report.html.j2`` or
``report.md.j2`` there replaces ours (copy ours from ``reportanalysis/report/templates``).
HTML is always autoescaped; in Markdown every value from the data passes the ``md`` filter.

>>> md_escape("<script>alert(1)</script> *vet* | #1")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\*vet\\\\* \\\\| \\\\#1'
>>> md_escape("1. punt"), md_escape("0.797"), md_escape("- streep")
('1\\\\. punt', '0.797', '\\\\- streep')
>>> pct(0.125), signed_pct(-0.05)
('12%', '−5 pp')
>>> decimal(-0.3000001, "nl"), decimal(0.625, "en"), decimal(None, "nl")
('−0,30', '0.62', '—')
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .structure import Agreement

__all__ = ["TEMPLATE_DIR", "decimal", "environment", "md_escape", "pct", "signed_pct"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&!~{}])")
_MD_LINE_START = re.compile(r"^(?:([-+=>])|(\d+)([.)])(?=\s|$))")


def md_escape(value: Any) -> str:
    """Text that Markdown shows literally: one line, markup characters backslash-escaped."""
    text = " ".join(str("" if value is None else value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def pct(share: float) -> str:
    """A share in 0..1 as a whole percentage."""
    return f"{round(100 * float(share)):d}%"


def signed_pct(delta: float) -> str:
    """A change of share in percentage points, with its sign."""
    points = round(100 * float(delta))
    if points > 0:
        return f"+{points} pp"
    if points < 0:
        return f"−{-points} pp"
    return "0 pp"


def decimal(value: Any, language: str = "nl", places: int = 2) -> str:
    """A figure rounded to ``places`` decimals, with a decimal comma in Dutch and a true
    minus sign; a dash for a missing figure."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    text = f"{float(value):.{places}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "−0,00"
    if language == "nl":
        text = text.replace(".", ",")
    return text.replace("-", "−")


def agreement_pct(value: Any) -> str:
    """A share as a whole percentage, a dash when missing."""
    return "—" if value is None else pct(value)


def fmt(value: Any) -> str:
    """Numbers to three decimals, everything else as text."""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def agreement_summary(agreement: Agreement | None, t: Any, language: str) -> str:
    """The agreement in one line (overall α and percentage, where the table is)."""
    if agreement is None:
        return str(t["overview.no_agreement"])
    return t["overview.agreement_summary"].format(
        alpha=decimal(agreement.overall.alpha, language),
        percent=agreement_pct(agreement.overall.percent),
        section=t["overview.agreement"],
    )


def agreement_rows(agreement: Agreement, t: Any, language: str) -> list[tuple[Any, ...]]:
    """The agreement table's rows: code, anecdotes, % equal, κ, α, disagreements."""
    return [
        (
            r.code if r.code is not None else t["agreement.all"],
            r.units,
            agreement_pct(r.percent),
            decimal(r.kappa, language),
            decimal(r.alpha, language),
            r.disagreements,
        )
        for r in agreement.rows
    ]


def agreement_header(t: Any) -> list[str]:
    return [
        t["col.code"],
        t["agreement.units"],
        t["agreement.percent"],
        t["agreement.kappa"],
        t["agreement.alpha"],
        t["agreement.disagreements"],
    ]


def kind_count(overview: Any, kind: str) -> int:
    return next((c.count for c in overview.kinds if c.key == kind), 0)


def kind_label(t: Any, kind: str | None) -> str:
    """A kind ("knelpunt") in the report's language ("bottleneck"); other values as given."""
    from .build import KINDS  # build imports this module

    return str(t[f"kind.{kind}"]) if kind in KINDS else (kind or "")


@functools.lru_cache(maxsize=8)
def environment(kind: str, template_dir: str | Path | None = None) -> Any:
    """A Jinja2 environment for ``"html"`` (autoescape on) or ``"md"`` templates.

    One per kind and template folder per process, so templates are compiled once; Jinja2
    still reloads a template whose file changed (an analyst editing their own template).
    """
    import jinja2

    from .. import __version__
    from .build import KINDS

    paths = [str(template_dir)] if template_dir else []
    paths.append(str(TEMPLATE_DIR))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths),
        autoescape=(kind == "html"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=(kind == "md"),
        lstrip_blocks=(kind == "md"),
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape, pct=pct, signed_pct=signed_pct, decimal=decimal, share=agreement_pct
    )
    env.globals.update(
        fmt=fmt, kind_count=kind_count, kind_label=kind_label, version=__version__, kinds=KINDS
    )
    return env
