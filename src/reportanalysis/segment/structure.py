"""The layout of a report: title, metadata, headings, guide questions, bullets and paragraphs.

Each non-blank line is classified; prose lines that wrap join into one paragraph. None of the
structural blocks is an anecdote; paragraphs and bullet items are candidates, and every block
remembers the heading or guide question it falls under (``section``).

    >>> text = "Verslag 1\\nDatum: 3 mei\\n\\nHoe gaat het?\\n- Goed, zegt Anneke\\nHij knikt."
    >>> for b in layout(text):
    ...     print(b.kind, "|", text[b.start:b.end], "|", b.section)
    title | Verslag 1 | None
    metadata | Datum: 3 mei | None
    question | Hoe gaat het? | Hoe gaat het?
    bullet | Goed, zegt Anneke | Hoe gaat het?
    paragraph | Hij knikt. | Hoe gaat het?
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..ingest import metadata_lines
from .sentences import _strip, continues, line_spans, wrap_width

__all__ = ["Block", "layout", "normalise_question"]

_BULLET = re.compile(r"^\s*(?:[-*•–—·▪○►◦]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)]|[a-z]\.)\s+(?=\S)")
_NUMBERED = re.compile(r"^\s*\(?\d{1,2}[.)]\s+(?=\S)")
_END_PUNCT = ".!?…;,"
_CLOSERS = "\"'’”»)]"  # closing quotes and brackets after a sentence's final mark
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
#: The marks of an interview written as questions and answers ("V: …" / "A: …", "Vraag 2:" /
#: "Antwoord:"): a question's section is named without its mark, an answer starts after it.
#: Always with a colon: "A. de Roos belde" is an initial, not an answer. Markdown's quote
#: marks ("> ") go the same way.
_QUESTION_MARK = re.compile(r"^\s*(?:V|Q|Vraag)(?:\s*\d{1,2})?\s*:\s*(?=\S)")
_ANSWER_MARK = re.compile(r"^\s*(?:>\s*)*(?:(?:A|Antw\.?|Antwoord)\s*:\s*)?(?=\S)")
#: The cell separator ingest writes between the cells of a table row (Word, ODT, HTML).
_CELL = " | "


@dataclass(frozen=True)
class Block:
    """A block of the layout. ``start``/``end`` exclude whitespace and bullet markers."""

    kind: str  # title | metadata | heading | question | label | table | bullet | paragraph
    # (a table row with text is a bullet from its first cell of text on)
    start: int
    end: int
    section: str | None = None
    line: int = 0  # 0-based number of the block's first line


def normalise_question(text: str) -> str:
    """Lower-case letters and digits only, for matching guide questions.

    >>> normalise_question("1. Hoe verloopt de samenwerking?")
    'hoe verloopt de samenwerking'
    >>> normalise_question("Vraag 2: Wat kan beter?")
    'wat kan beter'
    """
    text = _QUESTION_MARK.sub("", _NUMBERED.sub("", text))
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"[^\W_]+", text))


def plain(line: str) -> str:
    """A line without Markdown heading marks and emphasis around it or its key.

    >>> plain("## Wat is er gebeurd?"), plain("**Datum:** 3 mei"), plain("*Noot*")
    ('Wat is er gebeurd?', 'Datum: 3 mei', 'Noot')
    """
    s = _MD_HEADING.sub("", line.strip())
    s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
    if len(s) > 2 and s[0] == s[-1] and s[0] in "*_" and s[1] not in " *_":
        s = s[1:-1]
    return s.strip()


def _words(text: str) -> int:
    return len(text.split())


def _short_cell(cell: str, max_words: int) -> bool:
    cell = cell.strip()
    return _words(cell) <= max_words and cell[-1:] not in ".!?…"


def _table_text(row: str, max_words: int) -> int | None:
    """Where the text of a table row starts (after its leading short cells: "Vergunning |
    De ontheffing duurde …"), or None when every cell is short.

    >>> row = "Vergunning | De ontheffing duurde vier maanden."
    >>> row[_table_text(row, 10):], _table_text("Onderwerp | Ervaring", 10)
    ('De ontheffing duurde vier maanden.', None)
    """
    pos = 0
    for cell in row.split(_CELL):
        if not _short_cell(cell, max_words):
            return pos + len(cell) - len(cell.lstrip())
        pos += len(cell) + len(_CELL)
    return None


def _classify(
    line: str,
    *,
    metadata: bool,
    questions: frozenset[str],
    heading_max_words: int,
    question_max_words: int,
) -> str:
    markdown_heading = bool(_MD_HEADING.match(line))
    stripped = line.strip()
    if len(stripped) > 1 and stripped[0] == "|" and stripped[-1] == "|":
        return "table"  # a Markdown table row: structure (status lists), not an anecdote
    if _CELL in stripped and not _table_text(stripped, heading_max_words):
        return "table"  # a row of short cells (a header row, a status table): structure
    if metadata:
        return "metadata"
    s = plain(line)
    if not s:
        return "heading" if markdown_heading else "prose"
    core = _NUMBERED.sub("", s).strip()
    if questions and normalise_question(s) in questions:
        return "question"
    if core.endswith("?") and (_words(core) <= question_max_words or markdown_heading):
        return "question"
    if markdown_heading:
        return "heading"
    if _BULLET.match(s) and not _NUMBERED.match(s):
        return "bullet"
    if _CELL in stripped:
        return "row"
    if s.endswith(":") and _words(s) <= heading_max_words:
        return "label"
    if _NUMBERED.match(s):
        no_end = core[-1:] not in _END_PUNCT
        return "heading" if no_end and _words(core) <= heading_max_words else "bullet"
    if s[-1:] not in _END_PUNCT + "’”\"')" and _words(s) <= heading_max_words and s[:1].isupper():
        return "heading"
    return "prose"


def layout(
    text: str,
    *,
    guide_questions: Sequence[str] = (),
    heading_max_words: int = 10,
    question_max_words: int = 30,
) -> list[Block]:
    """The blocks of a report in order.

    ``guide_questions`` are lines of the conversation guide, recognised however they are
    numbered or cased, even without a question mark. A line is a *heading* when it has at most
    ``heading_max_words`` words, starts upper-case and has no final punctuation; a *question* when
    it ends in "?" and has at most ``question_max_words`` words; a *label* when it ends in ":".
    The lines :func:`reportanalysis.ingest.metadata_lines` reads as the metadata block
    (``Key: value`` lines at the top, ended by a blank line or other text; a known key among
    them; keys that are short labels and values that are not running text) are *metadata*,
    unless a heading or paragraph came first; the first line is the *title* unless it is
    metadata.
    """

    questions = frozenset(normalise_question(q) for q in guide_questions)
    lines = line_spans(text)
    width = wrap_width(text)
    blocks: list[Block] = []
    section: str | None = None
    header_zone = True
    para: list[int] = []  # line numbers of the open paragraph
    meta = set(metadata_lines([text[ls:le] for ls, le in lines[:40]]))

    def close_paragraph() -> None:
        if para:
            s, e = _strip(text, lines[para[0]][0], lines[para[-1]][1])
            answer = _ANSWER_MARK.match(text[s:e])
            if answer and answer.end() < e - s:
                s = s + answer.end()
            blocks.append(Block("paragraph", s, e, section, para[0]))
            para.clear()

    for n, (ls, le) in enumerate(lines):
        line = text[ls:le]
        if not line.strip():
            close_paragraph()
            continue
        if para and continues(text[lines[para[-1]][0] : lines[para[-1]][1]], line, width):
            para.append(n)
            continue
        close_paragraph()
        kind = _classify(
            line,
            metadata=header_zone and n in meta,
            questions=questions,
            heading_max_words=heading_max_words,
            question_max_words=question_max_words,
        )
        s, e = _strip(text, ls, le)
        if (
            not blocks
            and kind in ("heading", "label", "prose")
            and _words(line) <= 20
            and not _NUMBERED.match(line)
            and (kind != "prose" or line.strip().rstrip(_CLOSERS)[-1:] not in ".!?…")
        ):
            kind = "title"
        if kind == "prose":
            header_zone = False
            para.append(n)
            continue
        if kind == "bullet":
            header_zone = False
            m = _BULLET.match(line) or _NUMBERED.match(line)
            s = ls + (m.end() if m else 0)
            s, e = _strip(text, s, le)
            blocks.append(Block("bullet", s, e, section, n))
            continue
        if kind == "row":  # a table row with text: an item, from its first cell of text on
            header_zone = False
            s, e = _strip(text, ls + (_table_text(line, heading_max_words) or 0), le)
            blocks.append(Block("bullet", s, e, section, n))
            continue
        if kind in ("heading", "question"):
            header_zone = False
            section = _NUMBERED.sub("", plain(text[s:e])).strip()
            section = _QUESTION_MARK.sub("", section).rstrip(":").strip()
        elif kind == "label" and _words(line) > 3:
            header_zone = False
            section = plain(text[s:e]).rstrip(":").strip()
        blocks.append(Block(kind, s, e, section if kind not in ("title", "metadata") else None, n))
    close_paragraph()
    # A heading's own section is itself; blocks before any heading have none.
    return blocks
