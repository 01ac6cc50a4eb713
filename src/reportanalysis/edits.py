"""Manual segment edits as data, replayed by span on any segmentation: pure functions, no I/O.

An analyst corrects the automatic split of a report: two anecdotes belong together (``merge``),
one tells two stories (``split``), a boundary sits a sentence too early (``move``), a passage is
no anecdote at all (``exclude``). Each correction is a :class:`SegmentEdit` that names the spans
it acts on, so it can be replayed when the report is split again::

    >>> r = Report(id="r", source="r.txt", format="txt", text="Eén. Twee. Drie.")
    >>> auto = [Anecdote.from_span(r, 0, 4), Anecdote.from_span(r, 5, 10),
    ...         Anecdote.from_span(r, 11, 16)]
    >>> edits = [SegmentEdit("merge", ((0, 4), (5, 10))), SegmentEdit("exclude", ((11, 16),))]
    >>> new, failed = apply_edits(r, auto, edits)
    >>> [a.text for a in new], failed
    (['Eén. Twee.'], [])

An edit whose span is gone from the new segmentation is reported in ``failed``, never raised.
Labels follow their text with :func:`reanchor_labels`: to the anecdote with the same span, else
to the one that holds most of the old span when it covers at least half of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .model import Anecdote, Label, Report

__all__ = [
    "EDIT_ACTIONS",
    "EditAction",
    "FailedEdit",
    "SegmentEdit",
    "apply_edit",
    "apply_edits",
    "label_span",
    "reanchor_labels",
]

EditAction = Literal["merge", "split", "move", "exclude"]
EDIT_ACTIONS: tuple[str, ...] = ("merge", "split", "move", "exclude")

Span = tuple[int, int]

#: A label moves to an anecdote that covers at least this share of the label's old span.
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class SegmentEdit:
    """One manual correction of a report's segmentation, addressed by span.

    - ``merge``: ``spans`` holds the two anecdotes; the result runs from the first start to the
      last end (anything lying between them is absorbed).
    - ``split``: ``spans`` holds one anecdote, ``offset`` the absolute cut point in the report
      text; whitespace around the cut goes to neither part.
    - ``move``: ``spans`` holds the anecdote, ``target`` its new span; neighbours that overlap
      the new span give way (they shrink, or disappear when nothing is left of them).
    - ``exclude``: ``spans`` holds the passage that is not an anecdote.

    ``id`` and ``report_id`` are filled in when the edit is stored in a project.
    """

    action: EditAction
    spans: tuple[Span, ...]
    offset: int | None = None
    target: Span | None = None
    id: int | None = None
    report_id: str | None = None

    def __post_init__(self) -> None:
        if self.action not in EDIT_ACTIONS:
            raise ValueError(f"unknown segment edit {self.action!r}; use one of {EDIT_ACTIONS}")
        spans = tuple((int(s), int(e)) for s, e in self.spans)
        object.__setattr__(self, "spans", spans)
        if self.target is not None:
            object.__setattr__(self, "target", (int(self.target[0]), int(self.target[1])))
        need = 2 if self.action == "merge" else 1
        if len(spans) != need:
            raise ValueError(f"a {self.action} edit needs {need} span(s), got {len(spans)}")
        if self.action == "split" and self.offset is None:
            raise ValueError("a split edit needs an offset")
        if self.action == "move" and self.target is None:
            raise ValueError("a move edit needs a target span")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``from_dict`` reads it back).

        >>> SegmentEdit("split", ((0, 10),), offset=4).to_dict()
        {'action': 'split', 'spans': [[0, 10]], 'offset': 4, 'target': None}
        """
        return {
            "action": self.action,
            "spans": [list(s) for s in self.spans],
            "offset": self.offset,
            "target": list(self.target) if self.target is not None else None,
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, id: int | None = None, report_id: str | None = None
    ) -> SegmentEdit:
        target = data.get("target")
        return cls(
            action=data["action"],
            spans=tuple((int(s), int(e)) for s, e in data["spans"]),
            offset=data.get("offset"),
            target=(int(target[0]), int(target[1])) if target is not None else None,
            id=id,
            report_id=report_id,
        )

    def describe(self) -> str:
        spans = ", ".join(f"{s}-{e}" for s, e in self.spans)
        extra = ""
        if self.action == "split":
            extra = f" at {self.offset}"
        elif self.action == "move" and self.target is not None:
            extra = f" to {self.target[0]}-{self.target[1]}"
        where = f"{self.report_id}: " if self.report_id else ""
        return f"{where}{self.action} {spans}{extra}"


@dataclass(frozen=True)
class FailedEdit:
    """An edit that could not be replayed, and why."""

    edit: SegmentEdit
    reason: str

    def __str__(self) -> str:
        return f"{self.edit.describe()}: {self.reason}"


class _EditError(ValueError):
    pass


@dataclass
class _Seg:
    start: int
    end: int
    section: str | None


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _find(segs: list[_Seg], span: Span) -> int:
    for i, seg in enumerate(segs):
        if (seg.start, seg.end) == span:
            return i
    raise _EditError(f"no anecdote spans {span[0]}-{span[1]} any more")


def _apply(text: str, segs: list[_Seg], edit: SegmentEdit) -> list[_Seg]:
    """``segs`` after ``edit`` (a new list; ``segs`` is left alone). Raises _EditError."""
    if edit.action == "exclude":
        i = _find(segs, edit.spans[0])
        return segs[:i] + segs[i + 1 :]
    if edit.action == "merge":
        i, j = sorted((_find(segs, edit.spans[0]), _find(segs, edit.spans[1])))
        if i == j:
            raise _EditError("cannot merge an anecdote with itself")
        merged = _Seg(segs[i].start, segs[j].end, segs[i].section)
        return segs[:i] + [merged] + segs[j + 1 :]
    if edit.action == "split":
        i = _find(segs, edit.spans[0])
        seg, cut = segs[i], int(edit.offset)  # type: ignore[arg-type]
        if not seg.start < cut < seg.end:
            raise _EditError(f"offset {cut} lies outside the anecdote {seg.start}-{seg.end}")
        first = _strip(text, seg.start, cut)
        second = _strip(text, cut, seg.end)
        if first[0] >= first[1] or second[0] >= second[1]:
            raise _EditError(f"splitting at {cut} leaves a part without text")
        parts = [_Seg(*first, seg.section), _Seg(*second, seg.section)]
        return segs[:i] + parts + segs[i + 1 :]
    # move
    i = _find(segs, edit.spans[0])
    start, end = edit.target  # type: ignore[misc]
    if not 0 <= start < end <= len(text):
        raise _EditError(f"the new span {start}-{end} lies outside the text")
    if not text[start:end].strip():
        raise _EditError(f"the new span {start}-{end} holds no text")
    moved = _Seg(start, end, segs[i].section)
    out = [moved]
    for k, other in enumerate(segs):
        if k == i:
            continue
        if other.end <= start or other.start >= end:
            out.append(other)
            continue
        if other.start < start and other.end > end:
            raise _EditError(f"the new span {start}-{end} lies inside {other.start}-{other.end}")
        # the neighbour gives way; it lay wholly before or after the anecdote that moved
        rest = (other.start, start) if other.start < start else (end, other.end)
        rest = _strip(text, *rest)
        if rest[0] < rest[1]:
            out.append(_Seg(rest[0], rest[1], other.section))
    out.sort(key=lambda s: s.start)
    return out


def _to_segs(report: Report, anecdotes: Iterable[Anecdote]) -> list[_Seg]:
    segs = [_Seg(a.start, a.end, a.section) for a in anecdotes]
    segs.sort(key=lambda s: s.start)
    return segs


def _to_anecdotes(report: Report, segs: Sequence[_Seg]) -> list[Anecdote]:
    return [
        Anecdote.from_span(report, s.start, s.end, section=s.section, order=n)
        for n, s in enumerate(segs)
    ]


def apply_edit(report: Report, anecdotes: Sequence[Anecdote], edit: SegmentEdit) -> list[Anecdote]:
    """``anecdotes`` after one edit; a ``ValueError`` says why the edit does not apply.

    >>> r = Report(id="r", source="r.txt", format="txt", text="Eerst dit. Toen dat.")
    >>> [a.text for a in apply_edit(r, [Anecdote.from_span(r, 0, 20)],
    ...                             SegmentEdit("split", ((0, 20),), offset=10))]
    ['Eerst dit.', 'Toen dat.']
    """
    segs = _apply(report.text, _to_segs(report, anecdotes), edit)
    return _to_anecdotes(report, segs)


def apply_edits(
    report: Report, anecdotes: Sequence[Anecdote], edits: Iterable[SegmentEdit]
) -> tuple[list[Anecdote], list[FailedEdit]]:
    """Replay ``edits`` in order on a segmentation of ``report``.

    Returns the anecdotes (ordered by start, ``order`` renumbered from 0, text always the exact
    slice of the report) and the edits that could not be applied, each with its reason.
    """
    segs = _to_segs(report, anecdotes)
    failed: list[FailedEdit] = []
    for edit in edits:
        try:
            segs = _apply(report.text, segs, edit)
        except _EditError as exc:
            failed.append(FailedEdit(edit, str(exc)))
    return _to_anecdotes(report, segs), failed


def label_span(label: Label) -> tuple[str, int, int] | None:
    """The (report, start, end) a label was put on: its own fields, else parsed from its id.

    >>> label_span(Label(anecdote_id="anker_1:702-872", code="P2", coder="an"))
    ('anker_1', 702, 872)
    """
    if label.report_id is not None and label.start is not None and label.end is not None:
        return label.report_id, label.start, label.end
    report_id, sep, span = label.anecdote_id.rpartition(":")
    start, dash, end = span.partition("-")
    if not (sep and dash and start.isdigit() and end.isdigit()):
        return None
    return report_id, int(start), int(end)


def reanchor_labels(
    old_labels: Iterable[Label], new_anecdotes: Sequence[Anecdote]
) -> tuple[list[Label], list[Label]]:
    """Move labels onto a new segmentation by span.

    A label goes to the anecdote with the same span; else to the anecdote of the same report
    that holds most of the old span, provided it covers at least half of it (ties: the earlier
    anecdote). Returns ``(moved, orphaned)``: ``moved`` are the labels with their new anecdote
    id and span (unchanged ones included), ``orphaned`` the labels whose text no anecdote holds.

    >>> r = Report(id="r", source="r.txt", format="txt", text="Eerst dit. Toen dat.")
    >>> old = Label(anecdote_id="r:0-10", code="P2", coder="an")
    >>> moved, orphaned = reanchor_labels([old], [Anecdote.from_span(r, 0, 20)])
    >>> moved[0].anecdote_id, moved[0].end, orphaned
    ('r:0-20', 20, [])
    """
    by_report: dict[str, list[Anecdote]] = {}
    for a in new_anecdotes:
        by_report.setdefault(a.report_id, []).append(a)
    moved: list[Label] = []
    orphaned: list[Label] = []
    for label in old_labels:
        span = label_span(label)
        target = _best_anecdote(span, by_report) if span else None
        if target is None:
            orphaned.append(label)
            continue
        moved.append(
            dataclasses.replace(
                label,
                anecdote_id=target.id,
                report_id=target.report_id,
                start=target.start,
                end=target.end,
            )
        )
    return moved, orphaned


def _best_anecdote(
    span: tuple[str, int, int], by_report: Mapping[str, Sequence[Anecdote]]
) -> Anecdote | None:
    report_id, start, end = span
    candidates = by_report.get(report_id, ())
    for a in candidates:
        if a.start == start and a.end == end:
            return a
    length = end - start
    if length <= 0:
        return None
    best, best_overlap = None, 0
    for a in sorted(candidates, key=lambda a: a.start):
        overlap = min(end, a.end) - max(start, a.start)
        if overlap > best_overlap:
            best, best_overlap = a, overlap
    if best is None or best_overlap < MIN_COVERAGE * length:
        return None
    return best
