"""Theme suggestion accuracy against the number of labels given: active learning vs random.

    python scripts/learning_curve.py [--dev DIR] [--seeds 3] [--steps 0,5,10,20,30,40]
    python scripts/learning_curve.py accuracy --gold GOLD.jsonl --pred PRED.jsonl --field theme \
        [--reports groen] [--name "trained on anker"]

The first form fits a :class:`LabelSuggester` on all gold anecdotes (the unlabelled corpus),
then gives it labels in batches, either in the order :meth:`LabelSuggester.next_to_label`
proposes (active learning) or in a random order, and prints the accuracy on the anecdotes
not labelled yet, as the mean over seeds. The second form prints the accuracy of a
``reportanalysis suggest`` output against the gold lines (matched by report, start, end),
optionally only on reports whose id starts with ``--reports`` (used by ``make eval``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def accuracy(gold: Path, pred: Path, field: str, reports: str | None = None) -> tuple[float, int]:
    """Share of gold lines whose predicted ``field`` equals the gold one, and their number."""
    predicted = {(r["report"], r["start"], r["end"]): r.get(field) for r in _read(pred)}
    hits = total = 0
    for r in _read(gold):
        if reports and not r["report"].startswith(reports):
            continue
        total += 1
        hits += predicted.get((r["report"], r["start"], r["end"])) == r[field]
    return (hits / total if total else float("nan")), total


def curve(dev: Path, seeds: int, steps: list[int]) -> None:
    from reportanalysis.embed import CachedEmbedder, USEEmbedder
    from reportanalysis.labels import LabelSuggester, load_codebook

    gold = _read(dev / "gold.jsonl")
    codebook = load_codebook(dev / "themes.json")
    texts = [r["text"] for r in gold]
    groups = [r["report"] for r in gold]
    y = np.array([r["theme"] for r in gold])
    embedder = CachedEmbedder(USEEmbedder())
    results: dict[str, list[list[float]]] = {"active": [], "random": []}
    for seed in range(seeds):
        suggester = LabelSuggester(codebook, embedder, seed=seed).fit(texts, groups=groups)
        for strategy in results:
            order = list(range(len(texts)))
            random.Random(seed).shuffle(order)
            labelled: list[int] = []
            row = []
            for n in steps:
                while len(labelled) < n:
                    if strategy == "active":
                        batch = suggester.next_to_label(min(5, n - len(labelled)))
                    else:
                        batch = [i for i in order if i not in labelled][: n - len(labelled)]
                    labelled += batch
                    suggester.update({i: y[i] for i in labelled})
                if not labelled:
                    suggester.update(None)
                rest = np.array([i not in set(labelled) for i in range(len(texts))])
                row.append(float((suggester.predict()[rest] == y[rest]).mean()))
            results[strategy].append(row)
    print(
        f"theme accuracy on the anecdotes not yet labelled ({len(texts)} in all; "
        f"mean of {seeds} seeds)"
    )
    print("labels  " + "  ".join(f"{n:>5}" for n in steps))
    for strategy, rows in results.items():
        mean = np.mean(rows, axis=0)
        print(f"{strategy:<7} " + "  ".join(f"{m:5.3f}" for m in mean))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["accuracy"]:
        ap = argparse.ArgumentParser(prog="learning_curve.py accuracy")
        ap.add_argument("--gold", type=Path, required=True)
        ap.add_argument("--pred", type=Path, required=True)
        ap.add_argument("--field", default="theme")
        ap.add_argument("--reports", default=None)
        ap.add_argument("--name", default="")
        a = ap.parse_args(argv[1:])
        acc, n = accuracy(a.gold, a.pred, a.field, a.reports)
        where = f" on {a.reports}*" if a.reports else ""
        print(f"{a.field} accuracy {a.name}{where}: {acc:.3f} ({n} anecdotes)")
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--steps", default="0,5,10,20,30,40")
    a = ap.parse_args(argv)
    curve(a.dev, a.seeds, [int(s) for s in a.steps.split(",")])


if __name__ == "__main__":
    main()
