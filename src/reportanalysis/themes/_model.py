"""ThemeModel: themes over sentence embeddings, through BERTopic's pluggable stages.

Three paths, chosen by corpus size (``mode="auto"``) and reported in ``path_``:

- ``"direct"`` (fewer than ``small_corpus`` = 5,000 anecdotes): average linkage over the
  cosine of the full feature rows (k by the silhouette of the tree's own cuts), or PCA +
  KMeans, and c-TF-IDF keywords — without BERTopic. Importing BERTopic
  (torch via sentence-transformers) takes ~13 s on 2 cores, more than the whole theme step
  on a few thousand anecdotes, and adds nothing these stages need.
- ``"bertopic-kmeans"`` (5,000 anecdotes and more): BERTopic with the same cheap stages passed
  in — a PCA/SVD reducer (``BaseDimensionalityReduction`` over the reduced rows) and KMeans,
  k chosen on a seeded sample of 5,000 rows — so no anecdote is dropped as an outlier;
  BERTopic supplies the c-TF-IDF keywords.
- ``"bertopic-hdbscan"`` (``mode="large"``, or from ``large_corpus`` anecdotes when that is
  set): BERTopic with UMAP + HDBSCAN; outliers are reassigned to the nearest theme
  (``outliers="reassign"``) or kept as ``-1``. Never chosen by size alone: seeded UMAP runs
  on one thread, and on 10,000 anecdotes and 2 cores it took 269 s where the KMeans path
  took ~40 s (``benchmarks/bench_themes.py``).

Against grouping by initiative: each group's mean embedding is subtracted (``center_groups``),
names can be masked before embedding (``mask_entities``), and keywords leave out names and
words that occur in one initiative only (the visits of one initiative taken together), stop
words, number words and forms of saying (``KEYWORD_NEUTRAL``). Unguided results that say
little (most anecdotes outliers, one theme) raise a :class:`ThemeWarning`. Lexical features
are added to the embeddings as a block of equal weight (``lexical_weight``): character
4–6-gram TF-IDF of the text with names masked (``lexical="chars"``, the default) or
SVD-reduced lemma TF-IDF (``lexical="lemmas"``).
``benchmarks/bench_themes.py`` prints the ARI with and without each.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..embed import Embedder, normalise_rows
from ..errors import ConfigError, NotFittedError
from ..model import Codebook, Theme
from ..saving import Saveable
from ._cluster import (
    average_linkage,
    center_by_group,
    centroids,
    choose_k,
    kmeans,
    linkage_themes,
    nearest_centroid,
    reduce,
    relabel_by_size,
)
from ._text import (
    KEYWORD_NEUTRAL,
    THEME_NEUTRAL,
    char_docs,
    char_features,
    class_tfidf_keywords,
    group_specific_terms,
    keyword_label,
    lemma_docs,
    mask_names,
    rare_terms,
    reduced_char_features,
    report_initiatives,
    tfidf_features,
    topic_lemmas,
)

__all__ = ["MODES", "ThemeModel", "ThemeWarning"]


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Silence one library logger for the duration of a call (restored afterwards)."""
    log = logging.getLogger(logger)
    old = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(old)


MODES = ("auto", "direct", "small", "bertopic", "large")


class ThemeWarning(RuntimeWarning):
    """The themes say little (most anecdotes outliers, one theme, the fewest themes tried),
    or a setting cannot be honoured; the message names a better setting.

    Not a ``UserWarning``: importing BERTopic installs a filter that ignores those.
    """


LEXICAL = ("chars", "lemmas")
NEW_THEME_PREFIX = "nieuw: "


class ThemeModel(Saveable):
    """Group anecdotes into themes; scikit-learn style (``fit`` → ``labels_``, ``themes_``).

    Parameters
    ----------
    n_themes: a fixed number of themes, or None to choose it by silhouette over
        ``min_themes..min(max_themes, n / min_theme_size)`` — at least ``min_theme_size``
        anecdotes per theme on average, so an analyst gets readable themes, not pairs (the
        HDBSCAN path finds its own number; ``n_themes`` then reduces it). With a codebook
        the codes are the themes and ``n_themes`` counts them: at most ``n_themes`` minus the
        number of codes new themes are proposed (none when the codes fill it: the anecdotes
        fitting no code then go to their nearest code, or stay outliers with
        ``outliers="keep"``; fewer than the codes: a warning, every code is kept).
    codebook: guided mode — anecdotes go to the code whose description they resemble most
        (zero-shot, ``min_similarity``); those fitting no code form proposed new themes,
        labelled ``"nieuw: …"``. ``min_similarity`` is the cosine (both sides centred on the
        corpus) an anecdote needs to its best code. Codes no anecdote fits have no theme. In
        a hierarchical codebook the codes without children are the themes.
    embedder: used when ``fit`` gets no embeddings and for codebook descriptions; default USE.
    seed: the one seed of every random step; equal seeds give identical assignments.
    lexical: the lexical block next to the embeddings. ``"chars"`` (default): character
        4–6-gram TF-IDF (within words) of the text with names masked, kept sparse and full;
        it catches compound parts and inflections in any initiative (dev set, 5 seeds: ARI
        0.221 against 0.176 for ``"lemmas"``). ``"lemmas"``: lemma TF-IDF reduced to
        ``lexical_components`` dimensions by SVD, shaped by ``topic_words``.
    lexical_weight: the weight of the lexical block against the embeddings (each block is
        normalised first; 1.0 = equal say; 0 = embeddings only).
    topic_words: (``lexical="lemmas"``) leave out words of saying and judging
        (``vertellen``, ``lastig``) and add the parts of compounds (``bestemmingsplan`` →
        ``bestemming``, ``plan``) split on the corpus's own vocabulary.
    cluster_method: on the direct path, ``"average"`` (agglomerative, cosine over the full
        rows, average linkage; k by the silhouette of the tree's cuts, deterministic) or
        ``"kmeans"`` (PCA + KMeans, k by KMeans silhouette). Larger corpora use KMeans.
    mode: ``auto``, ``direct`` (no BERTopic), ``small``/``bertopic`` (BERTopic + PCA +
        KMeans) or ``large`` (BERTopic + UMAP + HDBSCAN).

    Tried on the dev set and not kept (ARI of the automatic k; default 0.221; those also
    run on 4 leave-one-report-out and 16 seeded 80 % subsets stayed below the default's
    0.176 and 0.172 there): removing the top 1/2/3
    principal directions after centring (0.093/0.189/0.132), PCA whitening (≤ 0.181),
    centring the character block per report (0.146) or dropping its n-grams of one
    initiative (0.128), co-association consensus over block weights and cuts (0.199),
    spectral clustering, nearest-neighbour graph or cosine (k 8/10/12, seeds 0–4: mean
    0.125–0.158), shared-nearest-neighbour similarity (≤ 0.189), rank-normalised block
    similarities (0.227 whole, 0.136 on subsets against 0.172), weighted linkage (0.225;
    0.157 on subsets), Ward (0.148), KMeans refinement of the cuts (no change), embedding the text
    without names or initiative words (0.148/0.076), sentence-mean embeddings (0.167),
    block weights 0.5/0.7/1.4/2 (0.168/0.130/0.160/0.150); general Dutch word frequencies
    (``wordfreq``'s Dutch list) weighting a lemma block, as −log p or SIF a/(a + p), with or
    without compound parts and initiative words, beside or instead of the character block
    (0.098–0.204), and a SIF-weighted mean of USE word vectors (Arora et al. 2017), with or
    without its first principal direction (0.043–0.221; cuts k = 8..14 ≤ 0.207);
    iterative nullspace projection of the report or initiative directions (Ravfogel et al.
    2020; 1–6 rounds, before or after centring, on either block: 0.055–0.2206, subsets ≤
    0.174/0.183), CORAL alignment of the initiatives (0.090–0.216), mutual-nearest-neighbour
    correction (≤ 0.138), a bag of sentence micro-topics alone or as a third block (m = 20–80:
    ≤ 0.158; 69 anecdotes have only 113 sentences), and shifting each initiative pair's block
    of similarities to a common mean (the default's labels; +0.003/+0.009 on the subsets,
    within the 0.015 the subset draw alone moves them). The
    silhouette grows with k
    here (0.043 at 2, 0.100 at 20), so k is in effect ``n / min_theme_size``; cuts
    k = 8..12 give 0.206–0.236 (``benchmarks/bench_themes.py`` prints the curve).
    """

    _lexicon: set[str] | None  # the fitted vocabulary compounds are split on

    def __init__(
        self,
        n_themes: int | None = None,
        codebook: Codebook | None = None,
        embedder: Embedder | None = None,
        seed: int = 0,
        mode: str = "auto",
        *,
        center_groups: bool = True,
        mask_entities: bool = False,
        lexical: str = "chars",
        lexical_weight: float = 1.0,
        topic_words: bool = True,
        cluster_method: str = "average",
        lexical_components: int = 20,
        min_themes: int = 2,
        max_themes: int = 20,
        min_theme_size: int = 6,
        outliers: str = "reassign",
        min_similarity: float = 0.05,
        top_n_words: int = 10,
        n_representatives: int = 3,
        small_corpus: int = 5000,
        large_corpus: int | None = None,
        reduce_to: int = 50,
    ) -> None:
        self.n_themes = n_themes
        self.codebook = codebook
        self.embedder = embedder
        self.seed = seed
        self.mode = mode
        self.center_groups = center_groups
        self.mask_entities = mask_entities
        self.lexical = lexical
        self.lexical_weight = lexical_weight
        self.topic_words = topic_words
        self.cluster_method = cluster_method
        self.lexical_components = lexical_components
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.min_theme_size = min_theme_size
        self.outliers = outliers
        self.min_similarity = min_similarity
        self.top_n_words = top_n_words
        self.n_representatives = n_representatives
        self.small_corpus = small_corpus
        self.large_corpus = large_corpus
        self.reduce_to = reduce_to

    # ------------------------------------------------------------------ helpers

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        import inspect

        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {n: getattr(self, n) for n in names}

    def set_params(self, **params: Any) -> ThemeModel:
        for k, v in params.items():
            if k not in self.get_params():
                raise ConfigError(f"ThemeModel has no parameter {k!r}")
            setattr(self, k, v)
        return self

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            from ..embed import USEEmbedder

            self.embedder = USEEmbedder()
        return self.embedder

    def __getstate__(self) -> dict[str, Any]:
        # The shared spaCy pipeline is built again when needed rather than pickled (9 MB).
        return {**self.__dict__, "_nlp_": None}

    def _nlp(self) -> Any:
        if getattr(self, "_nlp_", None) is None:
            from ..dutch import make_nlp

            self._nlp_ = make_nlp()
        return self._nlp_

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        prepared = [mask_names(t) for t in texts] if self.mask_entities else list(texts)
        return self._embedder().embed(prepared)

    def _check(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(
                f"ThemeModel: mode must be one of {', '.join(MODES)}, not {self.mode!r}"
            )
        if self.lexical not in LEXICAL:
            raise ConfigError(f"ThemeModel: lexical must be one of {', '.join(LEXICAL)}")
        if self.cluster_method not in ("average", "kmeans"):
            raise ConfigError("ThemeModel: cluster_method must be 'average' or 'kmeans'")
        if self.outliers not in ("reassign", "keep"):
            raise ConfigError("ThemeModel: outliers must be 'reassign' or 'keep'")
        if self.n_themes is not None and self.n_themes < 1:
            raise ConfigError("ThemeModel: n_themes must be at least 1 (or None: automatic)")

    def _path(self, n: int) -> str:
        if self.mode == "direct":
            return "direct"
        if self.mode == "small":
            return "bertopic-kmeans"
        if self.mode == "large":
            return "bertopic-hdbscan"
        large = self.large_corpus is not None and n >= self.large_corpus
        if self.mode == "bertopic":
            return "bertopic-hdbscan" if large else "bertopic-kmeans"
        if n < self.small_corpus:
            return "direct"
        return "bertopic-hdbscan" if large else "bertopic-kmeans"

    def _topic_docs(self, lemmas: Sequence[Sequence[str]]) -> list[list[str]]:
        """Lemmas for the lexical features (``topic_words``: neutral words out, compounds split;
        compounds split on the vocabulary seen in ``fit``)."""
        if not self.topic_words:
            return [list(d) for d in lemmas]
        lexicon: set[str] | None = getattr(self, "_lexicon", None)
        if lexicon is None:
            lexicon = self._lexicon = {w for d in lemmas for w in d}
        return topic_lemmas(lemmas, lexicon)

    def _features(self, base: np.ndarray, lexical: Any) -> Any:
        """Embeddings and the lexical block side by side, each normalised, rows of unit length
        (sparse CSR when the lexical block is sparse)."""
        from scipy import sparse

        w = self.lexical_weight
        if lexical is None or lexical.shape[1] == 0 or w <= 0:
            return base
        if sparse.issparse(lexical):
            scale = np.float32(1.0 / np.sqrt(1.0 + w * w))
            rows = sparse.hstack([sparse.csr_matrix(base), w * lexical], format="csr")
            return (rows * scale).astype(np.float32)
        return normalise_rows(np.hstack([base, w * normalise_rows(lexical)]))

    def _lexical_fit(self, texts: Sequence[str], lemmas: Sequence[Sequence[str]]) -> Any:
        """The lexical block of the training texts; remembers how to make it for new ones."""
        self._lexical_model: Any = None
        if self.lexical_weight <= 0:
            return None
        if self.lexical == "chars" and self.path_ != "direct":
            # Large corpora: reduced, fitted on a sample, made a chunk at a time (memory).
            X, model = reduced_char_features(texts, seed=self.seed)
            self._lexical_model = ("chars-svd", model) if model is not None else None
            return X
        if self.lexical == "chars":
            X, vec = char_features(texts)
            self._lexical_model = ("chars", vec) if vec is not None else None
            return X
        X, model = tfidf_features(self._topic_docs(lemmas), self.lexical_components, self.seed)
        self._lexical_model = ("lemmas", model) if model is not None else None
        return X

    def _lexical_transform(self, texts: Sequence[str]) -> Any:
        if self._lexical_model is None:
            return None
        kind, model = self._lexical_model
        if kind == "chars":
            return model.transform(char_docs(texts))
        vec, svd = model
        if kind == "chars-svd":
            return svd.transform(vec.transform(char_docs(texts))).astype(np.float32)
        lemmas = self._topic_docs(lemma_docs(texts, self._nlp()).lemmas)
        return svd.transform(vec.transform([" ".join(d) for d in lemmas]))

    # ------------------------------------------------------------------ fit

    def fit(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        groups: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        initiatives: Sequence[str] | None = None,
    ) -> ThemeModel:
        """Learn themes; ``groups`` (report or initiative per text) counter initiative clusters.

        Embeddings are centred per group. Keywords leave out the words of one *initiative*:
        ``initiatives`` when given (report metadata), else guessed from ``groups``
        (:func:`report_initiatives`: ``anker_1`` and ``anker_2`` are one initiative), so the
        vocabulary of an initiative's two visits counts as one initiative's.
        """
        self._check()
        texts = [str(t) for t in texts]
        n = len(texts)
        if n == 0:
            raise ConfigError("ThemeModel.fit: no anecdotes to group into themes")
        ids = [str(i) for i in ids] if ids is not None else [str(i) for i in range(n)]
        if any(x is not None and len(x) != n for x in (ids, groups, initiatives)):
            raise ConfigError(
                "ThemeModel.fit: texts, ids, groups and initiatives must have the same length"
            )
        if embeddings is None:
            embeddings = self._embed(texts)
        raw = normalise_rows(np.asarray(embeddings, dtype=np.float32))
        if raw.shape[0] != n:
            raise ConfigError(f"ThemeModel.fit: {raw.shape[0]} embeddings for {n} texts")
        group_list = [str(g) for g in groups] if groups is not None else None
        self.global_mean_: np.ndarray | None
        if self.center_groups and group_list is not None:
            base, self.group_means_, self.global_mean_ = center_by_group(raw, group_list)
        else:
            base, self.group_means_, self.global_mean_ = normalise_rows(raw), {}, None

        docs = lemma_docs(texts, self._nlp())
        self._lexicon = None
        self.path_ = self._path(n)
        if self.path_ == "bertopic-hdbscan" and n < self.small_corpus:
            warnings.warn(
                f"ThemeModel: mode={self.mode!r} (UMAP + HDBSCAN) is meant for large corpora; "
                f"on {n} anecdotes it is slow and finds few, uneven themes: try mode='auto'",
                ThemeWarning,
                stacklevel=2,
            )
        features = self._features(base, self._lexical_fit(texts, docs.lemmas))
        self.n_features_in_ = raw.shape[1]
        self.codes_: np.ndarray | None = None
        self.k_scores_: dict[int, float] = {}
        if initiatives is not None:
            self.initiatives_: list[str] | None = [str(i) for i in initiatives]
        else:
            self.initiatives_ = report_initiatives(group_list, texts) if group_list else None
        specific = group_specific_terms(docs.content, self.initiatives_)
        self.group_specific_terms_ = sorted(specific)
        # Keywords (and so labels) leave out names, words of one initiative, rare words and
        # words of saying and judging ("vinden", "lastig"): they say how, not what.
        exclude = specific | THEME_NEUTRAL | KEYWORD_NEUTRAL
        exclude |= rare_terms(docs.content) if n >= 20 else set()

        labels, names = self._cluster(features, base, texts, docs.content, exclude)
        if not names:
            self._warn_if_degenerate(labels)
        self._finish(labels, names, features, texts, ids, docs.content, exclude)
        return self

    def _warn_if_degenerate(self, labels: np.ndarray) -> None:
        """A :class:`ThemeWarning` naming a better setting when the unguided
        result is useless: most anecdotes outliers, one theme, or the fewest themes tried."""
        n = len(labels)
        if n < 2 * self.min_theme_size:
            return
        n_out = int((labels < 0).sum())
        found = len({t for t in labels.tolist() if t >= 0})
        scores = self.k_scores_
        if n_out * 2 >= n:
            what = f"{n_out} of {n} anecdotes fit no theme (outliers)"
        elif found <= 1 and self.n_themes != 1:
            what = f"all {n} anecdotes form one theme"
        elif self.n_themes is None and scores and found == min(scores) < max(scores) // 2:
            what = (
                f"the silhouette chose the fewest themes tried ({found} of "
                f"{min(scores)}..{max(scores)})"
            )
        else:
            return
        if self.path_ != "direct" and n < self.small_corpus:
            better = (
                f"mode='auto' (the direct path, for fewer than {self.small_corpus} "
                "anecdotes) or a fixed n_themes"
            )
        else:
            better = "a fixed n_themes"
        warnings.warn(
            f"ThemeModel (path {self.path_}): {what}; try {better}.",
            ThemeWarning,
            stacklevel=3,
        )

    def _cluster(
        self,
        features: Any,
        base: np.ndarray,
        texts: Sequence[str],
        content: Sequence[Sequence[str]],
        exclude: set[str],
    ) -> tuple[np.ndarray, dict[int, str]]:
        """Theme per row (ids ≥ 0, -1 outlier) and fixed names (guided mode) per theme."""
        names: dict[int, str] = {}
        if self.codebook is not None and len(self.codebook):
            return self._guided(features, base, texts, content, exclude)
        labels = self._unguided(features, content, exclude)
        return labels, names

    def _unguided(
        self, features: Any, content: Sequence[Sequence[str]], exclude: set[str]
    ) -> np.ndarray:
        n = features.shape[0]
        if n < 2:
            self.k_scores_ = {}
            return np.zeros(n, dtype=np.int64)
        if self.path_ == "bertopic-hdbscan":
            return self._bertopic(features, content, exclude, k=None)
        k_max = min(self.max_themes, max(self.min_themes, n // self.min_theme_size))
        if self.path_ == "direct" and self.cluster_method == "average":
            if self.n_themes is not None:
                self.k_scores_ = {}
                return average_linkage(features, min(self.n_themes, n), self.seed)
            labels, _, self.k_scores_ = linkage_themes(features, self.min_themes, k_max, self.seed)
            return labels
        reduced, self._reducer = reduce(features, self.reduce_to, self.seed)
        if self.n_themes is not None:
            k, self.k_scores_ = min(self.n_themes, n), {}
        else:
            k, self.k_scores_ = choose_k(reduced, self.min_themes, k_max, self.seed)
        if self.path_ == "bertopic-kmeans":
            return self._bertopic(reduced, content, exclude, k=k)
        return np.asarray(kmeans(reduced, k, self.seed).fit_predict(reduced), dtype=np.int64)

    def _bertopic(
        self, X: np.ndarray, content: Sequence[Sequence[str]], exclude: set[str], k: int | None
    ) -> np.ndarray:
        from bertopic import BERTopic
        from bertopic.dimensionality import BaseDimensionalityReduction
        from bertopic.vectorizers import ClassTfidfTransformer
        from sklearn.feature_extraction.text import CountVectorizer

        n = X.shape[0]
        if k is not None:
            reducer: Any = BaseDimensionalityReduction()  # rows are PCA-reduced already
            clusterer: Any = kmeans(X, k, self.seed)
            nr_topics = None
        else:
            from hdbscan import HDBSCAN
            from umap import UMAP

            X, self._reducer = reduce(X, self.reduce_to, self.seed)
            reducer = UMAP(
                n_neighbors=15,
                n_components=5,
                min_dist=0.0,
                metric="cosine",
                random_state=self.seed,
            )
            clusterer = HDBSCAN(
                min_cluster_size=max(10, n // 100),
                metric="euclidean",
                cluster_selection_method="eom",
                prediction_data=False,
            )
            nr_topics = self.n_themes + 1 if self.n_themes else None
        self.topic_model_ = BERTopic(
            umap_model=reducer,
            hdbscan_model=clusterer,
            vectorizer_model=self._vectorizer(exclude),
            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
            top_n_words=self.top_n_words,
            nr_topics=nr_topics,
            calculate_probabilities=False,
            # Not English: BERTopic would strip every non-ASCII letter (coöperatie, één) from
            # the documents before counting words. The embeddings are ours, so no model loads.
            language="multilingual",
            verbose=False,
        )
        docs = [" ".join(c) for c in content]
        topics, _ = self.topic_model_.fit_transform(docs, embeddings=X)
        _ = CountVectorizer  # imported for the type of _vectorizer's result
        return np.asarray(topics, dtype=np.int64)

    def _vectorizer(self, exclude: set[str]) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(
            token_pattern=r"\S+", lowercase=False, stop_words=sorted(exclude) or None
        )

    def _guided(
        self,
        features: Any,
        base: np.ndarray,
        texts: Sequence[str],
        content: Sequence[Sequence[str]],
        exclude: set[str],
    ) -> tuple[np.ndarray, dict[int, str]]:
        assert self.codebook is not None
        # In a hierarchy the leaves are the themes: a parent is what its children share.
        codes = [c for c in self.codebook.codes if not self.codebook.children(c.name)]
        C = self._embedder().embed([c.description() for c in codes])
        self.codes_ = self._code_vectors(C)
        sims = base @ self.codes_.T
        best = sims.argmax(axis=1)
        fits = sims.max(axis=1) >= self.min_similarity
        labels = np.where(fits, best, -1).astype(np.int64)
        names = {i: c.name for i, c in enumerate(codes)}
        self.k_scores_ = {}
        rest = np.flatnonzero(~fits)
        k_max = min(self.max_themes, max(1, len(rest) // self.min_theme_size))
        if self.n_themes is not None:
            # n_themes counts the codes too: what is left of it bounds the new themes.
            k_max = min(k_max, self.n_themes - len(codes))
            if self.n_themes < len(codes):
                warnings.warn(
                    f"ThemeModel: n_themes={self.n_themes} is less than the codebook's "
                    f"{len(codes)} codes; every code stays a theme and no new theme is "
                    "proposed. Merge codes in the codebook to get fewer themes.",
                    ThemeWarning,
                    stacklevel=4,
                )
        if len(rest) >= 2 and k_max >= 2:
            reduced, _ = reduce(features[rest], self.reduce_to, self.seed)
            k, self.k_scores_ = choose_k(reduced, 2, k_max, self.seed)
            labels[rest] = len(codes) + kmeans(reduced, k, self.seed).fit_predict(reduced)
        elif len(rest) and k_max >= 1:
            labels[rest] = len(codes)  # one new theme
        # else (no room for new themes): outliers, to their nearest code when reassigned
        return labels, names

    def _code_vectors(self, C: np.ndarray) -> np.ndarray:
        C = normalise_rows(C)
        if self.global_mean_ is not None:
            C = C - self.global_mean_
        return normalise_rows(C)

    def _finish(
        self,
        labels: np.ndarray,
        names: Mapping[int, str],
        features: Any,
        texts: Sequence[str],
        ids: Sequence[str],
        content: Sequence[Sequence[str]],
        exclude: set[str],
    ) -> None:
        labels = np.asarray(labels, dtype=np.int64)
        self.n_outliers_ = int((labels < 0).sum())
        if self.outliers == "reassign" and self.n_outliers_ and (labels >= 0).any():
            tids, C = centroids(features, labels)
            out = labels < 0
            labels[out] = nearest_centroid(features[out], tids, C)
        # Stable numbering: largest theme first; names follow their theme.
        order = [t for t in dict.fromkeys(labels.tolist()) if t >= 0]
        final = relabel_by_size(labels)
        old_to_new = {old: int(final[labels.tolist().index(old)]) for old in order}
        names = {old_to_new[o]: nm for o, nm in names.items() if o in old_to_new}
        self.labels_ = final
        self.ids_ = list(ids)
        self._content = [list(c) for c in content]
        self._exclude = exclude
        self._features_ = features
        self._names = names
        self.themes_ = self._make_themes(final, names)
        self.theme_labels_ = {t.id: t.label for t in self.themes_}
        self._centroid_ids, self._centroids = centroids(features, final)

    def _keywords(self, labels: np.ndarray) -> dict[int, list[str]]:
        if getattr(self, "topic_model_", None) is not None:
            docs = [" ".join(c) for c in self._content]
            try:
                with _quiet("BERTopic"):
                    self.topic_model_.update_topics(
                        docs,
                        topics=labels.tolist(),
                        top_n_words=self.top_n_words,
                        vectorizer_model=self._vectorizer(self._exclude),
                    )
                return {
                    int(t): [w for w, _ in (self.topic_model_.get_topic(int(t)) or []) if w]
                    for t in set(labels.tolist())
                }
            except ValueError:  # an empty vocabulary: fall back to our own c-TF-IDF
                pass
        return class_tfidf_keywords(
            self._content, labels.tolist(), top_n=self.top_n_words, exclude=self._exclude
        )

    def _make_themes(self, labels: np.ndarray, names: Mapping[int, str]) -> list[Theme]:
        keywords = self._keywords(labels)
        X = self._features_
        themes: list[Theme] = []
        used: set[str] = set()
        for t in sorted(set(labels.tolist())):
            members = np.flatnonzero(labels == t)
            kws = tuple(keywords.get(t, []))
            if t < 0:
                label = "overig"
            elif t in names:
                label = names[t]
            elif self.codebook is not None and len(self.codebook):
                label = NEW_THEME_PREFIX + keyword_label(kws)
            else:
                label = keyword_label(kws)
            base_label, i = label, 2
            while label in used:
                label, i = f"{base_label} ({i})", i + 1
            used.add(label)
            centre = normalise_rows(np.asarray(X[members].mean(axis=0)).reshape(1, -1))[0]
            closeness = np.asarray(X[members] @ centre).ravel()
            order = members[np.argsort(-closeness, kind="stable")]
            themes.append(
                Theme(
                    id=int(t),
                    label=label,
                    keywords=kws,
                    anecdote_ids=tuple(self.ids_[i] for i in members),
                    representative_ids=tuple(self.ids_[i] for i in order[: self.n_representatives]),
                )
            )
        return themes

    # ------------------------------------------------------------------ use

    def _require_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError("ThemeModel: call fit(texts) before transform or apply_edits")

    def transform(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        groups: Sequence[str] | None = None,
    ) -> np.ndarray:
        """The theme of new texts: the most similar theme centre (known groups are centred)."""
        self._require_fitted()
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros(0, dtype=np.int64)
        raw = normalise_rows(embeddings if embeddings is not None else self._embed(texts))
        if self.group_means_ and self.global_mean_ is not None:
            fallback: np.ndarray = self.global_mean_
            given = list(groups) if groups is not None else [None] * len(texts)
            rows = [
                self.group_means_.get(str(g), fallback) if g is not None else fallback
                for g in given
            ]
            base = normalise_rows(raw - np.stack(rows))
        else:
            base = raw
        features = self._features(base, self._lexical_transform(texts))
        return nearest_centroid(features, self._centroid_ids, self._centroids)

    def fit_transform(self, texts: Sequence[str], **kw: Any) -> np.ndarray:
        return self.fit(texts, **kw).labels_

    def apply_edits(self, edits: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Replay analyst edits on the fitted themes; keywords are recomputed. Returns failures."""
        from ._edits import apply_theme_edits

        self._require_fitted()
        assignments = dict(zip(self.ids_, self.labels_.tolist(), strict=True))
        assignments, themes, failed = apply_theme_edits(assignments, self.themes_, edits)
        labels = np.array([assignments.get(i, -1) for i in self.ids_], dtype=np.int64)
        names = {t.id: t.label for t in themes}
        self.topic_model_ = None  # BERTopic's topics no longer match: use our own c-TF-IDF
        self.labels_ = labels
        self._names = names
        self.themes_ = self._make_themes(labels, names)
        self.theme_labels_ = {t.id: t.label for t in self.themes_}
        self._centroid_ids, self._centroids = centroids(self._features_, labels)
        return failed
