"""Selection positions as other tools count them, mapped onto Python ``str`` offsets.

REFI-QDA counts Unicode code points, as Python does. NVivo counts UTF-16 code units, so every
character outside the Basic Multilingual Plane (emoji: 👍) shifts later positions by one; some
tools count a CRLF line break as one character. A :class:`Counting` maps positions in one such
scheme onto code points of the text::

    >>> text = "Top 👍 gedaan"
    >>> nvivo = Counting("utf16", text)
    >>> nvivo.to_codepoints(7), text[:6]
    (6, 'Top 👍 ')
    >>> Counting("codepoints", text).to_codepoints(7)
    7
    >>> nvivo.to_codepoints(5) is None  # inside the emoji's surrogate pair
    True
    >>> nvivo.from_codepoints(6)
    7
    >>> Counting("codepoints-crlf", "a\\nb").to_codepoints(3)  # counted on "a\\r\\nb"
    2
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

__all__ = ["COUNTINGS", "Counting", "find_named", "name_matches", "normalise_space"]

#: The schemes we try, by name: code points (the standard), UTF-16 units (NVivo), and both
#: with a CRLF counted as one character (``-lf``: the tool counted on LF text), or with every
#: bare LF counted as two (``-crlf``: the tool counted on CRLF text, the XML parser gave us LF).
COUNTINGS = (
    "codepoints",
    "utf16",
    "codepoints-lf",
    "utf16-lf",
    "codepoints-crlf",
    "utf16-crlf",
)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each
_CR_BEFORE_LF = re.compile(r"\r(?=\n)")
_BARE_LF = re.compile(r"(?<!\r)\n")


class Counting:
    """Positions of one ``text`` counted in ``scheme``, mapped back onto ``str`` offsets.

    Only the characters that count differently are stored (found by regular expressions), so
    building one is cheap and each lookup is a binary search.
    """

    def __init__(self, scheme: str, text: str) -> None:
        if scheme not in COUNTINGS:
            raise ValueError(f"unknown counting {scheme!r}; use one of {COUNTINGS}")
        self.scheme = scheme
        self.text = text
        deltas: list[tuple[int, int]] = []
        if scheme.startswith("utf16"):
            deltas += [(m.start(), 1) for m in _ASTRAL.finditer(text)]
        if scheme.endswith("-lf"):
            deltas += [(m.start(), -1) for m in _CR_BEFORE_LF.finditer(text)]
        if scheme.endswith("-crlf"):
            deltas += [(m.start(), 1) for m in _BARE_LF.finditer(text)]
        deltas.sort()
        self._at = [i for i, _ in deltas]
        self._sum = list(accumulate(d for _, d in deltas))

    @property
    def differs(self) -> bool:
        """False when this scheme counts the text exactly like code points do."""
        return bool(self._at)

    @property
    def signature(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Two countings with the same signature count this text the same way."""
        return tuple(self._at), tuple(self._sum)

    def from_codepoints(self, offset: int) -> int:
        """The position of ``str`` offset ``offset`` in this scheme."""
        k = bisect_left(self._at, offset)  # characters that count differently, before offset
        return offset + (self._sum[k - 1] if k else 0)

    def to_codepoints(self, position: int) -> int | None:
        """The ``str`` offset of ``position``, or None when it is no boundary in this scheme."""
        n = len(self.text)
        if not self._at:
            return position if 0 <= position <= n else None
        lo, hi = 0, n
        while lo < hi:  # the first offset whose position reaches ``position``
            mid = (lo + hi) // 2
            if self.from_codepoints(mid) < position:
                lo = mid + 1
            else:
                hi = mid
        return lo if self.from_codepoints(lo) == position else None


def normalise_space(text: str) -> str:
    """Whitespace collapsed to single spaces, stripped (XML attributes lose line breaks)."""
    return " ".join(text.split())


_ELLIPSIS = ("…", "...")


def name_matches(name: str, selected: str) -> bool:
    """Does a selection's ``name`` say what it selects? Whitespace is ignored, and a name may
    be the start of the text (tools cut long names, often with an ellipsis).

    >>> name_matches("De subsidie liep vast.", "De subsidie\\r\\nliep vast.")
    True
    >>> name_matches("De subsidie liep…", "De subsidie liep vast bij de afdeling.")
    True
    >>> name_matches("De subsidie liep vast.", "e subsidie liep vast. ")
    False
    """
    a, b = normalise_space(name), normalise_space(selected)
    if not a:
        return False
    if a == b:
        return True
    for mark in _ELLIPSIS:
        if a.endswith(mark):
            head = a[: -len(mark)].rstrip()
            return len(head) >= 5 and b.startswith(head)
    return len(a) >= 20 and b.startswith(a)


def find_named(text: str, name: str, near: int, length: int = 0) -> tuple[int, int] | None:
    """The span of ``text`` that reads ``name`` (whitespace-tolerant), nearest to ``near``.

    A name may be the start of a longer selection (cut, with or without an ellipsis): the span
    then runs on to ``length`` characters, the selection's own length.

    >>> find_named("Eerst dit. Dan dat.\\r\\nDan dat.", "Dan dat.", 20)
    (21, 29)
    >>> find_named("Eerst dit. Dan dat en nog meer.", "Dan dat…", 0, length=20)
    (11, 31)
    """
    name = normalise_space(name)
    for mark in _ELLIPSIS:
        if name.endswith(mark):
            name = name[: -len(mark)].rstrip()
    words = name.split(" ")
    if not words or not words[0]:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not found:
        return None
    start, end = min(found, key=lambda sp: (abs(sp[0] - near), sp[0]))
    return start, max(end, min(len(text), start + length))
