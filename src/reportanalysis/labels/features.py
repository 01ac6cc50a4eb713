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
    "drop_terms",
    "facets",
    "initiatives",
    "local_terms",
    "lemma_lexicon",
    "split_compound",
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


def lemma_lexicon(nlp: Any) -> frozenset[str]:
    """The Dutch words of spaCy's lookup lemma table (the lemmas), at least four letters."""
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return frozenset(w for w in table.values() if len(w) >= 4 and w.isalpha())


def split_compound(word: str, lexicon: frozenset[str] | set[str], min_part: int = 4) -> list[str]:
    """The parts of a Dutch compound whose head and tail are words of ``lexicon`` (a linking
    ``-s-`` or ``-e-`` dropped, plural tails stemmed); [] when ``word`` is not one.

    >>> lex = {"bestemming", "plan", "personeel", "wisseling"}
    >>> split_compound("bestemmingsplannen", lex), split_compound("personeelswisseling", lex)
    (['bestemming', 'plan'], ['personeel', 'wisseling'])
    >>> split_compound("vergunning", lex)
    []
    """
    best: tuple[int, list[str]] | None = None
    for i in range(min_part, len(word) - min_part + 1):
        head, tail = word[:i], word[i:]
        tails = [t for t in (tail, stem(tail)) if t in lexicon]
        if not tails:
            continue
        heads = [head] + [head[:-1] for link in "se" if head.endswith(link) and i > min_part]
        for h in heads:
            parts = [h] if h in lexicon else split_compound(h, lexicon, min_part)
            if parts:
                key = min(len(h), len(tails[0]))
                if best is None or key > best[0]:
                    best = (key, [*parts, tails[0]])
    return best[1] if best else []


def term_sets(
    texts: Sequence[str],
    lemmas: Sequence[Sequence[str]],
    lexicon: frozenset[str] | None = None,
) -> list[set[str]]:
    """Per text, the stems of its lower-cased words and of their lemmas (and, with a
    ``lexicon``, of the parts of its compounds)."""
    out = []
    for text, lems in zip(texts, lemmas, strict=True):
        words = [w.lower() for w in _WORD.findall(text)] + [w.lower() for w in lems]
        terms = {stem(w) for w in words if len(w) >= 3}
        if lexicon:
            for w in list(terms):
                if len(w) >= 8 and w not in lexicon:
                    terms.update(stem(p) for p in split_compound(w, lexicon))
        out.append(terms)
    return out


def drop_terms(text: str, terms: set[str]) -> str:
    """``text`` without the words whose stem is one of ``terms``.

    >>> drop_terms("De buurtkamer kreeg subsidie.", {"buurtkamer"})
    'De kreeg subsidie.'
    """
    out = _WORD.sub(lambda m: "" if stem(m.group(0).lower()) in terms else m.group(0), text)
    return re.sub(r"\s{2,}", " ", out)


def local_terms(terms: Sequence[set[str]], initiative: Sequence[str], min_df: int = 3) -> set[str]:
    """Terms found in at least ``min_df`` texts, all of one initiative (of several): the
    vocabulary of one place and its people rather than of a theme.

    >>> local_terms([{"buurtkamer", "geld"}, {"buurtkamer"}, {"geld"}], ["a", "a", "b"], 2)
    {'buurtkamer'}
    """
    where: dict[str, set[str]] = {}
    df: dict[str, int] = {}
    for tokens, ini in zip(terms, initiative, strict=True):
        for t in tokens:
            where.setdefault(t, set()).add(ini)
            df[t] = df.get(t, 0) + 1
    if len(set(initiative)) < 2:
        return set()
    return {t for t, w in where.items() if len(w) == 1 and df[t] >= min_df}


def initiatives(texts: Sequence[str], groups: Sequence[str], min_shared: int = 2) -> list[str]:
    """Per text, its initiative: reports (``groups``) that share at least ``min_shared`` names
    (capitalised words inside sentences) are taken to be about the same initiative.

    >>> initiatives(["Toen belde Karin met Ahmed.", "Later zag Karin ook Ahmed.", "Dat vond Piet."],
    ...             ["a", "b", "c"])
    ['a', 'a', 'c']
    """
    names: dict[str, set[str]] = {}
    for text, g in zip(texts, groups, strict=True):
        names.setdefault(g, set()).update(m.group(0) for m in _NAME.finditer(text))
    order = sorted(names)
    parent = {g: g for g in order}

    def root(g: str) -> str:
        while parent[g] != g:
            g = parent[g]
        return g

    for a_i, a in enumerate(order):
        for b in order[a_i + 1 :]:
            if len(names[a] & names[b]) >= min_shared:
                ra, rb = root(a), root(b)
                parent[max(ra, rb)] = min(ra, rb)
    return [root(g) for g in groups]


class KeywordIndex:
    """Definition keywords of each code matched against texts, compounds included.

    ``fit`` collects each code's keywords (stems of the words and lemmas of its name,
    definition, inclusion notes and examples, without stop words) and its exclusion keywords,
    and learns an IDF per keyword from the corpus; ``expand`` adds, by pseudo-relevance
    feedback, the terms over-represented in the texts each code matches best; ``scores`` gives
    per text and code the weighted IDF sum of the code's keywords found, minus the exclusion
    keywords found.
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
        lexicon: frozenset[str] | None = None,
    ) -> KeywordIndex:
        stop = set(stop)
        stop |= {stem(w) for w in stop}
        self.stop_ = stop

        def keys(texts: Sequence[str]) -> list[set[str]]:
            lems = lemmatize(list(texts))
            return [
                {
                    k
                    for k in term_sets([t], [lm], lexicon)[0]
                    if len(k) >= self.min_len and k not in stop
                }
                for t, lm in zip(texts, lems, strict=True)
            ]

        names = keys([c.name for c in codebook])
        bodies = keys([" ".join([c.definition, c.inclusion, *c.examples]) for c in codebook])
        excl = keys([c.exclusion for c in codebook])
        self.weights_ = [
            {k: (self.name_weight if k in n else 1.0) for k in sorted(n | b)}
            for n, b in zip(names, bodies, strict=True)
        ]
        self.exclusion_ = [sorted(e) for e in excl]
        self.expansion_: list[dict[str, float]] = [{} for _ in self.weights_]
        self._index(corpus_terms)
        return self

    @property
    def keywords_(self) -> list[list[str]]:
        return [sorted(w) for w in self.weights_]

    def _index(self, corpus_terms: Sequence[set[str]]) -> None:
        vocab = sorted(
            {k for w in self.weights_ for k in w} | {k for e in self.exclusion_ for k in e}
        )
        self.vocab_ = {k: i for i, k in enumerate(vocab)}
        self._token_cache: dict[str, list[int]] = {}
        M = self.match_matrix(corpus_terms)
        df = (M > 0).sum(0)
        self.idf_ = np.log((len(corpus_terms) + 1) / (df + 1)) + 1.0

    def expand(
        self,
        corpus_terms: Sequence[set[str]],
        initiative: Sequence[str] | None = None,
        *,
        rounds: int = 2,
        per_code: int | None = None,
        terms_per_round: int = 5,
        weight: float = 0.5,
    ) -> KeywordIndex:
        """Pseudo-relevance feedback: per round and code, the texts it matches best and
        unambiguously (``per_code``, default scaled to the corpus) lend it the
        ``terms_per_round`` terms most over-represented in them (in at least two of them, in
        more than one ``initiative``, owned by no other code), with ``weight``."""
        n, k = len(corpus_terms), len(self.weights_)
        if n < 4 or rounds <= 0:
            return self
        per = per_code or int(np.clip(round(n / (2 * k)), 2, 20))
        df: dict[str, int] = {}
        where: dict[str, set[str]] = {}
        for i, terms in enumerate(corpus_terms):
            for t in terms:
                df[t] = df.get(t, 0) + 1
                if initiative is not None:
                    where.setdefault(t, set()).add(initiative[i])
        spread = len(set(initiative)) > 1 if initiative is not None else False
        taken = {t for w in self.weights_ for t in w} | {t for e in self.exclusion_ for t in e}
        for _ in range(rounds):
            S = self.scores(corpus_terms)
            order = np.argsort(-S, 1, kind="stable")
            top, second = order[:, 0], order[:, 1]
            margin = S[np.arange(n), top] - S[np.arange(n), second]
            gain: list[dict[str, float]] = []
            for j in range(k):
                mine = np.flatnonzero((top == j) & (S[:, j] > 0))
                mine = mine[np.argsort(-margin[mine], kind="stable")][:per]
                counts: dict[str, int] = {}
                for row in mine.tolist():
                    for t in corpus_terms[row]:
                        counts[t] = counts.get(t, 0) + 1
                g = {}
                for t, c in counts.items():
                    if c < 2 or t in taken or t in self.stop_ or len(t) < self.min_len:
                        continue
                    if spread and len(where[t]) < 2:
                        continue
                    p_sel, p_all = c / len(mine), df[t] / n
                    g[t] = p_sel * math.log(p_sel / p_all)
                gain.append(g)
            added = False
            for j in range(k):
                own = {
                    t: v
                    for t, v in gain[j].items()
                    if v > 0 and all(v > gain[o].get(t, 0.0) for o in range(k) if o != j)
                }
                for t in sorted(own, key=lambda t: (-own[t], t))[:terms_per_round]:
                    self.weights_[j][t] = weight
                    self.expansion_[j][t] = weight
                    taken.add(t)
                    added = True
            if not added:
                break
            self._index(corpus_terms)
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
        out = np.zeros((len(terms), len(self.weights_)), dtype=np.float64)
        for j, (kw, excl) in enumerate(zip(self.weights_, self.exclusion_, strict=True)):
            if kw:
                idx = [self.vocab_[k] for k in kw]
                weights = np.array(list(kw.values()))
                out[:, j] = (M[:, idx] * weights).sum(1) / math.sqrt(weights.sum())
            if excl:
                out[:, j] -= M[:, [self.vocab_[k] for k in excl]].sum(1) / math.sqrt(len(excl))
        return out

    def matched(self, tokens: set[str], code_index: int) -> list[str]:
        """The code's keywords found in a text, rarest first."""
        found = []
        for k in self.weights_[code_index]:
            if any(compound_match(k, t) for t in tokens):
                found.append(k)
        return sorted(found, key=lambda k: -self.idf_[self.vocab_[k]])
