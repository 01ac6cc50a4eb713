"""Figures for interop: export and import of a REFI-QDA project and of a coded-segment table.

    python benchmarks/bench_interop.py [--reports 100]

Builds a project of ``--reports`` reports × 30 anecdotes (emoji and CRLF in the text), two
coders labelling every anecdote, then times each direction. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from reportanalysis.interop import export_qdpx, export_segments, import_qdpx, import_segments
from reportanalysis.model import Anecdote, Report
from reportanalysis.project import Project

SENTENCE = (
    "Mehmet komt elke week langs 👍 en de bewoners kennen hem bij naam; de subsidie liep vast "
    "bij de afdeling Financiën. "
)
CODES = ("vertrouwen", "regels", "aanspreekpunt", "praktische hulp", "wachttijd")


def build(path: Path, n_reports: int) -> Project:
    p = Project.create(path)
    for n in range(n_reports):
        text = "".join(f"Alinea {k}. {SENTENCE * 2}\r\n" for k in range(30)) + f"{n}\r\n"
        report = Report(f"verslag_{n}", f"verslag_{n}.txt", "txt", text)
        p.add_report(report)
        spans, start = [], 0
        for line in text.split("\r\n"):
            if len(line) > 5:
                spans.append(Anecdote.from_span(report, start, start + len(line)))
            start += len(line) + 2
        p.set_anecdotes(report.id, spans)
    rows = [
        {"anecdote_id": a.id, "code": CODES[(i + k) % len(CODES)], "coder": coder}
        for i, a in enumerate(p.anecdotes())
        for k, coder in enumerate(("fleur", "ahmed"))
    ]
    p.label_many(pd.DataFrame(rows))
    return p


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<40} {time.perf_counter() - t0:7.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        p = timed("build project", lambda: build(folder / "a.ra", args.reports))
        n_a, n_l = len(p.anecdotes()), len(p.labels())
        print(f"{args.reports} reports, {n_a} anecdotes, {n_l} labels")
        when = datetime(2026, 1, 1, tzinfo=UTC)
        out = timed("export_qdpx", lambda: export_qdpx(p, folder / "x.qdpx", time=when))
        print(f"{'  .qdpx size':<40} {out.stat().st_size / 1e6:7.2f} MB")
        with Project.create(folder / "b.ra") as b:
            s = timed("import_qdpx (fresh project)", lambda: import_qdpx(out, b))
            print(f"  imported {s.reports} reports, {s.anecdotes} anecdotes, {s.labels} labels")
        for suffix in (".csv", ".xlsx"):
            target = folder / f"s{suffix}"
            timed(f"export_segments {suffix}", lambda t=target: export_segments(p, t))
            with Project.create(folder / f"c{suffix}.ra") as c:
                for r in p.reports():
                    c.add_report(r)
                s = timed(f"import_segments {suffix}", lambda t=target, c=c: import_segments(t, c))
                print(f"  imported {s.anecdotes} anecdotes, {s.labels} labels")
        p.close()


if __name__ == "__main__":
    main()
