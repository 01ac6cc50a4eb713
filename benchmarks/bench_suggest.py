"""Figures for label suggestions: refitting after one new label on 3,000 anecdotes.

    python benchmarks/bench_suggest.py [--anecdotes 3000] [--labels 40] [--repeats 5] [--seed 0]

Generates anecdote texts by recombining sentences of data/sample and the dev reports (names and
numbers varied, seeded), embeds them once with the default embedder (USE, through an in-memory
CachedEmbedder), fits a :class:`LabelSuggester` on the themes codebook of the dev set, then
times :meth:`LabelSuggester.update` after adding one label at a time (what the labelling widget
does after each click), a full refit with the embeddings cached, and saving and loading the
fitted suggester (``to_disk``/``from_disk``). Prints figures and asserts
nothing (target: update ≤ 0.5 s); timings depend on the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import source_paragraphs, vary  # noqa: E402

from reportanalysis.embed import CachedEmbedder, USEEmbedder  # noqa: E402
from reportanalysis.labels import LabelSuggester, load_codebook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
THEMES = ROOT.parent / "shared" / "eval" / "dev" / "themes.json"
_SENT = re.compile(r"(?<=[.!?’”])\s+(?=[A-Z‘“])")


def anecdote_texts(n: int, seed: int) -> list[str]:
    """``n`` distinct anecdote texts of one to three sentences from the sample reports."""
    rng = random.Random(seed)
    sentences = [s for p in source_paragraphs() for s in _SENT.split(p) if len(s) > 40]
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < n:
        k = rng.choice((1, 2, 2, 3))
        text = vary(" ".join(rng.sample(sentences, k)), rng)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--anecdotes", type=int, default=3000)
    ap.add_argument("--labels", type=int, default=40, help="labels already given before timing")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    codebook = load_codebook(THEMES)
    texts = anecdote_texts(args.anecdotes, args.seed)
    groups = [f"verslag_{i // 11}" for i in range(len(texts))]
    embedder = CachedEmbedder(USEEmbedder())
    t0 = time.perf_counter()
    suggester = LabelSuggester(codebook, embedder, seed=args.seed)
    suggester.fit(texts, groups=groups)
    first_fit = time.perf_counter() - t0
    print(f"anecdotes: {len(texts)}; codes: {len(codebook)}")
    print(f"first fit (embeds {embedder.computed} texts once): {first_fit:.2f} s")

    t0 = time.perf_counter()
    suggester.fit(texts, groups=groups)
    print(f"full refit, embeddings cached: {time.perf_counter() - t0:.2f} s")

    rng = random.Random(args.seed)
    labels: dict[int, str] = {}
    for i in rng.sample(range(len(texts)), args.labels):
        labels[i] = str(suggester.predict_proba()[i].argsort()[-1 - rng.randint(0, 2)])
        labels[i] = codebook.names[int(labels[i])]
    suggester.update(labels)
    times = []
    order = suggester.next_to_label(args.repeats)
    for i in order:
        labels[i] = str(suggester.predict()[i])
        t0 = time.perf_counter()
        suggester.update(labels)
        times.append(time.perf_counter() - t0)
    print(
        f"update after one new label ({len(labels)} labels): "
        f"median {statistics.median(times):.3f} s, "
        f"max {max(times):.3f} s over {len(times)} (target ≤ 0.5 s)"
    )
    t0 = time.perf_counter()
    suggester.next_to_label(10)
    print(f"next_to_label(10): {time.perf_counter() - t0:.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        folder = suggester.to_disk(Path(tmp) / "suggester")
        saved = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in folder.iterdir())
        t0 = time.perf_counter()
        loaded = LabelSuggester.from_disk(folder)
        read = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded.update(labels)
        print(
            f"to_disk: {saved:.2f} s, {size / 1e6:.1f} MB; from_disk: {read:.2f} s; "
            f"first update after loading: {time.perf_counter() - t0:.2f} s"
        )


if __name__ == "__main__":
    main()
