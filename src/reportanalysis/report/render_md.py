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
_DELIMITER_ROW = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_EMPHASIS_LINE = re.compile(r"^(\*\*|\*)[^*].*\1$")


def _block(line: str) -> str:
    if not line.strip():
        return "blank"
    if line.startswith("#") or _EMPHASIS_LINE.match(line):
        return "heading"  # a line in bold or italics alone is a heading too
    if line.startswith("|"):
        return "table"
    if line.startswith(("- ", "* ")):
        return "list"
    if line.startswith(">"):
        return "quote"
    return "text"


def tidy_markdown(text: str) -> str:
    """One blank line between blocks of different kinds, around headings (also a line in bold
    alone) and between two tables that follow each other.

    >>> tidy_markdown("# Kop\\ntekst\\n- punt\\n- punt\\n\\n\\n\\n| a |\\n")
    '# Kop\\n\\ntekst\\n\\n- punt\\n- punt\\n\\n| a |\\n'
    >>> tidy_markdown("| a |\\n|---|\\n| 1 |\\n| b |\\n|---|\\n**Kop**\\ntekst\\n")
    '| a |\\n|---|\\n| 1 |\\n\\n| b |\\n|---|\\n\\n**Kop**\\n\\ntekst\\n'
    """
    out: list[str] = []
    previous = "blank"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        kind = _block(line)
        new_table = (
            kind == "table"
            and i + 1 < len(lines)
            and bool(_DELIMITER_ROW.match(lines[i + 1]))
            and not _DELIMITER_ROW.match(line)
        )
        if (
            kind != "blank"
            and previous != "blank"
            and (kind != previous or kind in ("heading", "quote") or new_table)
        ):
            out.append("")
        out.append(line)
        previous = kind
    return _BLANKS.sub("\n\n", "\n".join(out)).strip("\n") + "\n"


def render_md(recs: Recommendations, *, template_dir: str | Path | None = None) -> str:
    """The report as Markdown text."""
    template = environment("md", template_dir).get_template("report.md.j2")
    return tidy_markdown(template.render(recs=recs, t=recs.t))
