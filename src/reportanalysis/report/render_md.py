"""The report as Markdown (``report.md.j2``); data text is escaped, never markup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .templating import environment

if TYPE_CHECKING:
    from .structure import Recommendations

__all__ = ["render_md", "tidy_markdown"]

_BLANKS = re.compile(r"\n{3,}")


def _block(line: str) -> str:
    if not line.strip():
        return "blank"
    if line.startswith("#"):
        return "heading"
    if line.startswith("|"):
        return "table"
    if line.startswith(("- ", "* ")):
        return "list"
    if line.startswith(">"):
        return "quote"
    return "text"


def tidy_markdown(text: str) -> str:
    """One blank line between blocks of different kinds and around headings.

    >>> tidy_markdown("# Kop\\ntekst\\n- punt\\n- punt\\n\\n\\n\\n| a |\\n")
    '# Kop\\n\\ntekst\\n\\n- punt\\n- punt\\n\\n| a |\\n'
    """
    out: list[str] = []
    previous = "blank"
    for line in text.splitlines():
        kind = _block(line)
        if (
            kind != "blank"
            and previous != "blank"
            and (kind != previous or kind == "heading" or kind == "quote")
        ):
            out.append("")
        out.append(line)
        previous = kind
    return _BLANKS.sub("\n\n", "\n".join(out)).strip("\n") + "\n"


def render_md(recs: Recommendations, *, template_dir: str | Path | None = None) -> str:
    """The report as Markdown text."""
    template = environment("md", template_dir).get_template("report.md.j2")
    return tidy_markdown(template.render(recs=recs, t=recs.t))
