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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..dutch import Lemmatizer

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


@dataclass(frozen=True)
class Hit:
    """One cue found in a text."""

    cue: str
    position: int
    negated: bool
    hedged: bool


def _cue_words(cue: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(cue))


class CueMatcher:
    """Find cues in parsed texts; the spaCy pipeline lives in the given lemmatizer."""

    def __init__(self, lemmatizer: Lemmatizer | None = None, min_compound: int = 5) -> None:
        self.lemmatizer = lemmatizer or Lemmatizer()
        self.min_compound = min_compound

    def parse(self, texts: Iterable[str]) -> list[ParsedText]:
        out = []
        for doc in self.lemmatizer.nlp.pipe(list(texts), batch_size=256):
            tokens, lemmas, clause = [], [], []
            hedged: set[int] = set()
            n = 0
            for t in doc:
                low = t.text.lower()
                if low in _CLAUSE_BREAK or t.is_punct:
                    n += 1
                    if not t.is_punct:  # a conjunction opens a clause and is not a cue word
                        continue
                    continue
                if not any(ch.isalnum() for ch in low):
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
            out.append(
                ParsedText(
                    tuple(tokens),
                    tuple(lemmas),
                    tuple(clause),
                    frozenset(hedged),
                    {k: tuple(v) for k, v in index.items()},
                )
            )
        return out

    def _word_positions(self, doc: ParsedText, word: str, compound: bool) -> list[int]:
        hits = set(doc.index.get(word, ()))
        if compound and len(word) >= self.min_compound:
            for form, positions in doc.index.items():
                if len(form) - len(word) >= 3 and (form.endswith(word) or form.startswith(word)):
                    hits.update(positions)
        return sorted(hits)

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
