"""Figures for ingest: reading speed per format and serial versus a process pool.

    python benchmarks/bench_ingest.py [--files 50 200 400] [--workers 2]

Builds batches from data/sample (the txt/md/docx/pdf mix of the sample: 5:3:2:2), copying files
under new names, and reads each batch serially and with a pool. Prints figures; asserts nothing.
Timings depend on the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from reportanalysis.ingest import read_reports

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def build(folder: Path, n: int) -> None:
    sources = sorted(p for p in SAMPLE.iterdir() if p.suffix in {".txt", ".md", ".docx", ".pdf"})
    for i in range(n):
        src = sources[i % len(sources)]
        shutil.copyfile(src, folder / f"{src.stem}_{i:05d}{src.suffix}")


def timed(folder: Path, workers: int) -> tuple[float, int]:
    start = time.perf_counter()
    result = read_reports(folder, workers=workers)
    return time.perf_counter() - start, len(result.reports) + len(result.duplicates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[12, 50, 200, 400])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for fmt in ("txt", "md", "docx", "pdf"):
        path = next(SAMPLE.glob(f"*.{fmt}"))
        start = time.perf_counter()
        for _ in range(5):
            read_reports(path, workers=1)
        print(f"{fmt:5s} one file: {(time.perf_counter() - start) / 5 * 1000:7.1f} ms")
    for n in args.files:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            build(folder, n)
            serial, count = timed(folder, 1)
            pooled, _ = timed(folder, args.workers)
            print(
                f"{n:5d} files ({count} read): serial {serial:6.2f} s, "
                f"{args.workers} workers {pooled:6.2f} s, speed-up {serial / pooled:4.2f}x"
            )


if __name__ == "__main__":
    main()
