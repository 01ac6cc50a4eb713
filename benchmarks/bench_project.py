"""Figures for the project store: label latency (synchronous FULL vs NORMAL), bulk labels,
reading the current labels, a re-split with labels re-anchored, the embedding cache.

    python benchmarks/bench_project.py [--reports 100] [--labels 20000]

Prints figures; asserts nothing. Timings depend on the disk and on what else runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from reportanalysis.model import Anecdote, Report
from reportanalysis.project import Project

SENTENCE = (
    "Mehmet komt elke week langs en de bewoners kennen hem bij naam; de subsidie liep vast bij "
    "de afdeling Financiën. "
)


def _report(n: int) -> Report:
    text = "".join(f"Alinea {k}. {SENTENCE * 3}\n" for k in range(30))
    return Report(id=f"verslag_{n}", source=f"verslag_{n}.txt", format="txt", text=text + f"{n}\n")


def _paragraphs(report: Report, merge_every: int = 0) -> list[Anecdote]:
    spans, start = [], 0
    for line in report.text.splitlines(keepends=True):
        end = start + len(line.rstrip("\n"))
        if end > start:
            spans.append((start, end))
        start += len(line)
    if merge_every:  # a different split: every few paragraphs glued together
        spans = [
            (spans[i][0], spans[min(i + merge_every, len(spans)) - 1][1])
            for i in range(0, len(spans), merge_every)
        ]
    return [Anecdote.from_span(report, s, e) for s, e in spans]


def _timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--labels", type=int, default=20000)
    parser.add_argument("--single", type=int, default=300, help="label() calls timed one by one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "b.ra") as p:
        reports = [_report(n) for n in range(args.reports)]
        t0 = time.perf_counter()
        for r in reports:
            p.add_report(r)
            p.set_anecdotes(r.id, _paragraphs(r))
        n_anecdotes = len(p.anecdotes())
        print(f"store {args.reports} reports, {n_anecdotes} anecdotes: "
              f"{time.perf_counter() - t0:.2f} s")  # fmt: skip

        ids = [a.id for a in p.anecdotes()]
        for mode in ("FULL", "NORMAL"):
            p._con.execute(f"PRAGMA synchronous={mode}")
            times = []
            for i in range(args.single):
                _, dt = _timed(p.label, ids[i % len(ids)], f"{mode}-{i}", coder="fleur")
                times.append(dt * 1000)
            print(f"label() synchronous={mode}: median {statistics.median(times):.2f} ms, "
                  f"p95 {np.percentile(times, 95):.2f} ms over {args.single} calls")  # fmt: skip
        p._con.execute("PRAGMA synchronous=FULL")

        rng = np.random.default_rng(0)
        frame = pd.DataFrame(
            {
                "anecdote_id": rng.choice(ids, args.labels),
                "code": rng.choice(["P1", "P2", "P3", "P4", "P5"], args.labels),
                "coder": rng.choice(["fleur", "rachid", "maarten"], args.labels),
            }
        )
        n, dt = _timed(p.label_many, frame)
        print(f"label_many({n} rows): {dt:.2f} s")
        labels, dt = _timed(p.labels)
        print(f"labels() -> {len(labels)} current labels: {dt * 1000:.0f} ms")
        lf, dt = _timed(p.labels_frame)
        print(f"labels_frame() -> {len(lf)} rows: {dt * 1000:.0f} ms")

        t0 = time.perf_counter()
        orphans = 0
        for r in reports:
            orphans += len(p.set_anecdotes(r.id, _paragraphs(r, merge_every=3)).orphaned_labels)
        dt = time.perf_counter() - t0
        print(f"re-split {args.reports} reports (labels re-anchored, {len(p.labels())} after, "
              f"{orphans} orphaned): {dt:.2f} s")  # fmt: skip

        cache = p.embedding_cache()
        vectors = {f"k{i}": rng.normal(size=512).astype(np.float32) for i in range(10000)}
        _, dt_put = _timed(cache.put_many, "use-v3", vectors)
        _, dt_get = _timed(cache.get_many, "use-v3", list(vectors))
        print(f"embedding cache 10000 x 512: put {dt_put:.2f} s, get {dt_get:.2f} s")
        print(f"file size: {p.path.stat().st_size / 1e6:.1f} MB (+ WAL)")


if __name__ == "__main__":
    main()
