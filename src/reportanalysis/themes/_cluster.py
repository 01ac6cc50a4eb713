"""Clustering stages: a cheap reducer, k chosen by silhouette, KMeans, average linkage.

Feature rows may be dense or sparse (SciPy CSR: embeddings next to character n-grams); the
reducer then uses a truncated SVD instead of PCA, and average linkage works on the cosine
similarities of the full rows.

The same stages run inside BERTopic (passed in as ``umap_model=`` / ``hdbscan_model=``) or,
for tiny corpora where importing BERTopic costs more than it brings, on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..embed import normalise_rows

__all__ = [
    "average_linkage",
    "center_by_group",
    "choose_k",
    "kmeans",
    "linkage_themes",
    "nearest_centroid",
    "reduce",
    "relabel_by_size",
]


def center_by_group(
    X: np.ndarray, groups: Sequence[str] | None
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Subtract each group's mean embedding (a report's or initiative's own "accent").

    Returns the centred, re-normalised rows, the group means and the mean of the group means
    (used for texts of unknown group).

    >>> X = np.array([[1.0, 0.1], [1.0, -0.1], [0.1, 1.0], [-0.1, 1.0]], dtype=np.float32)
    >>> Y, means, _ = center_by_group(X, ["a", "a", "b", "b"])
    >>> np.round(Y, 2).tolist()
    [[0.0, 1.0], [0.0, -1.0], [1.0, 0.0], [-1.0, 0.0]]
    """
    X = np.asarray(X, dtype=np.float32)
    if groups is None:
        mean = X.mean(axis=0) if len(X) else np.zeros(X.shape[1], dtype=np.float32)
        return normalise_rows(X), {}, mean
    g = np.asarray(list(groups), dtype=object)
    means = {str(k): X[g == k].mean(axis=0) for k in dict.fromkeys(g.tolist())}
    out = X.copy()
    for k, m in means.items():
        out[g == k] -= m
    overall = np.mean(np.stack(list(means.values())), axis=0)
    return normalise_rows(out), means, overall


def reduce(X: Any, n_components: int, seed: int) -> tuple[np.ndarray, Any]:
    """PCA to at most ``n_components`` dimensions (exact solver: deterministic); sparse rows
    get a seeded truncated SVD (and always come back dense)."""
    from scipy import sparse

    k = min(n_components, X.shape[0] - 1, X.shape[1])
    if sparse.issparse(X):
        from sklearn.decomposition import TruncatedSVD

        if k < 2:
            return np.asarray(X.toarray(), dtype=np.float32), None
        svd = TruncatedSVD(n_components=k, random_state=seed).fit(X)
        return svd.transform(X).astype(np.float32), svd
    from sklearn.decomposition import PCA

    if k < 2 or k >= X.shape[1]:
        return X, None
    pca = PCA(n_components=k, svd_solver="full", random_state=seed).fit(X)
    return pca.transform(X).astype(np.float32), pca


def kmeans(X: np.ndarray, k: int, seed: int, n_init: int = 10) -> Any:
    """A seeded KMeans, not yet fitted."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=n_init, random_state=seed)


#: Above this many rows, sparse rows are randomly projected before their cosines are taken:
#: the exact sparse product of thousands of character n-gram rows is nearly dense and slow.
EXACT_ROWS = 1000
PROJECTION_DIM = 1024


def _dense_rows(X: Any, seed: int) -> np.ndarray:
    """Dense rows whose inner products are (about) those of ``X``: ``X`` itself when dense or
    small, else a seeded count sketch of its columns.

    The sketch adds every column, with a random sign, to one of ``PROJECTION_DIM`` random
    buckets: inner products are kept in expectation, off by about ``1 / sqrt(PROJECTION_DIM)``
    ≈ 0.03 for normalised rows, like a Johnson–Lindenstrauss projection. It is built in one
    vectorised step, where scikit-learn's sparse random matrix took 0.5 s for the 10⁵ n-gram
    columns of 3,000 anecdotes.
    """
    from scipy import sparse

    if not sparse.issparse(X):
        return np.asarray(X, dtype=np.float32)
    if X.shape[0] <= EXACT_ROWS or X.shape[1] <= PROJECTION_DIM:
        return np.asarray(X.toarray(), dtype=np.float32) if X.shape[1] <= 4096 else X
    rng = np.random.default_rng(seed)
    n_cols = X.shape[1]
    buckets = rng.integers(0, PROJECTION_DIM, size=n_cols)
    signs = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=n_cols)
    sketch = sparse.csr_matrix(
        (signs, (np.arange(n_cols), buckets)), shape=(n_cols, PROJECTION_DIM), dtype=np.float32
    )
    return np.asarray((X @ sketch).toarray(), dtype=np.float32)


def _cosine_tree(X: Any, seed: int = 0) -> tuple[Any, np.ndarray]:
    """The average-linkage tree over cosine distances of the rows, and the distance matrix."""
    from scipy import sparse
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    R = _dense_rows(X, seed)
    S = R @ R.T
    S = np.asarray(S.toarray() if sparse.issparse(S) else S, dtype=np.float32)
    norms = np.sqrt(np.clip(np.diag(S).copy(), 1e-12, None))
    S /= norms[:, None]
    S /= norms[None, :]
    np.subtract(1.0, S, out=S)  # now cosine distances
    np.clip(S, 0.0, 2.0, out=S)
    np.fill_diagonal(S, 0.0)
    # The upper triangle is taken; the product is symmetric up to rounding.
    return linkage(squareform(S, checks=False), method="average"), S


def _cut(tree: Any, k: int) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster

    return np.asarray(fcluster(tree, k, criterion="maxclust"), dtype=np.int64) - 1


def average_linkage(X: Any, k: int, seed: int = 0) -> np.ndarray:
    """Agglomerative clustering, cosine distance, average linkage (deterministic; O(n²) memory,
    so meant for the direct path). ``X`` may be sparse. On the dev set it beat KMeans.

    >>> X = np.array([[1, 0.1], [1, 0.2], [0.1, 1], [0.2, 1]], dtype=np.float32)
    >>> average_linkage(X, 2).tolist()
    [0, 0, 1, 1]
    """
    if k < 2 or X.shape[0] < 2:
        return np.zeros(X.shape[0], dtype=np.int64)
    tree, _ = _cosine_tree(X, seed)
    return _cut(tree, min(k, X.shape[0]))


def linkage_themes(
    X: Any, k_min: int, k_max: int, seed: int
) -> tuple[np.ndarray, int, dict[int, float]]:
    """Average linkage with k chosen by the silhouette of the tree's own cuts.

    One tree; each cut ``k_min..k_max`` is scored by its cosine silhouette on the same
    distances (above 1,000 rows on a seeded sample of 1,000), so k is judged on the
    clustering that is returned, not on a KMeans stand-in. Returns ``(labels, k, scores)``.

    >>> X = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1], [-1, 0.1], [-1, 0]], dtype=np.float32)
    >>> labels, k, _ = linkage_themes(X, 2, 4, seed=0)
    >>> k, labels.tolist()
    (3, [1, 1, 2, 2, 0, 0])
    """
    from sklearn.metrics import silhouette_score

    n = X.shape[0]
    k_max = max(k_min, min(k_max, n - 1))
    if n < 3 or k_max < 2:
        return np.zeros(n, dtype=np.int64), 1, {}
    tree, D = _cosine_tree(X, seed)
    # One seeded sample of 1,000 rows scores every cut (the rows scikit-learn's own
    # ``sample_size`` would draw), so the distance block is cut out once, not once per k.
    rows = np.random.RandomState(seed).permutation(n)[:1000] if n > 1000 else np.arange(n)
    block = D[np.ix_(rows, rows)] if n > 1000 else D
    scores: dict[int, float] = {}
    cuts: dict[int, np.ndarray] = {}
    for k in range(max(2, k_min), k_max + 1):
        labels = _cut(tree, k)
        if len(set(labels[rows].tolist())) < 2:
            continue
        cuts[k] = labels
        scores[k] = float(silhouette_score(block, labels[rows], metric="precomputed"))
    if not scores:
        return np.zeros(n, dtype=np.int64), 1, scores
    best = max(scores, key=lambda k: (round(scores[k], 6), -k))
    return cuts[best], best, scores


def choose_k(
    X: np.ndarray, k_min: int, k_max: int, seed: int, sample_rows: int = 5000
) -> tuple[int, dict[int, float]]:
    """The number of clusters with the best cosine silhouette of KMeans over ``k_min..k_max``.

    Above ``sample_rows`` rows the candidates are fitted on a seeded sample of that many rows
    (the caller fits the chosen k on all of them); the silhouette is computed on at most
    3,000 rows.
    """
    from sklearn.metrics import silhouette_score

    n = X.shape[0]
    k_max = max(k_min, min(k_max, n - 1))
    if n < 3 or k_max < 2:
        return max(1, min(k_min, n)), {}
    if n > sample_rows:
        rows = np.random.default_rng(seed).choice(n, size=sample_rows, replace=False)
        X, n = X[np.sort(rows)], sample_rows
    scores: dict[int, float] = {}
    sample = min(n, 3000)
    for k in range(max(2, k_min), k_max + 1):
        labels = kmeans(X, k, seed, n_init=3).fit_predict(X)
        if len(set(labels.tolist())) < 2:
            continue
        scores[k] = float(
            silhouette_score(X, labels, metric="cosine", sample_size=sample, random_state=seed)
        )
    if not scores:
        return max(1, k_min), scores
    best = max(scores, key=lambda k: (round(scores[k], 6), -k))
    return best, scores


def centroids(X: np.ndarray, labels: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Theme ids (≥ 0) and their normalised mean rows."""
    ids = sorted(int(t) for t in set(labels.tolist()) if t >= 0)
    if not ids:
        return [], np.zeros((0, X.shape[1]), dtype=np.float32)
    means = [np.asarray(X[labels == t].mean(axis=0)).ravel() for t in ids]
    return ids, normalise_rows(np.stack(means))


def nearest_centroid(X: np.ndarray, ids: Sequence[int], C: np.ndarray) -> np.ndarray:
    """For each row the id of the most similar centroid (cosine)."""
    if len(ids) == 0:
        return np.full(X.shape[0], -1, dtype=np.int64)
    sims = np.asarray(X @ C.T)  # cosine up to each row's norm, which does not change argmax
    return np.asarray(ids, dtype=np.int64)[sims.argmax(axis=1)]


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber themes 0, 1, … from largest to smallest (ties: first occurrence); -1 stays.

    >>> relabel_by_size(np.array([5, 2, 2, -1, 5, 2])).tolist()
    [1, 0, 0, -1, 1, 0]
    """
    labels = np.asarray(labels)
    ids = [t for t in dict.fromkeys(labels.tolist()) if t >= 0]
    counts = {t: int((labels == t).sum()) for t in ids}
    order = sorted(ids, key=lambda t: -counts[t])  # stable: ties keep first occurrence
    mapping = {t: i for i, t in enumerate(order)}
    return np.array([mapping.get(t, -1) for t in labels.tolist()], dtype=np.int64)
