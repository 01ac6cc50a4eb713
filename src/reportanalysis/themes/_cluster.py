"""Clustering stages: a cheap reducer, k chosen by silhouette, KMeans or UMAP + HDBSCAN.

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


def reduce(X: np.ndarray, n_components: int, seed: int) -> tuple[np.ndarray, Any]:
    """PCA to at most ``n_components`` dimensions (exact solver: deterministic)."""
    from sklearn.decomposition import PCA

    k = min(n_components, X.shape[0] - 1, X.shape[1])
    if k < 2 or k >= X.shape[1]:
        return X, None
    pca = PCA(n_components=k, svd_solver="full", random_state=seed).fit(X)
    return pca.transform(X).astype(np.float32), pca


def kmeans(X: np.ndarray, k: int, seed: int, n_init: int = 10) -> Any:
    """A seeded KMeans, not yet fitted."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=n_init, random_state=seed)


def average_linkage(X: np.ndarray, k: int) -> np.ndarray:
    """Agglomerative clustering, cosine distance, average linkage (deterministic; O(n²) memory,
    so meant for small corpora). On the dev set it beat KMeans on the same rows.

    >>> X = np.array([[1, 0.1], [1, 0.2], [0.1, 1], [0.2, 1]], dtype=np.float32)
    >>> average_linkage(X, 2).tolist()
    [1, 1, 0, 0]
    """
    from sklearn.cluster import AgglomerativeClustering

    if k < 2 or X.shape[0] < 2:
        return np.zeros(X.shape[0], dtype=np.int64)
    model = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
    return np.asarray(model.fit_predict(X), dtype=np.int64)


def choose_k(X: np.ndarray, k_min: int, k_max: int, seed: int) -> tuple[int, dict[int, float]]:
    """The number of clusters with the best cosine silhouette of KMeans over ``k_min..k_max``.

    Above 3,000 rows the silhouette is computed on a seeded sample of 3,000.
    """
    from sklearn.metrics import silhouette_score

    n = X.shape[0]
    k_max = max(k_min, min(k_max, n - 1))
    if n < 3 or k_max < 2:
        return max(1, min(k_min, n)), {}
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
    return ids, normalise_rows(np.stack([X[labels == t].mean(axis=0) for t in ids]))


def nearest_centroid(X: np.ndarray, ids: Sequence[int], C: np.ndarray) -> np.ndarray:
    """For each row the id of the most similar centroid (cosine)."""
    if len(ids) == 0:
        return np.full(X.shape[0], -1, dtype=np.int64)
    sims = normalise_rows(X) @ C.T
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
