"""Pseudonymisation on the planted-data corpus: recall and precision per kind, and speed.

    .venv/bin/python benchmarks/bench_privacy.py [--reports 100] [--seed 0] [--show-misses]

Recall: planted items (tests/privacy_corpus.py) whose characters are all covered by a
replacement of a compatible kind. Precision: replacements that overlap a planted item. About a
third of the names in the corpus are not in the package's name lists. Time: fit + transform,
scaled to 1,000 reports.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from privacy_corpus import (  # noqa: E402
    false_positives,
    generate_corpus,
    is_heldout,
    missed,
    score,
)

from reportanalysis.model import Report  # noqa: E402
from reportanalysis.privacy import Pseudonymiser  # noqa: E402
from reportanalysis.privacy._names import load_name_lists  # noqa: E402


def run(n_reports: int, seed: int, free_form: float) -> tuple[dict, dict, float, list]:
    corpus = generate_corpus(n_reports, seed, free_form)
    reports = [Report(r.id, f"{r.id}.txt", "txt", r.text) for r in corpus]
    load_name_lists()  # the word lists load once per process; not part of the per-report time
    t0 = time.perf_counter()
    ps = Pseudonymiser(seed=seed).fit(reports)
    out = {r.id: ps.transform(r) for r in reports}
    elapsed = time.perf_counter() - t0
    detections = {rid: [(x.start, x.end, x.kind) for x in p.replacements] for rid, p in out.items()}
    return score(corpus, detections), detections, elapsed, corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--free-form", type=float, default=0.3, help="share without metadata block")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    load_name_lists()
    print(f"word lists loaded in {time.perf_counter() - t0:.2f} s")
    figures, detections, elapsed, corpus = run(args.reports, args.seed, args.free_form)
    print(f"{'kind':10} {'items':>6} {'recall':>7} {'found':>6} {'precision':>9}")
    for kind, f in figures.items():
        precision = f"{f['precision']:9.3f}" if f["detections"] else f"{'-':>9}"
        print(f"{kind:10} {f['items']:6d} {f['recall']:7.3f} {f['detections']:6d} {precision}")
    person_items = [i for r in corpus for i in r.items if i.kind == "person"]
    missed_names = [t for t, _ in missed(corpus, detections, "person")]
    for label, held in (("known names", False), ("held-out names", True)):
        items = [i for i in person_items if is_heldout(i.text) == held]
        miss = sum(1 for t in missed_names if is_heldout(t) == held)
        print(f"  person mentions with {label}: {len(items)}, recall {1 - miss / len(items):.3f}")
    chars = sum(len(r.text) for r in corpus)
    print(
        f"{len(corpus)} reports ({chars / len(corpus):.0f} characters each): "
        f"{elapsed:.2f} s, {elapsed / len(corpus) * 1000:.1f} s per 1,000 reports"
    )
    if args.show_misses:
        for kind in figures:
            for text, context in missed(corpus, detections, kind)[:15]:
                print(f"MISS {kind:9} {text!r:30} … {context!r}")
        for kind, text, context in false_positives(corpus, detections)[:40]:
            print(f"FP   {kind:9} {text!r:30} … {context!r}")


if __name__ == "__main__":
    main()
