"""Figures for splitting: time, sentences/s and peak memory, with and without embeddings.

    python benchmarks/bench_split.py [--reports 1000] [--words 600] [--seed 0] [--skip-embeddings]
                                     [--threads N] [--blas-baseline] [--trace]

Generates reports of about ``--words`` words in memory by recombining sentences of the dev
reports and data/sample (names and numbers varied, sentences reshuffled, so caches do not make
copies free), then splits them all with ``Splitter(embedder="none")`` and with the default
embedder (USE through CachedEmbedder: each distinct sentence embedded once, ``--threads``
threads with one BLAS thread each). ``--blas-baseline`` adds a run with the earlier default,
one USE call with BLAS threads = cores. Prints figures and asserts nothing; timings depend on
the machine and on what else runs (the load average is printed), so CPU seconds (all threads of
this process) are printed beside wall-clock seconds. Max RSS is the process's peak so far, so
the runs go from small to large; the USE model load is inside the timed run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import FIRST, LAST, PLACES, QUESTIONS, source_paragraphs, vary  # noqa: E402

from reportanalysis.model import Report  # noqa: E402
from reportanalysis.segment import SentenceSplitter, Splitter  # noqa: E402


def sentence_pool() -> list[str]:
    splitter = SentenceSplitter()
    pool = []
    for para in source_paragraphs():
        pool.extend(para[s:e] for s, e in splitter.spans(para))
    return [s for s in pool if len(s.split()) >= 4]


FILLERS = ("ook", "wel", "toen", "nu", "zeker", "eigenlijk", "vaak", "soms")


def perturb(sentence: str, rng: random.Random) -> str:
    """Insert a filler word at a random place, so most sentences are new to a cache."""
    words = sentence.split(" ")
    if len(words) > 3 and rng.random() < 0.8:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(FILLERS))
    return " ".join(words)


def make_reports(n: int, words: int, seed: int) -> list[Report]:
    rng = random.Random(seed)
    pool = sentence_pool()
    reports = []
    for i in range(n):
        lines = [
            f"Verslag bezoek {1 + i % 2} – {rng.choice(PLACES)} {i}",
            f"Datum: {1 + i % 28} juni 2024",
            f"Onderzoeksduo: {rng.choice(FIRST)} {rng.choice(LAST)} en {rng.choice(FIRST)}",
            "",
        ]
        count = 0
        questions = rng.sample(QUESTIONS, k=len(QUESTIONS))
        q = 0
        while count < words:
            lines += [questions[q % len(questions)], ""]
            q += 1
            for _ in range(rng.randint(1, 3)):
                para = vary(
                    " ".join(perturb(x, rng) for x in rng.sample(pool, k=rng.randint(2, 5))), rng
                )
                count += len(para.split())
                lines += [para, ""]
        text = "\n".join(lines)
        reports.append(Report(id=f"bench_{i:05d}", source="", format="txt", text=text))
    return reports


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_sentences(reports: list[Report]) -> int:
    """Sentences of all the reports' text (outside the timed runs)."""
    splitter = SentenceSplitter()
    return sum(len(s) for s in splitter.spans_many([(r.text, 0, len(r.text)) for r in reports]))


def run(label: str, splitter: Splitter, reports: list[Report], n_sent: int, trace: bool) -> None:
    load = os.getloadavg()[0]
    if trace:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    anecdotes = splitter.split_many(reports)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else float("nan")
    if trace:
        tracemalloc.stop()
    embedder = splitter._get_embedder()
    computed = getattr(embedder, "computed", 0)
    print(
        f"{label:<22} {len(reports)} reports  {len(anecdotes)} anecdotes  {seconds:6.1f} s wall "
        f"{cpu:6.1f} s CPU (all threads)  {n_sent / seconds:5.0f} sentences/s  "
        f"traced peak {peak:4.0f} MB  max RSS {peak_rss_mb():4.0f} MB  "
        f"embedded {computed} of {n_sent} sentences  (load avg before: {load:.1f})",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-embeddings", action="store_true")
    ap.add_argument("--trace", action="store_true", help="tracemalloc peak (slows the run)")
    ap.add_argument("--threads", type=int, default=None, help="embedding threads (default: cores)")
    ap.add_argument(
        "--blas-baseline",
        action="store_true",
        help="also run the earlier default: one USE call, BLAS threads = cores",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    reports = make_reports(args.reports, args.words, args.seed)
    words = sum(len(r.text.split()) for r in reports) / len(reports)
    print(
        f"generated {len(reports)} reports, {words:.0f} words on average, in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    n_sent = count_sentences(reports)
    run("no embeddings", Splitter(embedder="none"), reports, n_sent, args.trace)
    if not args.skip_embeddings:
        run("USE embeddings", Splitter(threads=args.threads), reports, n_sent, args.trace)
    if args.blas_baseline:
        from reportanalysis.embed import CachedEmbedder, USEEmbedder

        baseline = Splitter(embedder=CachedEmbedder(USEEmbedder(threads=1, blas_threads=2)))
        run("USE, BLAS threads only", baseline, reports, n_sent, args.trace)


if __name__ == "__main__":
    main()
