"""Themes benchmark: quality on the dev set, ablations, 10,000 anecdotes, numba first-fit cost.

    .venv/bin/python benchmarks/bench_themes.py [--n 10000] [--skip-scale] [--skip-numba]

Prints, on the dev set (gold anecdotes as input, USE embeddings):

- ARI/NMI against the gold themes over 5 seeds (mean, min) for the default model;
- the silhouette and the ARI of every cut k = 2..20 of the default tree (is k the limit?);
- the same with each countermeasure against grouping by initiative switched off or on
  (group centring, entity masking, lexical block: character n-grams or lemma SVD, topic
  words, average linkage), with the
  ARI against the *initiative* (lower = less grouping by initiative);

then themes 10,000 anecdotes made by recombining dev sentences (embedded once with USE and
cached in ``benchmarks/out/``; the fit time excludes embedding), and the first-fit cost of the
numba-compiled UMAP/HDBSCAN code: a cold process vs a warm second fit, and a second process
reading numba's on-disk cache (``NUMBA_CACHE_DIR=benchmarks/out/numba``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DEV = Path(os.environ.get("RA_DEV", HERE.parent.parent / "shared" / "eval" / "dev"))


def _gold() -> list[dict]:
    with open(DEV / "gold.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _use(texts: list[str], tag: str) -> np.ndarray:
    """USE embeddings, cached in benchmarks/out by a hash of the texts."""
    from reportanalysis.embed import USEEmbedder

    key = hashlib.sha1("\n".join(texts).encode("utf-8")).hexdigest()[:12]
    path = OUT / f"use-{tag}-{key}.npy"
    if path.exists():
        return np.load(path)
    OUT.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    X = USEEmbedder().embed(texts)
    print(f"  embedded {len(texts)} texts with USE in {time.perf_counter() - t:.1f} s (cached)")
    np.save(path, X)
    return X


def quality(seeds: int = 5) -> None:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from reportanalysis.themes import ThemeModel, mask_names

    rows = _gold()
    texts = [r["text"] for r in rows]
    gold = [r["theme"] for r in rows]
    reports = [r["report"] for r in rows]
    X = _use(texts, "dev")
    Xm = _use([mask_names(t) for t in texts], "dev-masked")
    print(
        f"\n== dev set: {len(rows)} gold anecdotes, {len(set(gold))} gold themes, groups = report"
    )
    print("   (initiative of a report for the init-ARI: its id without the visit number)")
    initiative = [re.sub(r"[_-]?\d+$", "", r) for r in reports]
    fixed = len(rows) // 6  # the automatic range's upper end (min_theme_size=6)
    variants = [
        ("default (centre+chars+avg-link)", {}, X, True),
        ("lemma SVD lexical (previous)", {"lexical": "lemmas"}, X, True),
        ("lemmas, no topic words", {"lexical": "lemmas", "topic_words": False}, X, True),
        ("KMeans instead of avg-link", {"cluster_method": "kmeans"}, X, True),
        ("lemmas + KMeans", {"lexical": "lemmas", "cluster_method": "kmeans"}, X, True),
        ("no group centring", {"center_groups": False}, X, True),
        ("no lexical features", {"lexical_weight": 0.0}, X, True),
        ("neither", {"center_groups": False, "lexical_weight": 0.0}, X, True),
        ("+ entity masking", {"mask_entities": True}, Xm, True),
    ]
    print(f"   {'variant':30s} {'k':>6s} {'ARI mean':>8s} {'min':>6s} {'NMI':>6s} {'init-ARI':>8s}")
    for k in (None, fixed):
        for name, params, emb, use_groups in variants:
            aris, nmis, ks, inits = [], [], [], []
            for seed in range(seeds):
                model = ThemeModel(seed=seed, mode="direct", n_themes=k, **params)
                model.fit(texts, embeddings=emb, groups=reports if use_groups else None)
                aris.append(adjusted_rand_score(gold, model.labels_))
                nmis.append(normalized_mutual_info_score(gold, model.labels_))
                inits.append(adjusted_rand_score(initiative, model.labels_))
                ks.append(len(set(model.labels_.tolist())))
            kk = f"{min(ks)}-{max(ks)}" if k is None else str(k)
            print(
                f"   {name:30s} {kk:>6s} {np.mean(aris):8.3f} {np.min(aris):6.3f} "
                f"{np.mean(nmis):6.3f} {np.mean(inits):8.3f}"
            )


def k_curve(max_k: int = 20) -> None:
    """Is k or the partition the limit? The silhouette of each cut of the default tree next to
    the ARI of that cut (the automatic k takes the best silhouette up to n / min_theme_size)."""
    from sklearn.metrics import adjusted_rand_score

    from reportanalysis.themes import ThemeModel

    rows = _gold()
    texts, gold = [r["text"] for r in rows], [r["theme"] for r in rows]
    reports = [r["report"] for r in rows]
    X = _use(texts, "dev")
    wide = ThemeModel(mode="direct", min_theme_size=1, max_themes=max_k)
    sil = wide.fit(texts, embeddings=X, groups=reports).k_scores_
    auto = ThemeModel(mode="direct").fit(texts, embeddings=X, groups=reports)
    print(f"\n== k curve (default features; automatic k = {len(auto.themes_)})")
    print(f"   {'k':>3s} {'silhouette':>10s} {'ARI':>6s}")
    for k in sorted(sil):
        model = ThemeModel(mode="direct", n_themes=k).fit(texts, embeddings=X, groups=reports)
        print(f"   {k:3d} {sil[k]:10.3f} {adjusted_rand_score(gold, model.labels_):6.3f}")


def _sentences() -> list[str]:
    sents: list[str] = []
    for r in _gold():
        sents += [s for s in re.split(r"(?<=[.!?’”])\s+", r["text"]) if len(s) > 20]
    return sents


def scale(n: int) -> None:
    from reportanalysis.themes import ThemeModel

    rng = np.random.default_rng(0)
    sents = _sentences()
    texts = [
        " ".join(sents[j] for j in rng.choice(len(sents), size=rng.integers(1, 4), replace=False))
        for _ in range(n)
    ]
    groups = [f"r{rng.integers(0, 40)}" for _ in range(n)]
    print(f"\n== {n} anecdotes recombined from {len(sents)} dev sentences, 40 groups")
    X = _use(texts, f"scale{n}")
    # Warm-up on a slice: imports (sklearn, spaCy) are not part of the fit time.
    ThemeModel(seed=0).fit(texts[:300], embeddings=X[:300], groups=groups[:300])
    for mode, lexical in (("auto", "chars"), ("auto", "lemmas"), ("small", "chars")):
        t = time.perf_counter()
        model = ThemeModel(seed=0, mode=mode, lexical=lexical)
        model.fit(texts, embeddings=X, groups=groups)
        dt = time.perf_counter() - t
        print(
            f"   mode={mode:5s} lexical={lexical:6s} path={model.path_:17s} {dt:6.1f} s  "
            f"themes={len(model.themes_)} outliers before reassigning={model.n_outliers_}"
        )


_NUMBA_PROBE = """
import time, numpy as np
t0 = time.perf_counter()
from umap import UMAP
from hdbscan import HDBSCAN
t1 = time.perf_counter()
X = np.random.default_rng(0).normal(size=(2000, 50)).astype(np.float32)
def fit():
    t = time.perf_counter()
    Y = UMAP(n_components=5, metric="cosine", random_state=0, min_dist=0.0).fit_transform(X)
    HDBSCAN(min_cluster_size=20).fit(Y)
    return time.perf_counter() - t
a = fit(); b = fit()
print(f"import {t1 - t0:.1f} s, first fit {a:.1f} s, second fit {b:.1f} s")
"""


def numba_cost() -> None:
    cache = OUT / "numba"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    print(f"\n== numba first-fit cost (UMAP + HDBSCAN on 2000 x 50), NUMBA_CACHE_DIR={cache}")
    for run in ("process 1", "process 2"):
        out = subprocess.run(
            [sys.executable, "-c", _NUMBA_PROBE], env=env, capture_output=True, text=True
        )
        files = len(list(cache.rglob("*.nbi"))) if cache.exists() else 0
        print(f"   {run}: {out.stdout.strip() or out.stderr[-300:]}  (cache index files: {files})")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import bertopic"], check=True)
    print(f"   `import bertopic` in a fresh process: {time.perf_counter() - t:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-numba", action="store_true")
    ap.add_argument("--also", type=int, nargs="*", default=[3000], help="more corpus sizes")
    args = ap.parse_args()
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    quality(args.seeds)
    k_curve()
    if not args.skip_scale:
        for n in [*args.also, args.n]:
            scale(n)
    if not args.skip_numba:
        numba_cost()


if __name__ == "__main__":
    main()
