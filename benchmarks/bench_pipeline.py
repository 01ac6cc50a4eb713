"""End-to-end figures: time per stage and peak memory of `reportanalysis run`.

    python benchmarks/bench_pipeline.py --anecdotes 3000            # cold process, then warm
    python benchmarks/bench_pipeline.py --anecdotes 100000 --no-warm
    python benchmarks/bench_pipeline.py --anecdotes 3000 --floor  # and the 3x-floor ratio

Cold: a fresh Python process (imports, model loading, numba compiling included). Warm: the
same run again in one process with the project's embedding cache filled. Prints the stage
times from run.json, wall time and peak resident memory (ru_maxrss of the child process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from reportanalysis.pipeline import Config, run
corpus, out, project, warm = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
cfg = Config(report={"formats": ["json", "html"], "show_originals": False})
res = run([corpus], out, cfg, project=project)
first = time.perf_counter() - t0
result = {"wall": first, "stages": res.info["seconds"], "counts": res.info["counts"],
          "peaks": res.info["peak_mb"]}
if warm:
    t1 = time.perf_counter()
    res2 = run([corpus], out + "-warm", cfg, project=project)
    result["warm_wall"] = time.perf_counter() - t1
    result["warm_stages"] = res2.info["seconds"]
    result["warm_counts"] = res2.info["counts"]
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps(result))
"""


FLOOR = """
import json, sys, time
t0 = time.perf_counter()
from reportanalysis.embed import USEEmbedder
from reportanalysis.segment.sentences import SentenceSplitter
anecdotes = json.load(open(sys.argv[1], encoding="utf-8"))["anecdotes"]
splitter = SentenceSplitter()
sentences = [a["text"][s:e] for a in anecdotes for s, e in splitter.spans(a["text"])]
embedder = USEEmbedder()
embedder.embed(["."])
t1 = time.perf_counter()
embedder.embed(sentences)
t2 = time.perf_counter()
print("FLOOR " + json.dumps({"sentences": len(sentences), "seconds": t2 - t1, "load": t1 - t0}))
"""


def floor(report_json: Path) -> dict:
    """The issue's floor, measured: every sentence of the anecdotes embedded once with USE on
    all cores, in a fresh process (model loading timed apart)."""
    proc = subprocess.run(
        [sys.executable, "-c", FLOOR, str(report_json)], capture_output=True, text=True
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("FLOOR ")), None)
    if proc.returncode != 0 or line is None:
        print(proc.stderr[-3000:])
        raise SystemExit("floor measurement failed")
    return json.loads(line[len("FLOOR ") :])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--anecdotes", type=int, default=3000)
    ap.add_argument("--no-warm", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the corpus and outputs here")
    ap.add_argument(
        "--floor",
        action="store_true",
        help="also embed every sentence once in a fresh process and print the ratios",
    )
    args = ap.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="ra-bench-"))
    corpus = base / f"corpus-{args.anecdotes}"
    if not corpus.exists():
        t = time.perf_counter()
        paths = generate(args.anecdotes, corpus)
        print(f"corpus: {len(paths)} reports in {time.perf_counter() - t:.1f} s")
    project = base / f"project-{args.anecdotes}.sqlite"
    if project.exists():
        project.unlink()
    cmd = [
        sys.executable,
        "-c",
        CHILD,
        str(corpus),
        str(base / "out"),
        str(project),
        "0" if args.no_warm else "1",
    ]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
    wall = time.perf_counter() - t
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit(f"benchmark run failed with exit code {proc.returncode}")
    result = json.loads(line[len("RESULT ") :])
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"cores: {os.cpu_count()}  anecdotes: {result['counts']['anecdotes']}")
    print(
        f"cold: {result['wall']:.1f} s from a fresh interpreter's first import to the end of "
        f"run (child process wall {wall:.1f} s, warm run included)"
    )
    for stage, sec in result["stages"].items():
        print(f"  {stage:<13} {sec:8.2f} s   peak so far {result['peaks'].get(stage) or 0:7.0f} MB")
    if "warm_wall" in result:
        print(
            f"warm (same process, cached embeddings): {result['warm_wall']:.1f} s, "
            f"embedded again: {result['warm_counts']['embedded_now']}"
        )
        for stage, sec in result["warm_stages"].items():
            print(f"  {stage:<13} {sec:8.2f} s")
    print(f"peak memory: {max(child_peak, result['peak_mb']):.0f} MB")
    if args.floor:
        f = floor(base / "out" / "report.json")
        embed = result["stages"]["embed"]
        print(
            f"floor: {f['sentences']} sentences embedded once in {f['seconds']:.1f} s "
            f"(model loaded in {f['load']:.1f} s before); cold run = "
            f"{result['wall'] / f['seconds']:.2f}× the floor, "
            f"{result['wall'] / embed:.2f}× its own embed stage ({embed:.1f} s)"
        )


if __name__ == "__main__":
    main()
