"""Text evidence for code suggestions: name masking, definition facets, compound-aware terms.

Small pure functions the :class:`~reportanalysis.labels.LabelSuggester` is built from::

    >>> mask_names("Gisteren belde Karin de afdeling Verkeer.")
    'Gisteren belde iemand de afdeling iemand.'
    >>> facets(Code("regels", "Vergunningen, meldingen (gebruik, huur) en bestemmingsplannen."))
    ('regels', 'Vergunningen', 'meldingen', 'gebruik', 'huur', 'en bestemmingsplannen')
    >>> stem("bestemmingsplannen"), stem("vergunningen"), stem("vrijwilligers")
    ('bestemmingsplan', 'vergunning', 'vrijwilliger')
    >>> compound_match("vergunning", "omgevingsvergunning"), compound_match("raad", "raadhuis")
    (True, False)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..model import Code, Codebook

__all__ = [
    "MASK",
    "KeywordIndex",
    "compound_match",
    "facets",
    "mask_names",
    "stem",
    "term_sets",
]

#: What a person or place name is replaced by before embedding.
MASK = "iemand"
# A capitalised word that does not start a sentence (after a lower-case letter, digit or comma).
_NAME = re.compile(r"(?<=[\w,;’”\"'] )[A-ZÀ-Þ][\w’'\-]+")
_FACET_SPLIT = re.compile(r"[,;:()]|\.(?:\s+|$)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_VOWELS = set("aeiouyéëïöü")


def mask_names(text: str) -> str:
    """Replace capitalised words inside sentences (names of people, places, organisations)."""
    return _NAME.sub(MASK, text)


def facets(code: Code) -> tuple[str, ...]:
    """The code's name, the comma-separated parts of its definition and inclusion notes, and
    its examples: each embedded on its own, the best match counts."""
    parts = [code.name]
    for text in (code.definition, code.inclusion):
        parts += [p.strip() for p in _FACET_SPLIT.split(text)]
    parts += list(code.examples)
    out = []
    for p in parts:
        if len(p) > 3 and p not in out:
            out.append(p)
    return tuple(out)


def stem(word: str) -> str:
    """A light Dutch plural stripper: ``-en`` (undoubling the consonant) and ``-s``."""
    if len(word) > 5 and word.endswith("en"):
        word = word[:-2]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] not in _VOWELS:
            word = word[:-1]
    elif len(word) > 5 and word.endswith("s") and word[-2] not in "s'":
        word = word[:-1]
    return word


def compound_match(term: str, token: str, *, min_len: int = 5, min_rest: int = 3) -> bool:
    """``term`` is ``token`` or one end of a Dutch compound ``token`` (at least ``min_len``
    letters, the rest at least ``min_rest``): vergunning ⊂ omgevingsvergunning."""
    if term == token:
        return True
    if len(term) < min_len or len(token) < len(term) + min_rest:
        return False
    return token.endswith(term) or token.startswith(term)


def term_sets(texts: Sequence[str], lemmas: Sequence[Sequence[str]]) -> list[set[str]]:
    """Per text, the stems of its lower-cased words and of their lemmas."""
    out = []
    for text, lems in zip(texts, lemmas, strict=True):
        words = [w.lower() for w in _WORD.findall(text)] + [w.lower() for w in lems]
        out.append({stem(w) for w in words if len(w) >= 3})
    return out


class KeywordIndex:
    """Definition keywords of each code matched against texts, compounds included.

    ``fit`` collects each code's keywords (stems of the words and lemmas of its name,
    definition, inclusion notes and examples, without stop words) and its exclusion keywords,
    and learns an IDF per keyword from the corpus; ``scores`` gives per text and code the
    IDF-weighted share of the code's keywords found, minus the exclusion keywords found.
    """

    def __init__(self, min_len: int = 4, name_weight: float = 2.0) -> None:
        self.min_len = min_len
        self.name_weight = name_weight

    def fit(
        self,
        codebook: Codebook,
        corpus_terms: Sequence[set[str]],
        lemmatize: Any,
        stop: Iterable[str],
    ) -> KeywordIndex:
        stop = set(stop)

        def keys(texts: Sequence[str]) -> list[set[str]]:
            lems = lemmatize(list(texts))
            return [
                {k for k in term_sets([t], [lm])[0] if len(k) >= self.min_len and k not in stop}
                for t, lm in zip(texts, lems, strict=True)
            ]

        names = keys([c.name for c in codebook])
        bodies = keys([" ".join([c.definition, c.inclusion, *c.examples]) for c in codebook])
        excl = keys([c.exclusion for c in codebook])
        self.keywords_ = [sorted(n | b) for n, b in zip(names, bodies, strict=True)]
        self.name_keywords_ = [set(n) for n in names]
        self.exclusion_ = [sorted(e) for e in excl]
        vocab = sorted({k for ks in self.keywords_ + self.exclusion_ for k in ks})
        self.vocab_ = {k: i for i, k in enumerate(vocab)}
        self._token_cache: dict[str, list[int]] = {}
        M = self.match_matrix(corpus_terms)
        df = (M > 0).sum(0)
        self.idf_ = np.log((len(corpus_terms) + 1) / (df + 1)) + 1.0
        return self

    def _matches(self, token: str) -> list[int]:
        hit = self._token_cache.get(token)
        if hit is None:
            hit = [i for k, i in self.vocab_.items() if compound_match(k, token)]
            self._token_cache[token] = hit
        return hit

    def match_matrix(self, terms: Sequence[set[str]]) -> np.ndarray:
        """Texts × keywords, 1 where the keyword (or a compound holding it) occurs."""
        M = np.zeros((len(terms), len(self.vocab_)), dtype=np.float32)
        for row, tokens in enumerate(terms):
            for token in tokens:
                for col in self._matches(token):
                    M[row, col] = 1.0
        return M

    def scores(self, terms: Sequence[set[str]]) -> np.ndarray:
        """Texts × codes evidence from keyword matches."""
        M = self.match_matrix(terms) * self.idf_
        out = np.zeros((len(terms), len(self.keywords_)), dtype=np.float64)
        for j, (keys, excl) in enumerate(zip(self.keywords_, self.exclusion_, strict=True)):
            if keys:
                idx = [self.vocab_[k] for k in keys]
                weights = np.array(
                    [self.name_weight if k in self.name_keywords_[j] else 1.0 for k in keys]
                )
                out[:, j] = (M[:, idx] * weights).sum(1) / math.sqrt(len(keys))
            if excl:
                out[:, j] -= M[:, [self.vocab_[k] for k in excl]].sum(1) / math.sqrt(len(excl))
        return out

    def matched(self, tokens: set[str], code_index: int) -> list[str]:
        """The code's keywords found in a text, rarest first."""
        found = []
        for k in self.keywords_[code_index]:
            if any(compound_match(k, t) for t in tokens):
                found.append(k)
        return sorted(found, key=lambda k: -self.idf_[self.vocab_[k]])
