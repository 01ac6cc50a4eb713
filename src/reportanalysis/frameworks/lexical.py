"""Dutch cue matching: lemmas, compounds, word order, negation and hedging.

A cue ("in kaart brengen", "tevreden", "kastje naar de muur") matches a text when each of its
words occurs, as written or as lemma, close together in one clause, in any order (Dutch puts
verbs in second or final position: "brengt ... in kaart"). A one-word cue of five letters or
more also matches inside a compound ("jurist" in "gemeentejurist", "subsidie" in
"subsidieaanvraag"). A match is *negated* when "niet", "geen", "nooit" … stands in its clause
close by, and *hedged* when its clause holds "zou/zouden" or "misschien", "wellicht" …

    >>> m = CueMatcher(Lemmatizer())
    >>> doc = m.parse(["Ze is niet tevreden over de gemeentejurist."])[0]
    >>> [(h.cue, h.negated) for h in m.find(doc, ["tevreden", "jurist", "koffie"])]
    [('tevreden', True), ('jurist', False)]
    >>> doc = m.parse(["Hij brengt de buurt eerst goed in kaart."])[0]
    >>> [h.cue for h in m.find(doc, ["in kaart brengen"])]
    ['in kaart brengen']
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..dutch import Lemmatizer, cached_batch, parse_chunks

__all__ = ["HEDGES", "NEGATORS", "CueMatcher", "Hit", "ParsedText"]

#: Words that negate what stands near them in the clause.
NEGATORS: frozenset[str] = frozenset(
    [
        "niet",
        "geen",
        "nooit",
        "niemand",
        "niets",
        "nergens",
        "noch",
        "zonder",
        "geeneens",
        "nimmer",
        "minder",
    ]
)
#: Words that make a clause tentative or conditional.
HEDGES: frozenset[str] = frozenset(
    [
        "zou",
        "zouden",
        "misschien",
        "wellicht",
        "eventueel",
        "mogelijk",
        "hopelijk",
        "graag",
        "liefst",
    ]
)
_CLAUSE_BREAK = frozenset(",;:.!?()\"'‘’“”–—-") | {"want", "terwijl", "hoewel", "omdat"}
_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
_ALNUM = re.compile(r"[^\W_]")
NEG_BEFORE, NEG_AFTER = 3, 2


@dataclass(frozen=True)
class ParsedText:
    """Tokens (lower case), lemmas and clause number per token of one text."""

    tokens: tuple[str, ...]
    lemmas: tuple[str, ...]
    clause: tuple[int, ...]
    hedged_clauses: frozenset[int]
    index: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    """Positions of every token and lemma form."""
    parts: dict[str, frozenset[int]] = field(default_factory=dict, compare=False)
    """Positions of the forms that begin or end with a key ("jurist" → "gemeentejurist")."""


@dataclass(frozen=True)
class Hit:
    """One cue found in a text."""

    cue: str
    position: int
    negated: bool
    hedged: bool


@functools.lru_cache(maxsize=65536)
def _cue_words(cue: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(cue))


#: How many parsed texts :meth:`CueMatcher.parse` remembers (a few kB each).
PARSED_CACHE_SIZE = 8192
_PARSED: OrderedDict[tuple[int, int, str], ParsedText] = OrderedDict()


class CueMatcher:
    """Find cues in parsed texts; the spaCy pipeline lives in the given lemmatizer."""

    def __init__(self, lemmatizer: Lemmatizer | None = None, min_compound: int = 5) -> None:
        self.lemmatizer = lemmatizer or Lemmatizer()
        self.min_compound = min_compound

    def parse(self, texts: Iterable[str]) -> list[ParsedText]:
        """The parsed texts; the last :data:`PARSED_CACHE_SIZE` are remembered, so the
        practices and the kinds (two matchers over one corpus) and a re-run parse each once."""
        nlp = self.lemmatizer.nlp
        keys = [(id(nlp), self.min_compound, t) for t in texts]
        return cached_batch(
            _PARSED,
            PARSED_CACHE_SIZE,
            keys,
            lambda missing: map(self._parse_doc, parse_chunks([k[2] for k in missing], nlp)),
        )

    def _parse_doc(self, doc: Any) -> ParsedText:
        tokens, lemmas, clause = [], [], []
        hedged: set[int] = set()
        n = 0
        for t in doc:
            low = t.text.lower()
            if low in _CLAUSE_BREAK or t.is_punct:
                n += 1  # a conjunction opens a clause and is not a cue word
                continue
            if _ALNUM.search(low) is None:
                continue
            tokens.append(low)
            lemmas.append((t.lemma_ or t.text).lower())
            clause.append(n)
            if low in HEDGES:
                hedged.add(n)
        index: dict[str, list[int]] = {}
        for i, (tok, lem) in enumerate(zip(tokens, lemmas, strict=True)):
            index.setdefault(tok, []).append(i)
            if lem != tok:
                index.setdefault(lem, []).append(i)
        return ParsedText(
            tuple(tokens),
            tuple(lemmas),
            tuple(clause),
            frozenset(hedged),
            {k: tuple(v) for k, v in index.items()},
            self._parts(index),
        )

    def _parts(self, index: dict[str, list[int]]) -> dict[str, frozenset[int]]:
        """Every head and tail of ``min_compound`` letters or more that leaves at least three
        letters of a form, with the form's positions: a compound lookup is then one dict get
        instead of a scan over the text's forms for every cue."""
        parts: dict[str, set[int]] = {}
        for form, positions in index.items():
            for n in range(self.min_compound, len(form) - 2):
                parts.setdefault(form[:n], set()).update(positions)
                parts.setdefault(form[-n:], set()).update(positions)
        return {k: frozenset(v) for k, v in parts.items()}

    def _word_positions(self, doc: ParsedText, word: str, compound: bool) -> list[int]:
        if not (compound and len(word) >= self.min_compound):
            return list(doc.index.get(word, ()))
        return sorted(set(doc.index.get(word, ())).union(doc.parts.get(word, ())))

    def _negated(self, doc: ParsedText, lo: int, hi: int, cue_words: Sequence[str]) -> bool:
        if any(w in NEGATORS for w in cue_words):
            return False  # the cue is itself negative ("lukt niet", "geen antwoord")
        c = doc.clause[lo]
        for j in range(max(0, lo - NEG_BEFORE), min(len(doc.tokens), hi + 1 + NEG_AFTER)):
            if doc.clause[j] == c and doc.tokens[j] in NEGATORS:
                return True
        return False

    def find(self, doc: ParsedText, cues: Iterable[str]) -> list[Hit]:
        """The cues found in ``doc``, each once (its first occurrence)."""
        hits = []
        for cue in cues:
            words = _cue_words(cue)
            if not words:
                continue
            if len(words) == 1:
                if words[0] not in doc.index and words[0] not in doc.parts:
                    continue
                pos = self._word_positions(doc, words[0], compound=True)
                if pos:
                    i = pos[0]
                    hits.append(
                        Hit(
                            cue,
                            i,
                            self._negated(doc, i, i, words),
                            doc.clause[i] in doc.hedged_clauses,
                        )
                    )
                continue
            if any(w not in doc.index for w in words):
                continue  # phrase words match whole tokens or lemmas only
            found = self._find_phrase(doc, words)
            if found is not None:
                lo, hi = found
                hits.append(
                    Hit(
                        cue,
                        lo,
                        self._negated(doc, lo, hi, words),
                        doc.clause[lo] in doc.hedged_clauses,
                    )
                )
        return hits

    def _find_phrase(self, doc: ParsedText, words: Sequence[str]) -> tuple[int, int] | None:
        # Words may swap places only when the cue ends in an infinitive ("in kaart brengen"
        # → "brengt ... in kaart"); other phrases ("van plan", "kijken naar") keep their order.
        window = len(words) + 5
        if not words[-1].endswith("en") or len(words[-1]) < 4:
            return self._find_ordered(doc, words, window)
        first = self._word_positions(doc, words[0], compound=False)
        others = [set(self._word_positions(doc, w, compound=False)) for w in words[1:]]
        if not first or any(not o for o in others):
            return None
        for i in first:
            c = doc.clause[i]
            lo, hi = i, i
            ok = True
            for positions in others:
                near = [j for j in positions if abs(j - i) < window and doc.clause[j] == c]
                if not near:
                    ok = False
                    break
                j = min(near, key=lambda j: abs(j - i))
                lo, hi = min(lo, j), max(hi, j)
            if ok and hi - lo < window:
                return lo, hi
        return None

    def _find_ordered(
        self, doc: ParsedText, words: Sequence[str], window: int
    ) -> tuple[int, int] | None:
        positions = [self._word_positions(doc, w, compound=False) for w in words]
        for i in positions[0]:
            last, ok = i, True
            for pos in positions[1:]:
                nxt = [j for j in pos if last < j <= last + 3 and doc.clause[j] == doc.clause[i]]
                if not nxt:
                    ok = False
                    break
                last = nxt[0]
            if ok and last - i < window:
                return i, last
        return None
