"""Offsets from one version of a report's text to the next: a pure function over a diff.

When an analyst edits a report file and reads it in again, the spans of labels and segment
edits point into the old text. :class:`OffsetMap` carries them over::

    >>> m = OffsetMap("Mehmet komt elke week. De subsidie liep vast.",
    ...               "Mehmet komt elke maandag. De subsidie liep vast.")
    >>> m.unchanged(23, 45)  # the second sentence moved three characters on
    (26, 48)
    >>> m.unchanged(0, 22) is None  # the first one changed
    True

The diff runs over lines first, then over words inside the lines that differ, so it stays fast
on long reports (a character diff is quadratic) and finds the unchanged passages exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher

__all__ = ["OffsetMap"]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

#: (tag, old start, old end, new start, new end) in characters.
Op = tuple[str, int, int, int, int]


def _pieces(text: str, pattern: re.Pattern[str] | None) -> tuple[list[str], list[int]]:
    """Lines (keeping their ends) or tokens of ``text``, and where each starts."""
    parts = text.splitlines(keepends=True) if pattern is None else pattern.findall(text)
    starts, pos = [], 0
    for part in parts:
        starts.append(pos)
        pos += len(part)
    starts.append(pos)
    return parts, starts


def _diff(old: str, new: str, pattern: re.Pattern[str] | None, base: tuple[int, int]) -> list[Op]:
    a, sa = _pieces(old, pattern)
    b, sb = _pieces(new, pattern)
    ops: list[Op] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        o1, o2, n1, n2 = sa[i1], sa[i2], sb[j1], sb[j2]
        if tag == "replace" and pattern is None:  # lines that differ: diff their words
            ops += _diff(old[o1:o2], new[n1:n2], _TOKEN, (base[0] + o1, base[1] + n1))
        else:
            ops.append((tag, base[0] + o1, base[0] + o2, base[1] + n1, base[1] + n2))
    return ops


class OffsetMap:
    """Where each position of ``old`` lies in ``new``; which passages came through unchanged."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        self._equal = [op for op in _diff(old, new, None, (0, 0)) if op[0] == "equal"]
        self._starts = [op[1] for op in self._equal]

    def _locate(self, pos: int, *, end: bool) -> int:
        """``pos`` in the new text. A start sits after text inserted right before it, an end
        before text inserted right after it; a position inside changed text keeps its distance
        from where the change starts (clipped to the changed text's new length)."""
        i = bisect_right(self._starts, pos - 1 if end else pos) - 1
        if i >= 0:
            _, o1, o2, n1, _ = self._equal[i]
            if o1 + (1 if end else 0) <= pos <= o2 - (0 if end else 1):
                return n1 + pos - o1
        # pos lies in changed text: between equal block i (or the start) and i + 1 (or the end)
        o_from, n_from = (self._equal[i][2], self._equal[i][4]) if i >= 0 else (0, 0)
        nxt = self._equal[i + 1] if i + 1 < len(self._equal) else None
        n_to = nxt[3] if nxt is not None else len(self.new)
        return min(n_from + (pos - o_from), n_to)

    def start(self, pos: int) -> int:
        """Where a span starting at ``pos`` in the old text starts in the new one."""
        return self._locate(pos, end=False)

    def end(self, pos: int) -> int:
        """Where a span ending at ``pos`` in the old text ends in the new one."""
        return self._locate(pos, end=True)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the new text (may have become empty when its text was deleted)."""
        new_start = self.start(start)
        return new_start, max(new_start, self.end(end))

    def unchanged(self, start: int, end: int) -> tuple[int, int] | None:
        """The span in the new text when its text is the same there, else None.

        >>> OffsetMap("Eén. Twee.", "Nul. Eén. Twee.").unchanged(5, 10)
        (10, 15)
        """
        new_start, new_end = self.span(start, end)
        if self.old[start:end] == self.new[new_start:new_end]:
            return new_start, new_end
        return None
