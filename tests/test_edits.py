"""Manual segment edits replayed by span (reportanalysis.edits), on real Dutch reports."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from reportanalysis.edits import (
    FailedEdit,
    SegmentEdit,
    apply_edit,
    apply_edits,
    label_span,
    reanchor_labels,
)
from reportanalysis.model import Anecdote, Label, Report

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "reports"

FALLBACK = (
    "Verslag bezoek 1 – Buurtkamer Het Anker\n"
    "Hoe verloopt de samenwerking?\n"
    "Anneke noemt de samenwerking ‘een warm bad’. Mehmet komt elke week op dinsdagochtend langs.\n"
    "Hij heeft in het begin vooral geluisterd, ook naar verhalen over de traplift.\n"
    "Wat kost energie?\n"
    "De subsidieaanvraag liep vast bij de afdeling Financiën; niemand wist wie er over ging.\n"
    "Afspraak: Mehmet zoekt uit wie het aanspreekpunt is en belt Anneke vóór 1 mei terug.\n"
)


def _report(name: str) -> Report:
    path = DEV / f"{name}.txt"
    if not path.exists():
        return Report(id=name, source=f"{name}.txt", format="txt", text=FALLBACK)
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    return Report(id=name, source=str(path), format="txt", text=text)


def by_lines(report: Report, min_chars: int = 1) -> list[Anecdote]:
    """A naive automatic split: one anecdote per non-empty line."""
    spans = [
        (m.start(), m.end())
        for m in re.finditer(r"[^\r\n]+", report.text)
        if m.group().strip() and len(m.group()) >= min_chars
    ]
    return [Anecdote.from_span(report, s, e, order=n) for n, (s, e) in enumerate(spans)]


@pytest.fixture(scope="module", params=["anker_1", "groen_1"])
def report(request: pytest.FixtureRequest) -> Report:
    return _report(request.param)


def check_invariants(report: Report, anecdotes: list[Anecdote]) -> None:
    starts = [a.start for a in anecdotes]
    assert starts == sorted(starts)
    assert [a.order for a in anecdotes] == list(range(len(anecdotes)))
    for a, b in zip(anecdotes, anecdotes[1:], strict=False):
        assert a.end <= b.start, f"{a.id} overlaps {b.id}"
    for a in anecdotes:
        assert a.text == report.text[a.start : a.end]
        assert a.id == Anecdote.make_id(report.id, a.start, a.end)
        assert a.text.strip()


def test_merge_spans_both_and_keeps_first_section(report: Report) -> None:
    auto = [
        Anecdote.from_span(report, a.start, a.end, section=f"s{a.order}", order=a.order)
        for a in by_lines(report)
    ]
    a, b = auto[2], auto[3]
    new = apply_edit(report, auto, SegmentEdit("merge", ((b.start, b.end), (a.start, a.end))))
    merged = [x for x in new if x.start == a.start]
    assert merged[0].end == b.end and merged[0].section == "s2"
    assert len(new) == len(auto) - 1
    check_invariants(report, new)


def test_split_trims_whitespace_at_the_cut(report: Report) -> None:
    auto = by_lines(report, min_chars=120)
    target = next(a for a in auto if ". " in a.text)
    cut = report.text.index(". ", target.start) + 1  # right after the first sentence
    new = apply_edit(report, auto, SegmentEdit("split", ((target.start, target.end),), offset=cut))
    first, second = [x for x in new if target.start <= x.start < target.end]
    assert first.end == cut and second.start == cut + 1
    assert first.text.endswith(".") and not second.text[0].isspace()
    check_invariants(report, new)


def test_split_that_leaves_an_empty_part_is_refused(report: Report) -> None:
    auto = by_lines(report)
    a = auto[0]
    with pytest.raises(ValueError, match="outside"):
        apply_edit(report, auto, SegmentEdit("split", ((a.start, a.end),), offset=a.end))


def test_move_end_into_next_shrinks_the_neighbour(report: Report) -> None:
    auto = by_lines(report, min_chars=120)
    a, b = auto[0], auto[1]
    cut = report.text.index(". ", b.start) + 1
    new = apply_edit(report, auto, SegmentEdit("move", ((a.start, a.end),), target=(a.start, cut)))
    moved = next(x for x in new if x.start == a.start)
    assert moved.end == cut
    rest = next(x for x in new if x.start > a.start)
    assert rest.end == b.end and rest.start > cut
    check_invariants(report, new)


def test_move_over_a_whole_neighbour_absorbs_it(report: Report) -> None:
    auto = by_lines(report)
    a, c = auto[1], auto[3]
    new = apply_edit(
        report, auto, SegmentEdit("move", ((a.start, a.end),), target=(a.start, c.end))
    )
    assert len(new) == len(auto) - 2
    check_invariants(report, new)


def test_move_inside_another_anecdote_is_refused(report: Report) -> None:
    auto = by_lines(report, min_chars=120)
    a, b = auto[0], auto[1]
    with pytest.raises(ValueError, match="inside"):
        apply_edit(
            report,
            auto,
            SegmentEdit("move", ((a.start, a.end),), target=(b.start + 5, b.start + 30)),
        )


def test_exclude_removes_the_passage(report: Report) -> None:
    auto = by_lines(report)
    title = auto[0]
    new = apply_edit(report, auto, SegmentEdit("exclude", ((title.start, title.end),)))
    assert title.id not in {x.id for x in new}
    check_invariants(report, new)


def test_replay_on_a_new_segmentation_reports_edits_whose_span_is_gone(report: Report) -> None:
    auto = by_lines(report)
    a, b, c = auto[2], auto[3], auto[5]
    edits = [
        SegmentEdit("merge", ((a.start, a.end), (b.start, b.end))),
        SegmentEdit("exclude", ((c.start, c.end),)),
    ]
    # the new split cuts c in two (at its first sentence end), so its span is gone
    cut = report.text.find(". ", c.start, c.end)
    if cut < 0:
        pytest.skip("line without a sentence boundary")
    resplit = [x for x in auto if x.id != c.id]
    resplit += [
        Anecdote.from_span(report, c.start, cut + 1),
        Anecdote.from_span(report, cut + 2, c.end),
    ]
    new, failed = apply_edits(report, resplit, edits)
    assert len(failed) == 1 and isinstance(failed[0], FailedEdit)
    assert failed[0].edit.action == "exclude" and "no anecdote spans" in str(failed[0])
    assert any(x.start == a.start and x.end == b.end for x in new)
    check_invariants(report, new)


def test_edit_round_trips_through_a_dict() -> None:
    for edit in (
        SegmentEdit("merge", ((0, 10), (11, 20))),
        SegmentEdit("split", ((0, 10),), offset=5),
        SegmentEdit("move", ((0, 10),), target=(0, 14)),
        SegmentEdit("exclude", ((3, 9),)),
    ):
        assert SegmentEdit.from_dict(edit.to_dict()) == edit


def test_malformed_edits_are_refused_when_built() -> None:
    with pytest.raises(ValueError):
        SegmentEdit("merge", ((0, 10),))
    with pytest.raises(ValueError):
        SegmentEdit("split", ((0, 10),))
    with pytest.raises(ValueError):
        SegmentEdit("glue", ((0, 10),))  # type: ignore[arg-type]


def _random_edit(rng: random.Random, report: Report, anecdotes: list[Anecdote]) -> SegmentEdit:
    """Any edit, valid or not: spans of current anecdotes, sometimes stale or odd ones."""
    if not anecdotes:
        return SegmentEdit("exclude", ((0, 1),))
    a = rng.choice(anecdotes)
    span = (a.start, a.end)
    if rng.random() < 0.1:
        span = (a.start, a.end + 1)  # a span that does not exist
    action = rng.choice(["merge", "split", "move", "exclude"])
    if action == "merge":
        b = rng.choice(anecdotes)
        return SegmentEdit("merge", (span, (b.start, b.end)))
    if action == "split":
        return SegmentEdit("split", (span,), offset=rng.randint(a.start, a.end))
    if action == "move":
        n = len(report.text)
        start = max(0, min(n - 1, a.start + rng.randint(-200, 200)))
        end = max(start + 1, min(n, a.end + rng.randint(-200, 200)))
        return SegmentEdit("move", (span,), target=(start, end))
    return SegmentEdit("exclude", (span,))


@pytest.mark.parametrize("seed", range(20))
def test_any_sequence_of_edits_keeps_the_invariants(report: Report, seed: int) -> None:
    rng = random.Random(seed)
    anecdotes = by_lines(report)
    edits = []
    for _ in range(40):
        edit = _random_edit(rng, report, anecdotes)
        edits.append(edit)
        try:
            anecdotes = apply_edit(report, anecdotes, edit)
        except ValueError:
            edits.pop()  # a refused edit changes nothing
        check_invariants(report, anecdotes)
    # replaying the accepted edits on the original split gives the same result, none fails
    replayed, failed = apply_edits(report, by_lines(report), edits)
    assert failed == []
    assert replayed == anecdotes


@pytest.mark.parametrize("seed", range(10))
def test_replay_on_a_different_split_never_crashes(report: Report, seed: int) -> None:
    rng = random.Random(seed)
    anecdotes = by_lines(report)
    edits = [_random_edit(rng, report, anecdotes) for _ in range(30)]
    other = by_lines(report, min_chars=80)
    new, failed = apply_edits(report, other, edits)
    check_invariants(report, new)
    assert all(isinstance(f, FailedEdit) and f.reason for f in failed)


def test_labels_follow_the_text(report: Report) -> None:
    auto = by_lines(report, min_chars=120)
    a, b = auto[0], auto[1]
    labels = [
        Label(a.id, "P2", "fleur", report_id=report.id, start=a.start, end=a.end),
        Label(b.id, "P4", "rachid", report_id=report.id, start=b.start, end=b.end),
    ]
    # b is cut in a small head and a big tail; a stays as it is
    cut = report.text.index(". ", b.start) + 1
    if cut - b.start > (b.end - b.start) / 2:
        cut = b.start + (b.end - b.start) // 4
    new = [a, Anecdote.from_span(report, b.start, cut), Anecdote.from_span(report, cut + 1, b.end)]
    moved, orphaned = reanchor_labels(labels, new)
    assert orphaned == []
    assert moved[0].anecdote_id == a.id
    assert moved[1].anecdote_id == new[2].id and moved[1].start == cut + 1
    assert moved[1].coder == "rachid" and moved[1].code == "P4"


def test_a_label_whose_text_is_mostly_gone_is_orphaned(report: Report) -> None:
    auto = by_lines(report, min_chars=120)
    a = auto[0]
    third = (a.end - a.start) // 3
    label = Label(a.id, "P1", "fleur")  # span parsed from the id
    new = [
        Anecdote.from_span(report, a.start, a.start + third),
        Anecdote.from_span(report, a.start + third, a.start + 2 * third),
        Anecdote.from_span(report, a.start + 2 * third, a.end),
    ]
    moved, orphaned = reanchor_labels([label], new)
    assert moved == [] and orphaned == [label]


def test_label_span_of_a_report_id_with_a_colon() -> None:
    assert label_span(Label("map:verslag:3-17", "P1", "x")) == ("map:verslag", 3, 17)
    assert label_span(Label("zonder-span", "P1", "x")) is None
