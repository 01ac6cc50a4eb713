"""Turning coded spans from another tool into anecdotes and labels of a project.

Anecdotes in a project never overlap; coded selections in a QDA tool often do (a passage coded
"vertrouwen" with a sentence inside it coded "subsidie"). Per report:

1. a span that is already an anecdote gets its labels there;
2. the other spans become anecdotes, most-coded and then longest first, as long as they do not
   overlap an anecdote;
3. a span that could not become an anecdote puts its labels on the anecdote that holds most of
   it, if that holds at least half of it (the rule labels follow after a re-split), and says
   so in a note; otherwise it is skipped with its reason.

Reports with manual segment edits keep their anecdotes as they are (step 2 is left out), so
an import never disturbs an analyst's edits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import LABEL_SOURCES, Anecdote, Codebook
from .summary import ImportSummary

__all__ = ["Span", "merge_codebook", "place_spans"]


@dataclass(frozen=True)
class Span:
    """A coded (or uncoded) stretch of a report, in code points, from an imported file.

    ``code`` None: the span only marks an anecdote. ``what`` names the item for messages.
    """

    report_id: str
    start: int
    end: int
    code: str | None = None
    coder: str | None = None
    source: str = "imported"
    confidence: float | None = None
    what: str = ""
    section: str | None = None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _choose_new(
    spans: Sequence[Span], existing: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    weight: Counter[tuple[int, int]] = Counter()
    for s in spans:
        weight[(s.start, s.end)] += 1 if s.code else 0
    taken = list(existing)
    new: list[tuple[int, int]] = []
    order = sorted(weight, key=lambda sp: (-weight[sp], -(sp[1] - sp[0]), sp[0]))
    for sp in order:
        if sp in taken:
            continue
        if any(_overlap(sp, t) for t in taken):
            continue
        taken.append(sp)
        new.append(sp)
    return new


def place_spans(project: object, spans: Sequence[Span], summary: ImportSummary) -> None:
    """Add ``spans`` to ``project`` as anecdotes and labels; counts and skips go to ``summary``.

    Spans must lie inside their report's text (callers check positions). Labels the project
    already holds are not written again.
    """
    import pandas as pd

    from ..project import Project

    assert isinstance(project, Project)
    by_report: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        by_report[s.report_id].append(s)
    current = {(lb.anecdote_id, lb.code, lb.coder) for lb in project.labels()}
    rows: list[dict[str, object]] = []
    for report_id, items in by_report.items():
        report = project.report(report_id)
        existing = project.anecdotes(report_id)
        spans_now = [(a.start, a.end) for a in existing]
        if project.segment_edits(report_id):
            new: list[tuple[int, int]] = []
            if any((s.start, s.end) not in spans_now for s in items):
                summary.note(
                    f"report {report_id!r} has manual segment edits: its anecdotes were kept "
                    "and imported selections were put on them"
                )
        else:
            new = _choose_new(items, spans_now)
        anecdotes = list(existing)
        if new:
            sections = {(s.start, s.end): s.section for s in items if s.section}
            fresh = [Anecdote.from_span(report, s, e, section=sections.get((s, e))) for s, e in new]
            update = project.set_anecdotes(report_id, [*existing, *fresh])
            anecdotes = update.anecdotes
            summary.anecdotes += sum(1 for a in anecdotes if (a.start, a.end) in set(new))
        at = {(a.start, a.end): a for a in anecdotes}
        for s in items:
            if s.code is None:
                continue
            home = at.get((s.start, s.end)) or _majority_home(s, anecdotes, summary)
            if home is None:
                continue
            key = (home.id, s.code, s.coder or "")
            if key in current:
                continue
            current.add(key)
            source = s.source if s.source in LABEL_SOURCES else "imported"
            rows.append(
                {
                    "anecdote_id": home.id,
                    "code": s.code,
                    "coder": s.coder,
                    "source": source,
                    "confidence": s.confidence,
                }
            )
    if rows:
        project.label_many(pd.DataFrame(rows))
    summary.labels += len(rows)


def _majority_home(
    s: Span, anecdotes: Sequence[Anecdote], summary: ImportSummary
) -> Anecdote | None:
    best = max(anecdotes, key=lambda a: _overlap((a.start, a.end), (s.start, s.end)), default=None)
    share = 0
    if best is not None:
        share = _overlap((best.start, best.end), (s.start, s.end))
    length = s.end - s.start
    if best is None or 2 * share < length:
        holder = f" (anecdote {best.id!r} holds {share} of {length} characters)" if best else ""
        summary.skip(
            s.what or f"{s.report_id}:{s.start}-{s.end}",
            f"overlaps other coded text and no anecdote holds at least half of it{holder}",
        )
        return None
    summary.note(
        f"{s.what or s.report_id}: selection {s.start}-{s.end} overlaps another one; its code "
        f"{s.code!r} was put on anecdote {best.id!r}"
    )
    return best


def merge_codebook(project: object, book: Codebook, summary: ImportSummary) -> None:
    """Save ``book`` in the project; codes of a stored codebook of that name that ``book``
    lacks are kept (after the imported ones)."""
    from ..project import Project

    assert isinstance(project, Project)
    if book.name in project.codebooks():
        kept = [c for c in project.codebook(book.name).codes if c.name not in book]
        if kept:
            summary.note(f"codebook {book.name!r}: {len(kept)} codes already in it were kept")
            book = Codebook((*book.codes, *kept), name=book.name)
    project.save_codebook(book)
