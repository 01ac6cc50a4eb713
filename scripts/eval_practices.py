#!/usr/bin/env python3
"""Trained on one initiative, tested on the other: practice and kind figures through the CLI.

Splits ``gold.jsonl`` by initiative (the report stem before ``_``: anker_*, groen_* …), runs
``reportanalysis practices|kinds --input <one> --train <other>`` both ways and prints the
scorer's figures. Run from the repository root::

    .venv/bin/python scripts/eval_practices.py ../shared/eval/dev/gold.jsonl --out build/eval
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--out", type=Path, default=Path("build/eval"))
    ap.add_argument("--score", type=Path, default=None, help="score.py (default: next to dev/)")
    args = ap.parse_args()
    score = args.score or args.gold.parent.parent / "score.py"
    ra = Path(sys.executable).with_name("reportanalysis")
    args.out.mkdir(parents=True, exist_ok=True)

    by_initiative: dict[str, list[str]] = defaultdict(list)
    for line in args.gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            by_initiative[json.loads(line)["report"].split("_")[0]].append(line)
    for name, lines in by_initiative.items():
        (args.out / f"gold_{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    for test in sorted(by_initiative):
        train = "+".join(sorted(set(by_initiative) - {test}))
        train_file = args.out / f"train_not_{test}.jsonl"
        train_file.write_text(
            "".join("\n".join(v) + "\n" for k, v in sorted(by_initiative.items()) if k != test),
            encoding="utf-8",
        )
        gold_file = args.out / f"gold_{test}.jsonl"
        for command, task in (("practices", "practice"), ("kinds", "kind")):
            pred = args.out / f"{command}_{train}_to_{test}.jsonl"
            subprocess.run(
                [
                    str(ra),
                    command,
                    "--input",
                    str(gold_file),
                    "--train",
                    str(train_file),
                    "--format",
                    "jsonl",
                    "-o",
                    str(pred),
                ],
                check=True,
            )
            result = subprocess.run(
                [sys.executable, str(score), task, "--gold", str(gold_file), "--pred", str(pred)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            keep = {k: figures[k] for k in ("n", "macro_f1", "accuracy") if k in figures}
            if "primary_or_secondary_accuracy" in figures:
                keep["primary_or_secondary_accuracy"] = figures["primary_or_secondary_accuracy"]
            print(f"{task:9} trained on {train}, tested on {test}: {json.dumps(keep)}", flush=True)


if __name__ == "__main__":
    main()
