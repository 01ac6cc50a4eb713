"""Dutch sentence spans: spaCy's blank Dutch tokenizer and sentencizer, plus rules for report prose.

spaCy's Dutch tokenizer already keeps abbreviations (``bijv.``, ``o.a.``, ``d.w.z.``, ``dhr.``),
times (``21.30``) and amounts (``1.500,-``) whole. On top of it:

- a line break ends a sentence unless the line looks hard-wrapped (long, no final punctuation);
  so note lines without final punctuation are sentences of their own;
- an opening quotation mark that the sentencizer left at the end of a sentence moves to the next;
- a split after an abbreviation-like token (``z.s.m.``) followed by a lower-case word, after a
  title (``mw.``, ``drs.``: :data:`ABBREVIATIONS`) or after a quoted question followed by a
  lower-case word (‘Waarom?’ zegt ze) is undone;
- spans never include surrounding whitespace.

    >>> text = "Dhr. Jansen kwam om 21.30 uur, o.a. voor de buurt. Hij betaalde € 1.500,-."
    >>> [text[s:e] for s, e in SentenceSplitter().spans(text)]
    ['Dhr. Jansen kwam om 21.30 uur, o.a. voor de buurt.', 'Hij betaalde € 1.500,-.']
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from ..dutch import cached_batch

__all__ = ["SentenceSplitter", "continues", "line_spans", "sentences", "wrap_width"]

_TERMINAL = ".!?…:;"
_CLOSERS = "’”\"')]»"
_OPENERS = "‘“„«\"'("
_ABBREV_LIKE = re.compile(r"^(?:[A-Za-z]\.){2,}$")
#: Titles and abbreviations that spaCy's Dutch tokenizer may take for a sentence end.
ABBREVIATIONS: frozenset[str] = frozenset(
    [
        "mw.",
        "mevr.",
        "mevrouw.",
        "dhr.",
        "hr.",
        "mr.",
        "drs.",
        "dr.",
        "ir.",
        "ing.",
        "prof.",
        "bc.",
        "st.",
        "jl.",
        "a.s.",
        "resp.",
        "incl.",
        "excl.",
        "evt.",
        "ong.",
        "ca.",
        "nr.",
        "tel.",
        "blz.",
        "zgn.",
        "vnl.",
        "bijv.",
        "bv.",
        "o.a.",
        "m.b.t.",
        "t.a.v.",
        "i.p.v.",
        "z.s.m.",
    ]
)
_ABBREV_END = re.compile(r"^(?:[A-Za-z]\.){2,}$|^[a-z]{1,5}\.$")
_WS = " \t\r\n\f\v\u00a0"


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its line ending (``\\n``, ``\\r\\n`` or ``\\r``).

    >>> line_spans("ab\\r\\ncd\\n\\nef")
    [(0, 2), (4, 6), (7, 7), (8, 10)]
    """
    spans = []
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if m.start() == len(text) and m.group() == "":
            break
        line = m.group().rstrip("\r\n")
        spans.append((m.start(), m.start() + len(line)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


def wrap_width(text: str) -> int:
    """The column a hard-wrapped text was wrapped at: the 90th percentile of its line lengths.

    >>> wrap_width("een twee drie\\nvier\\nvijf zes zeven acht")
    19
    """
    widths = sorted(len(text[s:e].rstrip()) for s, e in line_spans(text) if text[s:e].strip())
    return widths[min(len(widths) - 1, int(0.9 * len(widths)))] if widths else 0


def continues(line: str, next_line: str, width: int) -> bool:
    """Whether ``next_line`` continues ``line`` of a hard-wrapped paragraph.

    True when ``line`` has no final punctuation, the first word of ``next_line`` would not have
    fitted on it within ``width`` (15% slack for ragged wrapping; or ``next_line`` starts
    lower-case after a line of at least 60% of ``width``), and ``next_line`` is not
    heading-like (short, capitalised, no final punctuation).

    >>> continues("De gemeente heeft het plan na lang wachten", "goedgekeurd.", 45)
    True
    >>> continues("Samenwerking loopt goed", "Energie", 45)
    False
    """
    prev = line.rstrip()
    nxt = next_line.strip()
    if not prev or not nxt:
        return False
    last = prev.split()[-1]
    abbreviation = bool(_ABBREV_END.match(last)) and nxt[:1].islower()
    if (prev[-1] in _TERMINAL or prev[-1] in _CLOSERS) and not abbreviation:
        return False
    first = nxt.split()[0]
    if width < 30:
        return False
    fits = len(prev) + 1 + len(first) <= 0.85 * width
    if fits and not (nxt[:1].islower() and len(prev) >= 0.6 * width):
        return False
    heading_like = nxt[:1].isupper() and nxt[-1] not in _TERMINAL + _CLOSERS + ","
    return not (heading_like and len(nxt.split()) <= 10)


#: How many line groups' sentence spans are remembered per process (a re-run of the same
#: reports, in a notebook or a warm batch run, finds them split).
SENTENCE_CACHE_SIZE = 16384
_sentences: OrderedDict[tuple[int, str], tuple[tuple[int, int], ...]] = OrderedDict()


def _spacy_spans(nlp: Any, keys: list[tuple[int, str]]) -> list[tuple[tuple[int, int], ...]]:
    # Only the tokenizer and the sentencizer matter here: skip the lemmatizer, if any.
    docs = nlp.pipe([text for _, text in keys], batch_size=256, disable=["lemmatizer"])
    return [tuple((sent.start_char, sent.end_char) for sent in doc.sents) for doc in docs]


class SentenceSplitter:
    """Sentence spans of Dutch report text. The spaCy pipeline is built on first use and kept."""

    def __init__(self, nlp: Any = None) -> None:
        self._nlp = nlp

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from ..dutch import make_nlp

            self._nlp = make_nlp()  # shared with the other steps; the lemmas come free
        return self._nlp

    # -- public -------------------------------------------------------------------------------

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Sentence spans of ``text[start:end]``, as offsets into ``text``."""
        return self.spans_many([(text, start, len(text) if end is None else end)])[0]

    def spans_many(self, units: list[tuple[str, int, int]]) -> list[list[tuple[int, int]]]:
        """Sentence spans of many ``(text, start, end)`` regions, run through spaCy in one pipe."""
        pieces: list[tuple[int, int, int]] = []  # (unit index, start, end) of line groups
        widths: dict[int, int] = {}
        for u, (text, start, end) in enumerate(units):
            if id(text) not in widths:
                widths[id(text)] = wrap_width(text)
            for s, e in self._line_groups(text, start, end, widths[id(text)]):
                pieces.append((u, s, e))
        out: list[list[tuple[int, int]]] = [[] for _ in units]
        nlp = self.nlp
        keys = [(id(nlp), units[u][0][s:e]) for u, s, e in pieces]
        found = cached_batch(
            _sentences, SENTENCE_CACHE_SIZE, keys, lambda missing: _spacy_spans(nlp, missing)
        )
        for (u, s, _e), spans in zip(pieces, found, strict=True):
            bounds = [(s + a, s + b) for a, b in spans]
            out[u].extend(self._repair(units[u][0], bounds))
        return out

    # -- internals ----------------------------------------------------------------------------

    @staticmethod
    def _line_groups(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
        """Split a region at line breaks that end a sentence (blank lines always do)."""
        lines = [(s + start, e + start) for s, e in line_spans(text[start:end])]
        groups: list[tuple[int, int]] = []
        cur: tuple[int, int] | None = None
        prev_line = ""
        for s, e in lines:
            line = text[s:e]
            if not line.strip():
                if cur:
                    groups.append(cur)
                cur = None
            elif cur is not None and continues(prev_line, line, width):
                cur = (cur[0], e)
            else:
                if cur:
                    groups.append(cur)
                cur = (s, e)
            prev_line = line
        if cur:
            groups.append(cur)
        return [g for g in (_strip(text, s, e) for s, e in groups) if g[0] < g[1]]

    @staticmethod
    def _repair(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        spans = [_strip(text, s, e) for s, e in bounds]
        spans = [sp for sp in spans if sp[0] < sp[1]]
        fixed: list[tuple[int, int]] = []
        for s, e in spans:
            if fixed:
                ps, pe = fixed[-1]
                prev = text[ps:pe]
                # An opening quote or bracket left dangling at the end of the previous
                # sentence (a pseudonym like "[PERSOON 3]" opens the next one).
                m = re.search(r"\s([‘“„«\"'(\[])$", prev)
                if m and pe - ps > 1:
                    fixed[-1] = _strip(text, ps, pe - 1)
                    s = pe - 1
                    prev = text[fixed[-1][0] : fixed[-1][1]]
                last_tok = prev.split()[-1] if prev.split() else ""
                nxt = text[s:e]
                inline = "\n" not in text[pe:s] and "\r" not in text[pe:s]
                if (
                    inline
                    and (
                        (nxt[:1].islower() and _ABBREV_LIKE.match(last_tok))
                        or last_tok.lower() in ABBREVIATIONS
                        or (nxt[:1].islower() and re.search(r"[?!…][’”\"']$", prev))
                    )
                ) or not prev.strip():
                    fixed[-1] = (fixed[-1][0], e)
                    continue
            fixed.append((s, e))
        return fixed


def sentences(text: str, splitter: SentenceSplitter | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` into ``text``; whitespace around them is left out.

    >>> t = "Anneke noemt het ‘een warm bad’. Hij luistert.\\r\\nGeen punt aan het eind"
    >>> [t[s:e] for s, e in sentences(t)]
    ['Anneke noemt het ‘een warm bad’.', 'Hij luistert.', 'Geen punt aan het eind']
    """
    return (splitter or SentenceSplitter()).spans(text)
