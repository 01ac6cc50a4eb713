"""Theme suggestion accuracy against the number of labels given: active learning vs random.

    python scripts/learning_curve.py [--dev DIR] [--seeds 3] [--steps 0,5,10,20,30,40]
    python scripts/learning_curve.py accuracy --gold GOLD.jsonl --pred PRED.jsonl --field theme \
        [--reports groen] [--name "trained on anker"]
    python scripts/learning_curve.py check [--dev DIR] [--set mask=false --set weights=[1,1,0.5]]

The first form fits a :class:`LabelSuggester` on all gold anecdotes (the unlabelled corpus),
then gives it labels in batches, either in the order :meth:`LabelSuggester.next_to_label`
proposes (active learning) or in a random order, and prints the accuracy on the anecdotes
not labelled yet, as the mean over seeds. The second form prints the accuracy of a
``reportanalysis suggest`` output against the gold lines (matched by report, start, end),
optionally only on reports whose id starts with ``--reports`` (used by ``make eval``).

The third form measures a configuration (``--set name=JSON`` overrides a parameter of the
suggester) the way ``make eval`` does, in one process: codebook only, and trained on every
initiative but one, tested on that one (initiatives as :func:`initiatives` finds them: reports
sharing names). Next to the themes it prints a guard: the same three figures for the five
practices of the built-in framework, each defined by its definition only (the shape of a user's
codebook), so that a change fitted to the theme labels shows up as a loss there. Every figure
comes with its binomial standard error: on 32 to 69 anecdotes one anecdote is 1.5 to 3 points,
and differences under two standard errors are noise.
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


def _setups(
    groups: list[str], texts: list[str], valid: np.ndarray
) -> list[tuple[str, np.ndarray | None, np.ndarray]]:
    """(name, labelled mask or None, tested mask): codebook only, then leave one initiative out."""
    from reportanalysis.labels.features import initiatives

    ini = np.array(initiatives(texts, groups), dtype=object)
    out: list[tuple[str, np.ndarray | None, np.ndarray]] = [("codebook only", None, valid)]
    if len(set(ini)) >= 2:
        for value in sorted(set(ini), key=str):
            test = ini == value
            inside = sorted({g for g, i in zip(groups, ini, strict=True) if i == value})
            others = sorted({g for g, i in zip(groups, ini, strict=True) if i != value})
            name = f"trained on {'+'.join(others)}, tested on {'+'.join(inside)}"
            out.append((name, valid & ~test, valid & test))
    return out


def check(dev: Path, params: dict) -> None:
    from reportanalysis.embed import CachedEmbedder, USEEmbedder
    from reportanalysis.frameworks import load_framework
    from reportanalysis.labels import LabelSuggester, load_codebook
    from reportanalysis.model import Codebook

    gold = _read(dev / "gold.jsonl")
    texts = [r["text"] for r in gold]
    groups = [r["report"] for r in gold]
    practices = load_framework().practices
    guard = Codebook.from_mapping(
        {p.name: " ".join(p.definition.split()) for p in practices}, name="practices"
    )
    by_code = {p.code: p.name for p in practices}
    tasks = [
        ("theme", load_codebook(dev / "themes.json"), [r["theme"] for r in gold]),
        ("practice (guard)", guard, [by_code.get(r.get("practice")) for r in gold]),
    ]
    embedder = CachedEmbedder(USEEmbedder())
    print(f"parameters: {params or 'defaults'}")
    for task, codebook, values in tasks:
        y = np.array(values, dtype=object)
        valid = np.array([v is not None for v in values])
        s = LabelSuggester(codebook, embedder, **params).fit(texts, groups=groups)
        accs = []
        for name, labelled, test in _setups(groups, texts, valid):
            labels = None if labelled is None else {int(i): y[i] for i in np.flatnonzero(labelled)}
            acc = float((s.update(labels).predict()[test] == y[test]).mean())
            se = (acc * (1 - acc) / test.sum()) ** 0.5
            accs.append(acc)
            print(f"{task:<17} {name:<50} {acc:.3f} ± {se:.3f} ({test.sum()} anecdotes)")
        print(f"{task:<17} {'mean':<50} {np.mean(accs):.3f}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:
        ap = argparse.ArgumentParser(prog="learning_curve.py check")
        ap.add_argument("--dev", type=Path, default=DEV)
        ap.add_argument("--set", action="append", default=[], metavar="NAME=JSON")
        a = ap.parse_args(argv[1:])
        params = {}
        for item in a.set:
            key, _, value = item.partition("=")
            parsed = json.loads(value)
            params[key] = tuple(parsed) if isinstance(parsed, list) else parsed
        check(a.dev, params)
        return
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
