"""Where one anecdote ends and the next begins, inside a paragraph.

A paragraph's sentences are grouped by dynamic programming: each group earns a length prior
(log-normal around a target length) and each break between groups earns a boundary score from
general signals — a drop in similarity between the sentence windows on either side
(TextTiling-style), discourse cues that open a new point ("Daarnaast", "Een ander punt"), cues
that continue one ("Hij", "Daardoor", a quotation illustrating the previous sentence), and a new
named subject. No break ever falls inside a quotation or after a colon.

    >>> s = ["Anneke noemt de samenwerking ‘een warm bad’.", "Hij komt elke week.",
    ...      "Daarnaast krijgt Mehmet energie van signalen uit de buurt."]
    >>> cue_scores(s, names={"Mehmet", "Anneke"}, weights=CueWeights())[1:]
    [-1.5, 0.5]
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CONTINUE_CUES",
    "CueWeights",
    "NEW_POINT_CUES",
    "cue_scores",
    "group_sentences",
    "open_quote_depths",
    "window_similarities",
]

#: Sentence openings that start a new point (lower-case, matched at the start of a sentence).
NEW_POINT_CUES: tuple[str, ...] = (
    "daarnaast",
    "verder",
    "een ander punt",
    "een tweede punt",
    "een ander",
    "wel",
    "tegelijk",
    "tegelijkertijd",
    "bovendien",
    "daarbij komt",
    "anderzijds",
    "aan de andere kant",
    "ten tweede",
    "ten derde",
    "ten slotte",
    "tot slot",
    "los daarvan",
    "wat niet hielp",
    "wat wel hielp",
    "wat minder goed",
    "wat goed ging",
    "wat opvalt",
    "opvallend",
    "daartegenover",
    "ook",
)

#: Sentence openings that continue the point of the previous sentence.
CONTINUE_CUES: tuple[str, ...] = (
    "hij",
    "zij",
    "ze",
    "dat",
    "die",
    "dit",
    "deze",
    "daardoor",
    "daarom",
    "hierdoor",
    "waardoor",
    "toen",
    "daarna",
    "daarop",
    "daarover",
    "daarmee",
    "maar",
    "en",
    "want",
    "dus",
    "zo",
    "het antwoord",
    "het resultaat",
    "samen",
)

_QUOTE_START = re.compile(r"^[‘“„«\"']|^[A-Z][\w-]*(?: [A-Z][\w-]*)?: ?[‘“„«\"']")
_OPEN = "“„«‘"
_CLOSE = "”»’"
_QUOTE_CHARS = re.compile("[" + re.escape(_OPEN + _CLOSE + "\"'") + "]")


@dataclass(frozen=True)
class CueWeights:
    """Weights of the boundary signals (added to the score of a break before a sentence).

    - ``new_point`` (1.5): the sentence opens with a :data:`NEW_POINT_CUES` phrase;
    - ``continuation`` (1.5, subtracted): it opens with a :data:`CONTINUE_CUES` phrase;
    - ``quotation`` (2.0, subtracted): it is a quotation illustrating the previous sentence;
    - ``new_subject`` (1.0): it opens with a name used elsewhere in the report;
    - ``short_previous`` (1.0, subtracted): the previous sentence has at most 5 words;
    - ``lower_case`` (2.0, subtracted): the sentence starts lower-case (a note or a cut).
    """

    new_point: float = 1.5
    continuation: float = 1.5
    quotation: float = 2.0
    new_subject: float = 1.0
    short_previous: float = 1.0
    lower_case: float = 2.0


def open_quote_depths(text: str, starts: Sequence[int], begin: int = 0) -> list[int]:
    """How many quotations, opened from ``begin`` on, are open at each offset in ``starts``
    (sorted) of ``text``.

    Curly quotes nest; a straight ``"`` toggles; ``’`` between letters is an apostrophe.

    >>> t = "Hij zei: “Het gaat. Echt.” Klaar."
    >>> open_quote_depths(t, [9, 20, 27])
    [0, 1, 0]
    """
    depths = []
    depth = straight = 0
    end = min(max(starts, default=begin), len(text))
    marks = iter(_QUOTE_CHARS.finditer(text, begin, max(begin, end)))
    mark = next(marks, None)
    for target in starts:
        # Only quote characters change the depth: jump from one to the next.
        while mark is not None and mark.start() < target:
            pos = mark.start()
            ch = text[pos]
            before = text[pos - 1] if pos else " "
            after = text[pos + 1] if pos + 1 < len(text) else " "
            if ch in _OPEN and not (ch == "‘" and before.isalnum()):
                depth += 1
            elif ch in _CLOSE and not (ch == "’" and before.isalnum() and after.isalnum()):
                depth = max(0, depth - 1)
            elif ch == '"':
                straight ^= 1
            elif ch == "'" and not (before.isalnum() and after.isalnum()):
                if before.isspace() or before in "(:":
                    depth += 1
                elif after.isspace() or after in ".,;:!?)":
                    depth = max(0, depth - 1)
            mark = next(marks, None)
        depths.append(depth + straight)
    return depths


@functools.lru_cache(maxsize=8)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(re.escape(c) for c in cues) + r")\b")


def cue_scores(sents: Sequence[str], *, names: set[str], weights: CueWeights) -> list[float]:
    """Boundary score of a break before each sentence from its wording (the first is 0)."""
    new_re = _cue_regex(NEW_POINT_CUES)
    cont_re = _cue_regex(CONTINUE_CUES)
    scores = [0.0]
    for i in range(1, len(sents)):
        s = sents[i].lstrip()
        low = s.lower()
        score = 0.0
        if new_re.match(low):
            score += weights.new_point
        if _QUOTE_START.match(s):
            score -= weights.quotation
        elif s[:1].islower():
            score -= weights.lower_case
        elif cont_re.match(low):
            score -= weights.continuation
        first = re.match(r"[^\W\d_][\w-]*", s)
        if first and first.group() in names:
            score += weights.new_subject
        if len(sents[i - 1].split()) <= 5:
            score -= weights.short_previous
        scores.append(score)
    return scores


def window_similarities(vectors: np.ndarray, window: int) -> np.ndarray:
    """Cosine similarity, before each sentence i ≥ 1, of the mean vectors of the ``window``
    sentences before and after it (TextTiling's block comparison). Element 0 is 1."""
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(vectors)
    sims = np.ones(n, dtype=np.float32)
    if n < 2:
        return sims
    # Window means from running sums: the left window of i is [max(0, i - w), i), the right
    # window [i, min(n, i + w)).
    csum = np.zeros((n + 1, vectors.shape[1]), dtype=np.float64)
    np.cumsum(vectors, axis=0, out=csum[1:])
    i = np.arange(1, n)
    lo, hi = np.maximum(0, i - window), np.minimum(n, i + window)
    left = (csum[i] - csum[lo]) / (i - lo)[:, None]
    right = (csum[hi] - csum[i]) / (hi - i)[:, None]
    denom = np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1)
    denom[denom == 0] = 1.0
    sims[1:] = np.einsum("ij,ij->i", left, right) / denom
    return sims


def group_sentences(
    spans: Sequence[tuple[int, int]],
    boundary: Sequence[float],
    *,
    target_chars: float,
    length_sigma: float,
    segment_bonus: float,
    max_sentences: int,
) -> list[tuple[int, int]]:
    """Best grouping of consecutive sentences as ``[(first, last + 1), ...]``.

    ``spans`` are the sentences' (start, end) offsets; ``boundary[i]`` the score of a break
    before sentence i (``-inf`` forbids it). A group of more than ``max_sentences`` sentences
    costs 3 per extra sentence (it only happens when breaks are forbidden, e.g. in a long quote).

    >>> group_sentences([(0, 99), (100, 199), (200, 299)], [0, 5.0, -5.0], target_chars=150,
    ...                 length_sigma=0.6, segment_bonus=0.5, max_sentences=4)
    [(0, 1), (1, 3)]
    """
    n = len(spans)
    if n == 0:
        return []
    best = [-math.inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    two_var = 2 * length_sigma**2
    for j in range(1, n + 1):
        for i in range(j):
            if best[i] == -math.inf:
                continue
            b = boundary[i] if i > 0 else 0.0
            if b == -math.inf:
                continue
            length = spans[j - 1][1] - spans[i][0]
            prior = segment_bonus - math.log(max(length, 1) / target_chars) ** 2 / two_var
            prior -= 3.0 * max(0, j - i - max_sentences)
            score = best[i] + prior + b
            if score > best[j]:
                best[j], back[j] = score, i
    groups = []
    j = n
    while j > 0:
        groups.append((back[j], j))
        j = back[j]
    return groups[::-1]
