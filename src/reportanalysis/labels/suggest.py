"""Code suggestions that learn: zero-shot from the codebook, supervised from labels, both mixed.

:class:`LabelSuggester` is a scikit-learn-style estimator over a corpus of anecdote texts:

- **zero-shot** evidence per code, each z-scored over the corpus and summed:
  sentence embeddings (the component shared by all anecdotes and by the anecdotes of one report
  removed, names masked) against each *facet* of the definition (max over facets);
  IDF-weighted definition keywords found in the text, Dutch compounds included
  ("vergunning" in "omgevingsvergunning"); character n-gram TF-IDF similarity to the code's
  description.
- **supervised** once labels exist: similarity to the nearest labelled examples of each code,
  and a logistic regression on the embeddings plus character n-gram TF-IDF (reduced by SVD) of
  the masked text, mixed with the zero-shot probabilities with a weight that
  grows with the number of labels (``prior_strength`` labels make it 50/50).
- transductive **self-training** over the unlabelled corpus: the texts most confidently
  predicted for a code become its examples (pseudo-labels), two rounds by default.
- **rejections** (anecdote, code) are never suggested again.
- **initiative vocabulary** (words found only in the reports of one initiative: its place,
  its people, its project) is dropped from all evidence, so labels of one initiative transfer
  to another; supervised evidence is mixed in as far as cross-validation supports it.

``fit`` computes the text features once; :meth:`LabelSuggester.update` retrains on new labels
in a fraction of a second, which is what an analyst labelling one anecdote after another needs.

Measured on the dev set and not adopted (``scripts/learning_curve.py check``; on 32 to 69
anecdotes a standard error is 6 to 9 points, and none of these beat the defaults on the
themes and on the practice guard together): per-anecdote z-scoring or rank (probit)
normalisation of the evidence, Sinkhorn balancing of the code shares, sentence-level matching
(max or top-2 mean over sentences), the facet mean or top-2 instead of the max, facets prefixed
with the code name, soft word matching with embedded words, keyword weights shared out among
the codes holding them, stop words kept out of the initiative vocabulary, nearest-neighbour
smoothing, pseudo-labels drawn per initiative, a classifier on labels plus pseudo-labels, a
nearest-centroid classifier, stacking on the zero-shot evidence, logistic regression or naive
Bayes on cross-initiative lemmas, and averaging ten configurations. Labels of one initiative
barely transfer to another: no supervised model alone scores above 0.28 there (the
classifier now in use 0.16).

Also measured and not adopted, as themes codebook only / trained on groen, tested on anker /
trained on anker, tested on groen (defaults 0.391 / 0.469 / 0.459) and the guard's mean
(defaults 0.553): CSLS hubness correction of the facet cosines, k = 3, 5, 10 (0.362 / 0.438
to 0.469 / 0.459; guard 0.547 to 0.554), with the anecdote term as well (0.377 / 0.375 /
0.459); CSLS on the n-gram or keyword scores changes nothing (the per-code z-score already
removes a per-code offset, and with the anecdotes centred on the corpus each facet's mean
cosine is already about 0); facets centred on their own mean against the genre gap (0.362 /
0.406 / 0.432; guard 0.573), or halfway (0.362 / 0.438 / 0.459); cluster-then-label, the mean
zero-shot score of the anecdote's :class:`~reportanalysis.themes.ThemeModel` cluster added
with weight 2 (0.420 / 0.500 / 0.486, guard 0.571: +3 points, under one standard error, and
gone at weight 1 or 3 or with 10 or 20 clusters); Rocchio feedback (top 3 per code) into the
n-gram descriptions (0.406 / 0.438 / 0.432), as an extra embedding facet (0.420 / 0.469 /
0.432) or both (0.391 / 0.438 / 0.405; guard 0.604); soft-EM code centroids (0.391 / 0.438 /
0.432); co-training pseudo-labels on which all three sources agree (0.348 / 0.438 / 0.324);
per-facet z-scores (0.362 / 0.438 / 0.459), corpus percentiles (0.377 / 0.406 / 0.378; guard
0.588) or a log-sum-exp over facets (0.348 / 0.469 / 0.459); hypothesis templates "Het gaat
over …" (0.348 / 0.469 / 0.378); removing the top principal component (0.348 / 0.312 /
0.405) or shrinkage whitening (0.377 / 0.438 / 0.378); centring by initiative rather than
report (0.362 / 0.375 / 0.405); the neighbouring anecdotes of the report, weight 0.2 (0.362 /
0.406 / 0.459); keyword scores only scaled, not centred (0.362 / 0.469 / 0.459); 1 to 4
self-training rounds × 1, 2, 3, 5 pseudo-labels per code (none above the defaults); anecdotes
and facets embedded without their stop words (0.435 / 0.438 / 0.378; guard 0.609) or that
averaged with the full text (0.391 / 0.469 / 0.432); English MiniLM instead of USE (0.304 /
0.281 / 0.297); keyword IDF from general Dutch word frequencies (``wordfreq``) instead of
the corpus, or mixed half and half (0.333 / 0.469 / 0.459 and 0.391 / 0.469 / 0.459; guard
0.538 and 0.531); the Dutch stop words extended with number words and pronominal adverbs,
as the theme keywords use them (0.406 / 0.438 / 0.432). Labels of both initiatives (5-fold,
55 labels a fold) give 0.406 over all 69: the features, not the way they are mixed, bound
the themes.

Transductive domain adaptation across initiatives, measured and not adopted (60 variants;
codebook only / groen → anker / anker → groen, guard): iterative nullspace projection of the
initiative or report directions (Ravfogel et al. 2020; 1–20 rounds, on the embeddings, the
n-gram block or the zero-shot part: 0.333–0.391 / 0.344–0.500 / 0.324–0.486, never both cross
figures up), CORAL and subspace alignment (≤ 0.391 / 0.469 / 0.459), Sinkhorn or EM
re-estimation of the target's code shares (≤ 0.406 / 0.405), mutual-nearest-neighbour
correction and optimal-transport label propagation (≤ 0.406 / 0.432), importance weights (no
change). Even labels of the *same* initiative add only 6.5 points on average: perfect
adaptation would leave the cross figures near 0.50.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..embed import CachedEmbedder, Embedder, normalise_rows
from ..errors import ConfigError, NotFittedError
from ..model import Codebook
from ..saving import Saveable
from .features import (
    KeywordIndex,
    drop_terms,
    facets,
    initiatives,
    lemma_lexicon,
    local_terms,
    mask_names,
    term_sets,
)

__all__ = ["LabelSuggester", "Reason", "Suggestion", "parse_labels"]

LabelInput = Sequence[str | None] | Mapping[int, str | Iterable[str]] | None


#: The least cosine similarity for a labelled example to be cited as a reason. The cosines are
#: between anecdotes centred per report, so unrelated texts score about 0; on the dev set the
#: nearest example of a suggested code has a median of 0.19.
MIN_EXAMPLE_SIMILARITY = 0.1


@dataclass(frozen=True)
class Reason:
    """Why a code was suggested: matched terms, the closest facet, the nearest examples.

    >>> near = Reason("geld", terms=("subsidie",), examples=((4, 0.35),), example_texts=("Fonds",))
    >>> str(near)
    'lijkt op gelabeld voorbeeld ‘Fonds’ (gelijkenis 0,35); termen: subsidie'
    >>> str(Reason("geld", terms=("subsidie",), examples=((4, 0.02),), example_texts=("Iets",)))
    'termen: subsidie'
    """

    code: str
    terms: tuple[str, ...] = ()
    facet: str | None = None
    facet_similarity: float | None = None
    examples: tuple[tuple[int, float], ...] = ()
    example_texts: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = []
        if self.example_texts and self.examples[0][1] >= MIN_EXAMPLE_SIMILARITY:
            ex = self.example_texts[0]
            ex = ex if len(ex) <= 60 else ex[:59] + "…"
            similarity = f"{self.examples[0][1]:.2f}".replace(".", ",")
            parts.append(f"lijkt op gelabeld voorbeeld ‘{ex}’ (gelijkenis {similarity})")
        if self.terms:
            parts.append("termen: " + ", ".join(self.terms[:5]))
        if self.facet:
            parts.append(f"aspect: ‘{self.facet}’")
        return "; ".join(parts) or "geen duidelijke aanwijzing"


@dataclass(frozen=True)
class Suggestion:
    """A code suggested for the text at ``index``, with a probability and its reason."""

    index: int
    code: str
    confidence: float
    reason: Reason
    rank: int = 1


def parse_labels(labels: LabelInput, n: int, codes: Sequence[str]) -> list[tuple[int, int]]:
    """(text index, code index) pairs from a per-text sequence or an index → code(s) mapping.

    None, '' and NaN mean "not labelled"; an unknown code raises :class:`ConfigError`.

    >>> parse_labels(["b", None, "a"], 3, ["a", "b"])
    [(0, 1), (2, 0)]
    >>> parse_labels({1: ["a", "b"]}, 3, ["a", "b"])
    [(1, 0), (1, 1)]
    """
    if labels is None:
        return []
    index = {c: i for i, c in enumerate(codes)}
    if isinstance(labels, Mapping):
        items: Iterable[tuple[int, Any]] = labels.items()
    else:
        if len(labels) != n:
            raise ConfigError(f"{len(labels)} labels for {n} texts: give one per text (or None)")
        items = enumerate(labels)
    pairs = []
    for i, value in items:
        if not 0 <= int(i) < n:
            raise ConfigError(f"label for text {i}, but there are only {n} texts")
        values = [value] if value is None or isinstance(value, str | float) else list(value)
        for v in values:
            if v is None or v == "" or (isinstance(v, float) and np.isnan(v)):
                continue
            if v not in index:
                raise ConfigError(
                    f"text {i} is labelled {v!r}, which is not a code of the codebook "
                    f"({', '.join(codes)}); add it to the codebook or fix the label"
                )
            pairs.append((int(i), index[v]))
    return sorted(set(pairs))


def _zscore(S: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    return (S - mean) / std


def _softmax(S: np.ndarray, temperature: float) -> np.ndarray:
    Z = (S - S.max(1, keepdims=True)) / temperature
    E = np.exp(Z)
    return E / E.sum(1, keepdims=True)


class LabelSuggester(Saveable):
    """Suggest codes of ``codebook`` for anecdote texts, from definitions and from labels.

    Parameters are only stored here (scikit-learn's contract); ``fit`` does the work.

    - ``embedder``: an :class:`~reportanalysis.embed.Embedder` (default: USE, cached);
    - ``weights``: weights of the embedding, keyword and character n-gram evidence;
    - ``prior_strength``: number of labels at which supervised and zero-shot weigh equally
      (default: three per code);
    - ``C``: inverse regularisation of the logistic regression;
    - ``self_training``: rounds of transductive self-training: the texts each code is most
      confidently predicted for (``pseudo_per_code``, default scaled to the corpus) serve as
      its examples;
    - ``center``: remove the corpus mean and, with ``groups``, each report's mean embedding;
    - ``mask``: mask names before embedding and before the supervised n-grams;
    - ``temperature``: softness of the zero-shot probabilities;
    - ``svd_components``: dimensions the n-gram TF-IDF is reduced to for the classifier;
    - ``compounds``: also split Dutch compounds into words of spaCy's lemma table (off: no
      gain measured on the dev set);
    - ``expansion_rounds``: rounds of pseudo-relevance feedback that add to each code's
      keywords the terms over-represented in the texts it matches best (off: no gain
      measured on the dev set);
    - ``local_min_df``: with ``groups``, words in at least this many texts, all of one
      initiative (reports sharing names), are dropped from all evidence (0: keep them);
    - ``strip_local``: also delete those words from the text before embedding and n-grams;
    - ``calibrate``: choose the classifier's weight against the zero-shot prior by
      cross-validation over initiatives (else reports; at most three folds) of the labelled texts;
    - ``seed``: seeds the SVD and breaks ties in :meth:`next_to_label`.
    """

    def __init__(
        self,
        codebook: Codebook,
        embedder: Embedder | None = None,
        *,
        weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
        example_weight: float = 2.0,
        linear: bool = True,
        prior_strength: float | None = None,
        C: float = 1.0,
        self_training: int = 2,
        pseudo_per_code: int | None = None,
        center: bool = True,
        mask: bool = True,
        temperature: float = 2.5,
        svd_components: int = 128,
        compounds: bool = False,
        expansion_rounds: int = 0,
        local_min_df: int = 3,
        calibrate: bool = True,
        strip_local: bool = True,
        seed: int = 0,
    ) -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.weights = weights
        self.example_weight = example_weight
        self.linear = linear
        self.prior_strength = prior_strength
        self.C = C
        self.self_training = self_training
        self.pseudo_per_code = pseudo_per_code
        self.center = center
        self.mask = mask
        self.temperature = temperature
        self.svd_components = svd_components
        self.compounds = compounds
        self.expansion_rounds = expansion_rounds
        self.local_min_df = local_min_df
        self.calibrate = calibrate
        self.strip_local = strip_local
        self.seed = seed

    # ------------------------------------------------------------------ scikit-learn API

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        names = [
            "codebook",
            "embedder",
            "weights",
            "example_weight",
            "linear",
            "prior_strength",
            "C",
            "self_training",
            "pseudo_per_code",
            "center",
            "mask",
            "temperature",
            "svd_components",
            "compounds",
            "expansion_rounds",
            "local_min_df",
            "calibrate",
            "strip_local",
            "seed",
        ]
        return {k: getattr(self, k) for k in names}

    def set_params(self, **params: Any) -> LabelSuggester:
        for k, v in params.items():
            if k not in self.get_params():
                raise ValueError(f"LabelSuggester has no parameter {k!r}")
            setattr(self, k, v)
        return self

    def fit(
        self,
        texts: Sequence[str],
        labels: LabelInput = None,
        *,
        groups: Sequence[str] | None = None,
        rejected: Iterable[tuple[int, str]] | None = None,
    ) -> LabelSuggester:
        """Learn from the corpus ``texts`` (all of them, labelled or not) and ``labels``.

        ``labels``: one code (or None) per text, or ``{index: code or codes}``; None or empty
        for zero-shot. ``groups``: the report of each text (for removing what one report's
        anecdotes share). ``rejected``: (index, code) pairs the coder turned down.
        """
        if len(self.codebook) < 2:
            raise ConfigError(f"codebook {self.codebook.name!r} needs at least two codes")
        texts = [str(t) for t in texts]
        if not texts:
            raise ConfigError("no texts to fit the suggester on")
        if groups is not None and len(groups) != len(texts):
            raise ConfigError(f"{len(groups)} groups for {len(texts)} texts")
        from ..dutch import Lemmatizer, stop_words
        from ..embed import USEEmbedder

        self.classes_ = np.array(self.codebook.names, dtype=object)
        self.texts_ = texts
        self.groups_ = list(groups) if groups is not None else None
        self.embedder_ = self.embedder or CachedEmbedder(USEEmbedder())
        # the spaCy pipeline is a pure tool: keep it across refits of the same object
        self.lemmatizer_ = getattr(self, "lemmatizer_", None) or Lemmatizer()
        self.facets_ = [facets(code) for code in self.codebook]
        self.facet_owner_ = np.array([j for j, fs in enumerate(self.facets_) for _ in fs])
        if self.compounds:
            # the lookup table is a pure tool too: keep it across refits
            self._lexicon = getattr(self, "_lexicon", None) or lemma_lexicon(self.lemmatizer_.nlp)
            self.lexicon_: frozenset[str] | None = self._lexicon | frozenset(
                w for lems in self.lemmatizer_.lemmas(texts) for w in lems if len(w) >= 4
            )
        else:
            self.lexicon_ = None
        self.local_terms_: set[str] = set()
        terms = self._terms(texts)
        self.initiatives_ = initiatives(texts, self.groups_) if self.groups_ else None
        # spaCy's stop words: the extended list (numbers, pronominal adverbs) measured no better
        # (see the module docstring), and a code may be named by a number ("één aanspreekpunt").
        self.keywords_ = KeywordIndex().fit(
            self.codebook,
            terms,
            self.lemmatizer_.lemmas,
            stop_words(boilerplate=True, extended=False),
            self.lexicon_,
        )
        if self.initiatives_ and self.local_min_df:
            # one initiative's places, people and projects are no evidence for a theme
            self.local_terms_ = local_terms(terms, self.initiatives_, self.local_min_df) - set(
                self.keywords_.vocab_
            )
            terms = [t - self.local_terms_ for t in terms]
            self.keywords_.fit(
                self.codebook,
                terms,
                self.lemmatizer_.lemmas,
                stop_words(boilerplate=True, extended=False),
                self.lexicon_,
            )
        self.keywords_.expand(terms, self.initiatives_, rounds=self.expansion_rounds)
        from sklearn.feature_extraction.text import TfidfVectorizer

        prepared = self._prepare(texts)
        raw = self.embedder_.embed(prepared)
        self.mean_embedding_ = raw.mean(0)
        descriptions = [code.description() for code in self.codebook]
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True
        )
        # one pass over the corpus' n-grams (fit, then transform read every text twice)
        both = self.vectorizer_.fit_transform(prepared + descriptions).tocsr()
        corpus_tfidf, self.description_tfidf_ = both[: len(prepared)], both[len(prepared) :]
        from sklearn.decomposition import TruncatedSVD

        dims = max(
            1, min(self.svd_components, corpus_tfidf.shape[0] - 1, corpus_tfidf.shape[1] - 1)
        )
        self.svd_ = TruncatedSVD(n_components=dims, random_state=self.seed).fit(corpus_tfidf)
        facet_vecs = self.embedder_.embed([f for fs in self.facets_ for f in fs])
        self.facet_embeddings_ = self._centered(facet_vecs)
        evidence = self._evidence(raw, prepared, terms, self.groups_, corpus_tfidf)
        self.evidence_mean_ = [S.mean(0) for S in evidence["scores"]]
        self.evidence_std_ = [np.where(S.std(0) > 0, S.std(0), 1.0) for S in evidence["scores"]]
        self._corpus = evidence
        self.zero_shot_scores_ = self._combine(evidence["scores"])
        return self.update(labels, rejected=rejected)

    def update(
        self, labels: LabelInput = None, *, rejected: Iterable[tuple[int, str]] | None = None
    ) -> LabelSuggester:
        """Retrain on new ``labels``/``rejected`` for the fitted corpus (features are kept)."""
        self._check_fitted()
        codes = list(self.classes_)
        n = len(self.texts_)
        self.labels_ = parse_labels(labels, n, codes)
        self.rejected_ = {
            (int(i), codes.index(c)) for i, c in (rejected or ()) if c in self.codebook
        }
        self.example_stats_: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.pseudo_labels_: list[tuple[int, int]] = []
        scores = self.zero_shot_scores_
        if self.labels_ and self.example_weight:
            examples = self._example_scores(self._corpus, self.labels_, "labels")
            scores = scores + self.example_weight * examples
        base = scores
        for _ in range(self.self_training):
            self.pseudo_labels_ = self._pseudo_labels(_softmax(scores, self.temperature))
            if not self.pseudo_labels_:
                break
            pseudo = self._example_scores(self._corpus, self.pseudo_labels_, "pseudo")
            scores = base + pseudo
        P_zero = _softmax(scores, self.temperature)
        P = P_zero
        self.model_ = None
        self.supervised_weight_ = 0.0
        if self.linear and len({c for _, c in self.labels_}) >= 2:
            idx = np.array([i for i, _ in self.labels_])
            y = np.array([c for _, c in self.labels_])
            self.model_ = self._train(self._corpus["features"][idx], y)
            P_sup = self._model_proba(self.model_, self._corpus["features"])
            strength = self.prior_strength or 3.0 * len(codes)
            w = len(self.labels_) / (len(self.labels_) + strength)
            if self.calibrate:
                w = self._calibrated_weight(idx, y, P_zero, w)
            self.supervised_weight_ = w
            P = (1 - w) * P_zero + w * P_sup
        P = P.copy()
        for i, c in self.rejected_:
            P[i, c] = 0.0
        sums = P.sum(1, keepdims=True)
        self.proba_ = np.where(sums > 0, P / np.where(sums > 0, sums, 1), P)
        return self

    def predict_proba(
        self, texts: Sequence[str] | None = None, *, groups: Sequence[str] | None = None
    ) -> np.ndarray:
        """Texts × codes probabilities (columns in ``classes_`` order); None: the fitted corpus."""
        self._check_fitted()
        if texts is None or list(texts) == self.texts_:
            return self.proba_
        texts = [str(t) for t in texts]
        prepared = self._prepare(texts)
        terms = self._terms(texts)
        evidence = self._evidence(self.embedder_.embed(prepared), prepared, terms, groups)
        scores = self._combine(evidence["scores"])
        if "labels" in self.example_stats_:
            examples = self._example_scores(evidence, self.labels_, "labels")
            scores = scores + self.example_weight * examples
        if "pseudo" in self.example_stats_:
            scores = scores + self._example_scores(evidence, self.pseudo_labels_, "pseudo")
        P = _softmax(scores, self.temperature)
        if self.model_ is not None:
            w = self.supervised_weight_
            P = (1 - w) * P + w * self._model_proba(self.model_, evidence["features"])
        return P

    def predict(
        self, texts: Sequence[str] | None = None, *, groups: Sequence[str] | None = None
    ) -> np.ndarray:
        """The most probable code per text."""
        proba = self.predict_proba(texts, groups=groups)
        return self.classes_[proba.argmax(1)]

    def explain(self, i: int, code: str | None = None) -> Reason:
        """Why fitted text ``i`` gets ``code`` (default: its top suggestion)."""
        self._check_fitted()
        if not 0 <= i < len(self.texts_):
            raise IndexError(f"text {i} is not in the fitted corpus of {len(self.texts_)} texts")
        j = int(self.proba_[i].argmax()) if code is None else list(self.classes_).index(code)
        return self._reason(j, self._corpus["terms"][i], self._corpus["embedding"][i], skip=i)

    def suggest(
        self,
        texts: Sequence[str] | None = None,
        top_k: int = 1,
        *,
        groups: Sequence[str] | None = None,
    ) -> list[Suggestion]:
        """The ``top_k`` codes per text (None: the fitted corpus), flat, text by text.

        A code the coder rejected for a text (probability 0) is never suggested for it, so a
        text may get fewer than ``top_k`` suggestions, or none."""
        self._check_fitted()
        P = self.predict_proba(texts, groups=groups)
        if texts is None or list(texts) == self.texts_:
            terms, emb = self._corpus["terms"], self._corpus["embedding"]
        else:
            texts = [str(t) for t in texts]
            prepared = self._prepare(texts)
            terms = self._terms(texts)
            emb = self._centered(self.embedder_.embed(prepared), groups)
        out = []
        for i, row in enumerate(P):
            ranked = [j for j in np.argsort(-row, kind="stable")[:top_k] if row[j] > 0]
            for rank, j in enumerate(ranked, start=1):
                own = i if texts is None or list(texts) == self.texts_ else None
                reason = self._reason(int(j), terms[i], emb[i], skip=own)
                out.append(Suggestion(i, str(self.classes_[j]), float(row[j]), reason, rank))
        return out

    def next_to_label(self, n: int = 10, *, exclude: Iterable[int] = ()) -> list[int]:
        """Indices of the unlabelled texts whose labels would teach the model most.

        Active learning: uncertainty (1 − margin between the two most probable codes) times
        density (mean similarity to the ten nearest texts), picked greedily so each pick is
        unlike the labelled texts and the picks before it.
        """
        self._check_fitted()
        X = self._corpus["embedding"]
        m = len(X)
        labelled = {i for i, _ in self.labels_} | set(exclude)
        top2 = np.sort(self.proba_, 1)[:, -2:]
        uncertainty = 1.0 - (top2[:, 1] - top2[:, 0])
        sim = X @ X.T
        k = min(10, m - 1)
        density = np.sort(sim, 1)[:, -(k + 1) : -1].mean(1).clip(min=0) if k > 0 else np.ones(m)
        rng = np.random.default_rng(self.seed)
        score = uncertainty * (0.5 + density) + rng.uniform(0, 1e-9, m)
        chosen: list[int] = []
        near = np.full(m, -1.0)
        for j in labelled:
            near = np.maximum(near, sim[j])
        candidates = np.array([i for i in range(m) if i not in labelled], dtype=int)
        while len(chosen) < n and len(candidates):
            gain = score[candidates] * (1.0 - near[candidates].clip(min=0) ** 2)
            best = int(candidates[int(np.argmax(gain))])
            chosen.append(best)
            near = np.maximum(near, sim[best])
            candidates = candidates[candidates != best]
        return chosen

    # ------------------------------------------------------------------ internals

    def _check_fitted(self) -> None:
        if not hasattr(self, "zero_shot_scores_"):
            raise NotFittedError("LabelSuggester is not fitted yet: call fit(texts, labels) first")

    def _terms(self, texts: Sequence[str]) -> list[set[str]]:
        terms = term_sets(texts, self.lemmatizer_.lemmas(texts), self.lexicon_)
        return [t - self.local_terms_ for t in terms] if self.local_terms_ else terms

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        """Texts as embedded and n-grammed: names masked, local words dropped."""
        out = [mask_names(t) for t in texts] if self.mask else list(texts)
        if self.strip_local and self.local_terms_:
            out = [drop_terms(t, self.local_terms_) for t in out]
        return out

    def _centered(self, X: np.ndarray, groups: Sequence[str] | None = None) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if not self.center:
            return normalise_rows(X)
        X = X - self.mean_embedding_
        if groups is not None:
            g = np.asarray(list(groups), dtype=object)
            for value in set(g):
                rows = g == value
                if rows.sum() > 1:
                    X[rows] -= X[rows].mean(0)
        return normalise_rows(X)

    def _evidence(
        self,
        raw: np.ndarray,
        prepared: Sequence[str],
        terms: Sequence[set[str]],
        groups: Sequence[str] | None,
        tfidf: Any = None,
    ) -> dict[str, Any]:
        """Zero-shot scores, centred embeddings, terms and classifier features of texts;
        ``tfidf``: their n-gram TF-IDF when it is at hand (the fitted corpus)."""
        emb = self._centered(raw, groups)
        S = emb @ self.facet_embeddings_.T
        K = len(self.classes_)
        s_emb = np.stack([S[:, self.facet_owner_ == j].max(1) for j in range(K)], 1)
        s_lex = self.keywords_.scores(terms)
        if tfidf is None:
            tfidf = self.vectorizer_.transform(prepared)
        s_char = (tfidf @ self.description_tfidf_.T).toarray()
        # dense features for the classifier and the nearest examples: embedding + n-gram SVD
        features = np.hstack([emb, normalise_rows(self.svd_.transform(tfidf))])
        return {
            "scores": [s_emb, s_lex, s_char],
            "embedding": emb,
            "terms": list(terms),
            "features": features,
        }

    def _example_scores(
        self, evidence: dict[str, Any], pairs: Sequence[tuple[int, int]], key: str
    ) -> np.ndarray:
        """Texts × codes: mean similarity to the (up to 3) closest examples of each code among
        ``pairs`` (text index, code index) of the corpus (embedding + n-gram cosine), z-scored
        with the corpus' statistics (kept under ``key``); 0 for codes without examples."""
        idx = np.array([i for i, _ in pairs])
        codes = np.array([c for _, c in pairs])
        sims = evidence["features"] @ self._corpus["features"][idx].T
        out = np.zeros((sims.shape[0], len(self.classes_)))
        if evidence is self._corpus:
            sims[idx, np.arange(len(idx))] = 0.0  # a text is not its own example
        for j in range(len(self.classes_)):
            cols = sims[:, codes == j]
            if cols.shape[1]:
                out[:, j] = np.sort(cols, 1)[:, -3:].mean(1)
        if evidence is self._corpus:
            std = out.std(0)
            self.example_stats_[key] = (out.mean(0), np.where(std > 0, std, 1.0))
        mean, std = self.example_stats_[key]
        z = (out - mean) / std
        z[:, ~np.isin(np.arange(len(self.classes_)), codes)] = 0.0
        return z

    def _calibrated_weight(
        self, idx: np.ndarray, y: np.ndarray, P_zero: np.ndarray, default: float
    ) -> float:
        """The weight of the classifier against the zero-shot prior that predicts held-out
        labels best (log-likelihood; up to three folds of whole initiatives, else reports, else
        interleaved texts); ``default`` with fewer than ten labels."""
        if len(idx) < 10:
            return default
        folds = None
        for key in (self.initiatives_, self.groups_):
            if key is not None:
                values = np.array([key[i] for i in idx], dtype=object)
                if len(set(values)) >= 2:
                    # at most three folds (refits stay fast), whole initiatives (reports) in each
                    rank = {v: r for r, v in enumerate(sorted(set(values), key=str))}
                    folds = np.array([rank[v] % 3 for v in values])
                    break
        if folds is None:
            folds = np.arange(len(idx)) % 3
        P_oof = np.zeros((len(idx), len(self.classes_)))
        X = self._corpus["features"][idx]
        for f in sorted(set(folds), key=str):
            test = folds == f
            if len(set(y[~test])) < 2:
                P_oof[test] = 1.0 / len(self.classes_)
                continue
            P_oof[test] = self._model_proba(self._train(X[~test], y[~test]), X[test])
        P0 = P_zero[idx, y]
        P1 = P_oof[np.arange(len(idx)), y]
        grid = np.linspace(0.0, 1.0, 11)
        ll = [np.log((1 - w) * P0 + w * P1 + 1e-9).mean() for w in grid]
        self.calibration_ = dict(zip(grid.round(1).tolist(), ll, strict=True))
        return float(grid[int(np.argmax(ll))])

    def _pseudo_labels(self, P: np.ndarray) -> list[tuple[int, int]]:
        """Self-training: per code, the unlabelled texts it is most confidently predicted for
        (``pseudo_per_code``; default one per two codes' worth of texts, 2 to 20)."""
        n, k = P.shape
        per = self.pseudo_per_code or int(np.clip(round(n / (2 * k)), 2, 20))
        labelled = {i for i, _ in self.labels_}
        free = np.array([i for i in range(n) if i not in labelled], dtype=int)
        if len(free) == 0:
            return []
        top = P[free].argmax(1)
        pairs = []
        for j in range(k):
            mine = free[top == j]
            best = mine[np.argsort(-P[mine, j], kind="stable")][:per]
            pairs += [(int(i), j) for i in best]
        return pairs

    def _combine(self, scores: list[np.ndarray]) -> np.ndarray:
        total = np.zeros_like(scores[0])
        for w, S, mu, sd in zip(
            self.weights, scores, self.evidence_mean_, self.evidence_std_, strict=True
        ):
            if w:
                total += w * _zscore(S, mu, sd)
        return total

    def _train(self, X: Any, y: np.ndarray, sample_weight: np.ndarray | None = None) -> Any:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=self.C, max_iter=1000, class_weight="balanced")
        return model.fit(X, y, sample_weight=sample_weight)

    def _model_proba(self, model: Any, X: Any) -> np.ndarray:
        P = np.zeros((X.shape[0], len(self.classes_)))
        P[:, model.classes_] = model.predict_proba(X)
        return P

    def _reason(
        self, j: int, tokens: set[str], embedding: np.ndarray, skip: int | None = None
    ) -> Reason:
        owner = self.facet_owner_ == j
        sims = self.facet_embeddings_[owner] @ embedding
        best = int(np.argmax(sims))
        examples: list[tuple[int, float]] = []
        same = [i for i, c in getattr(self, "labels_", []) if c == j and i != skip]
        if same:
            ex_sims = self._corpus["embedding"][same] @ embedding
            order = np.argsort(-ex_sims, kind="stable")[:3]
            examples = [(same[int(o)], float(ex_sims[int(o)])) for o in order]
        return Reason(
            code=str(self.classes_[j]),
            terms=tuple(self.keywords_.matched(tokens, j)),
            facet=self.facets_[j][best],
            facet_similarity=float(sims[best]),
            examples=tuple(examples),
            example_texts=tuple(self.texts_[i] for i, _ in examples),
        )
