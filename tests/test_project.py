"""The project store: reports, anecdotes, segment edits, labels and the rest, on real reports."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reportanalysis.errors import ProjectError, UnknownItemError
from reportanalysis.model import Anecdote, Code, Codebook, Label, Report, Theme
from reportanalysis.project import SCHEMA_VERSION, Project, SegmentUpdate

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "reports"


def dev_report(name: str) -> Report:
    path = DEV / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared dev set lies beside the repo)")
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    meta = {"initiatief": name.split("_")[0], "bezoek": int(name[-1])}
    return Report(id=name, source=str(path), format="txt", text=text, metadata=meta)


def by_lines(report: Report, min_chars: int = 1) -> list[Anecdote]:
    """A naive automatic split: one anecdote per non-empty line of at least min_chars."""
    spans = [
        (m.start(), m.end())
        for m in re.finditer(r"[^\r\n]+", report.text)
        if m.group().strip() and len(m.group()) >= min_chars
    ]
    return [Anecdote.from_span(report, s, e, order=n) for n, (s, e) in enumerate(spans)]


@pytest.fixture
def anker() -> Report:
    return dev_report("anker_1")


@pytest.fixture
def groen() -> Report:
    return dev_report("groen_1")


@pytest.fixture
def project(tmp_path: Path, anker: Report, groen: Report) -> Project:
    p = Project.create(tmp_path / "analyse.ra")
    for r in (anker, groen):
        p.add_report(r)
        p.set_anecdotes(r.id, by_lines(r, min_chars=60))
    yield p
    p.close()


# ---------------------------------------------------------------- lifecycle


def test_create_refuses_an_existing_path(tmp_path: Path) -> None:
    path = tmp_path / "a.ra"
    Project.create(path).close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)


def test_open_refuses_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "nergens.ra")
    text = tmp_path / "verslag.txt"
    text.write_text("Dit is een verslag, geen project.\n" * 50, encoding="utf-8")
    with pytest.raises(ProjectError, match="not a reportanalysis project"):
        Project.open(text)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="not a reportanalysis project"):
        Project.open(other)


def test_pragmas_and_reopen(tmp_path: Path, anker: Report) -> None:
    path = tmp_path / "a.ra"
    with Project.create(path) as p:
        p.add_report(anker)
        assert p._con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert p._con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert p._con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert p._con.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    with Project.open(path) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert p.report("anker_1") == anker
        assert p.integrity_check() == "ok"


# ---------------------------------------------------------------- reports


def test_reports_keep_the_text_exactly(project: Project, anker: Report, groen: Report) -> None:
    assert [r.id for r in project.reports()] == ["anker_1", "groen_1"]
    stored = project.report("anker_1")
    assert stored.text == anker.text and stored.sha256 == anker.sha256
    assert stored.metadata == {"initiatief": "anker", "bezoek": 1}
    with pytest.raises(UnknownItemError, match="no report 'nope'"):
        project.report("nope")


def test_add_report_refuses_same_id_or_same_text(project: Project, anker: Report) -> None:
    with pytest.raises(ProjectError, match="same id"):
        project.add_report(Report(id="anker_1", source="x.txt", format="txt", text="Anders."))
    with pytest.raises(ProjectError, match="same text"):
        project.add_report(Report(id="kopie", source="kopie.txt", format="txt", text=anker.text))
    assert len(project.reports()) == 2


def test_reports_frame(project: Project, anker: Report) -> None:
    frame = project.reports_frame()
    assert list(frame.columns) == [
        "id",
        "source",
        "format",
        "sha256",
        "n_chars",
        "bezoek",
        "initiatief",
    ]
    row = frame.set_index("id").loc["anker_1"]
    assert row["n_chars"] == len(anker.text) and row["initiatief"] == "anker"


def test_reports_with_non_bmp_text_slice_correctly(tmp_path: Path) -> None:
    text = "Bewoners 😀 blij.\r\nDe gemeente ‘luistert’ – écht. 🌳 Boom geplant.\r\n"
    r = Report(id="emoji", source="emoji.txt", format="txt", text=text)
    with Project.create(tmp_path / "e.ra") as p:
        p.add_report(r)
        p.set_anecdotes("emoji", by_lines(r))
        for a in p.anecdotes("emoji"):
            assert a.text == text[a.start : a.end]
        assert p.report("emoji").text == text  # \r\n kept


# ---------------------------------------------------------------- anecdotes


def test_anecdotes_are_slices_of_the_report(project: Project, anker: Report) -> None:
    stored = project.anecdotes("anker_1")
    assert stored == by_lines(anker, min_chars=60)
    assert all(a.text == anker.text[a.start : a.end] for a in stored)
    everything = project.anecdotes()
    assert [a.report_id for a in everything][0] == "anker_1"
    assert len(everything) == len(stored) + len(project.anecdotes("groen_1"))
    first = stored[0]
    assert project.anecdote(first.id) == first
    with pytest.raises(UnknownItemError):
        project.anecdote("anker_1:0-1")
    with pytest.raises(UnknownItemError):
        project.anecdotes("nope")


def test_anecdotes_frame(project: Project) -> None:
    frame = project.anecdotes_frame("groen_1")
    assert list(frame.columns) == ["id", "report_id", "start", "end", "text", "section", "order"]
    assert frame["order"].tolist() == list(range(len(frame)))
    assert (frame["report_id"] == "groen_1").all()


def test_set_anecdotes_refuses_spans_that_are_not_the_text(project: Project, anker: Report) -> None:
    a = by_lines(anker)[2]
    bad = Anecdote(a.id, a.report_id, a.start, a.end, "[NAAM] noemt de samenwerking")
    with pytest.raises(ProjectError, match="original text"):
        project.set_anecdotes("anker_1", [bad])
    overlapping = [Anecdote.from_span(anker, 0, 50), Anecdote.from_span(anker, 40, 90)]
    with pytest.raises(ProjectError, match="overlaps"):
        project.set_anecdotes("anker_1", overlapping)
    assert project.anecdotes("anker_1") == by_lines(anker, min_chars=60)  # nothing changed


# ---------------------------------------------------------------- segment edits


def test_merge_split_move_exclude_are_replayed_after_a_resplit(
    project: Project, anker: Report
) -> None:
    a, b, c, d, e = project.anecdotes("anker_1")[1:6]
    merged = project.merge_anecdotes(a.id, b.id)
    assert (merged.start, merged.end) == (a.start, b.end)
    assert merged.text == anker.text[a.start : b.end]
    cut = anker.text.index(". ", c.start) + 1
    first, second = project.split_anecdote(c.id, cut)
    assert first.end == cut and second.start == cut + 1 and second.end == c.end
    moved = project.move_boundary(d.id, end=d.end - 10)
    assert moved.end == d.end - 10
    project.mark_not_anecdote(e.id)
    after_edits = project.anecdotes("anker_1")
    assert e.id not in {x.id for x in after_edits}
    assert [x.action for x in project.segment_edits("anker_1")] == [
        "merge",
        "split",
        "move",
        "exclude",
    ]

    # the automatic split runs again and gives the same spans: every edit comes back
    update = project.set_anecdotes("anker_1", by_lines(anker, min_chars=60))
    assert isinstance(update, SegmentUpdate)
    assert update.edits_failed == []
    assert update.anecdotes == after_edits == project.anecdotes("anker_1")


def test_edits_whose_span_is_gone_are_reported(project: Project, anker: Report) -> None:
    lines = project.anecdotes("anker_1")
    project.mark_not_anecdote(lines[0].id)
    project.merge_anecdotes(lines[3].id, lines[4].id)
    # a different automatic split: line 0 is gone, lines 3 and 4 are still there
    resplit = [x for x in by_lines(anker, min_chars=60) if x.start != lines[0].start]
    resplit.insert(0, Anecdote.from_span(anker, lines[0].start, lines[0].start + 20))
    update = project.set_anecdotes("anker_1", resplit)
    assert [f.edit.action for f in update.edits_failed] == ["exclude"]
    assert "no anecdote spans" in update.edits_failed[0].reason
    assert any(x.start == lines[3].start and x.end == lines[4].end for x in update.anecdotes)


def test_bad_edits_raise_and_change_nothing(project: Project, anker: Report, groen: Report) -> None:
    a = project.anecdotes("anker_1")[1]
    g = project.anecdotes("groen_1")[1]
    before = project.anecdotes()
    with pytest.raises(ProjectError, match="different reports"):
        project.merge_anecdotes(a.id, g.id)
    with pytest.raises(ProjectError, match="itself"):
        project.merge_anecdotes(a.id, a.id)
    with pytest.raises(ProjectError, match="outside"):
        project.split_anecdote(a.id, a.end + 5)
    with pytest.raises(ProjectError, match="start or end"):
        project.move_boundary(a.id)
    with pytest.raises(UnknownItemError):
        project.mark_not_anecdote("anker_1:1-2")
    assert project.anecdotes() == before
    assert project.segment_edits() == []


# ---------------------------------------------------------------- labels


def test_label_history_relabel_and_unlabel(project: Project) -> None:
    a = project.anecdotes("anker_1")[2]
    first = project.label(a, "P2", coder="fleur")
    assert isinstance(first, Label) and first.report_id == "anker_1" and first.start == a.start
    project.label(a.id, "P2", coder="fleur", source="suggested-accepted", confidence=0.8)
    project.label(a.id, "P2", coder="rachid")
    current = project.labels(coder="fleur")
    assert len(current) == 1 and current[0].source == "suggested-accepted"
    assert current[0].confidence == pytest.approx(0.8)
    removed = project.unlabel(a.id, "P2", coder="fleur")
    assert removed.active is False
    assert [lb.coder for lb in project.labels()] == ["rachid"]
    with_removed = project.labels(include_removed=True)
    assert {(lb.coder, lb.active) for lb in with_removed} == {("fleur", False), ("rachid", True)}
    history = project.label_history()
    assert history["event"].tolist() == ["label", "label", "label", "unlabel"]
    assert history["active"].tolist() == [True, True, True, False]
    assert str(history["time"].dtype).startswith("datetime64")


def test_label_refuses_unknown_anecdotes_and_bad_values(project: Project) -> None:
    a = project.anecdotes("anker_1")[2]
    with pytest.raises(UnknownItemError, match="anker_1:0-3"):
        project.label("anker_1:0-3", "P2", coder="fleur")
    with pytest.raises(ProjectError, match="coder"):
        project.label(a, "P2", coder="")
    with pytest.raises(ProjectError, match="source"):
        project.label(a, "P2", coder="fleur", source="guessed")
    with pytest.raises(ProjectError, match="confidence"):
        project.label(a, "P2", coder="fleur", confidence=3.0)
    assert len(project.label_history()) == 0


def test_labels_frame_columns(project: Project) -> None:
    a, b = project.anecdotes("groen_1")[1:3]
    project.label(a, "P3", coder="maarten")
    project.label(b, "P4", coder="priya", source="suggested", confidence=0.61)
    frame = project.labels_frame()
    assert list(frame.columns) == [
        "anecdote_id", "report_id", "start", "end", "code", "coder", "source", "confidence", "time",
    ]  # fmt: skip
    assert frame["code"].tolist() == ["P3", "P4"]
    assert "active" in project.labels_frame(include_removed=True).columns
    assert project.labels_frame(coder="nobody").empty


def test_label_many_is_one_transaction(project: Project) -> None:
    ids = [a.id for a in project.anecdotes("anker_1")[:4]]
    frame = pd.DataFrame(
        {"anecdote_id": ids, "code": ["P1", "P2", "P2", "P5"], "coder": "fleur",
         "confidence": [0.9, None, 0.5, None]}
    )  # fmt: skip
    assert project.label_many(frame) == 4
    labels = project.labels()
    assert len(labels) == 4 and {lb.source for lb in labels} == {"manual"}
    assert labels[1].confidence is None
    bad = pd.DataFrame({"anecdote_id": [ids[0], "anker_1:9-10"], "code": "P3", "coder": "x"})
    with pytest.raises(UnknownItemError, match="row 1"):
        project.label_many(bad)
    with pytest.raises(ProjectError, match="columns"):
        project.label_many(pd.DataFrame({"anecdote_id": ids}))
    assert len(project.label_history()) == 4


def test_label_many_reads_empty_cells_as_a_spreadsheet_holds_them(project: Project) -> None:
    from reportanalysis.labels import code_report_matrix, cooccurrence

    ids = [a.id for a in project.anecdotes("anker_1")[:5]]
    nan = float("nan")
    gaps = pd.DataFrame(
        {"anecdote_id": ids, "code": ["P1", nan, "P2", None, "  "],
         "coder": ["fleur", "fleur", nan, "rachid", "rachid"]}
    )  # fmt: skip
    with pytest.raises(ProjectError, match=r"rows 1, 3, 4 have no code.*row 2 has no coder"):
        project.label_many(gaps)
    assert project.label_history().empty  # nothing written
    # an empty coder takes coder=; empty source and active cells take the defaults
    frame = pd.DataFrame(
        {"anecdote_id": ids, "code": ["P1", "P2", "P2", "P3", "P5"],
         "coder": ["fleur", nan, "rachid", None, ""],
         "source": ["imported", nan, None, "manual", ""],
         "active": ["True", "False", nan, "nee", "ja"]}
    )  # fmt: skip
    assert project.label_many(frame, coder="team") == 5
    history = project.label_history()
    assert history["coder"].tolist() == ["fleur", "team", "rachid", "team", "team"]
    assert history["source"].tolist() == ["imported", "manual", "manual", "manual", "manual"]
    assert history["active"].tolist() == [True, False, True, False, True]
    assert history["event"].tolist() == ["label", "unlabel", "label", "unlabel", "label"]
    current = project.labels_frame()
    assert sorted(current["code"]) == ["P1", "P2", "P5"]
    for table in (code_report_matrix(current), cooccurrence(current)):
        assert "nan" not in table.index and "nan" not in set(current["coder"])
    # without coder= a row without a coder is refused, naming it by the frame's index
    later = pd.DataFrame({"anecdote_id": ids[:2], "code": ["P4", "P4"],
                          "coder": ["fleur", nan]}, index=[10, 11])  # fmt: skip
    with pytest.raises(ProjectError, match="row 11 has no coder"):
        project.label_many(later)
    with pytest.raises(ProjectError, match=r"row 0 .*active 'misschien'"):
        project.label_many(pd.DataFrame({"anecdote_id": ids[:1], "code": "P4", "coder": "x",
                                         "active": ["misschien"]}))  # fmt: skip
    assert len(project.label_history()) == 5
    # no coder column at all is fine when coder= says who coded; a gap in a column of
    # numbered codes does not turn code 3 into "3.0"
    assert project.label_many(pd.DataFrame({"anecdote_id": ids[:2], "code": [3, nan]}).iloc[:1],
                              coder="team") == 1  # fmt: skip
    assert {lb.code for lb in project.labels(coder="team")} == {"3", "P5"}


def test_a_code_missing_from_the_codebook_warns_and_is_stored(project: Project) -> None:
    import warnings

    a, b, c = project.anecdotes("groen_1")[:3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no codebook yet: any code is fine
        project.label(a, "geld en subsidy", coder="fleur")
    project.save_codebook(
        Codebook.from_mapping(
            {
                "geld en subsidie": "Fondsen, subsidies en betalingen",
                "regels": "Vergunningen",
                "vertrouwen": "Wederzijds vertrouwen",
            },
            name="thema's",
        )  # fmt: skip
    )
    with pytest.warns(UserWarning, match=r"'geld en subsidy' \(did you mean 'geld en subsidie'"):
        label = project.label(b, "geld en subsidy", coder="fleur")
    assert label.code == "geld en subsidy"  # stored all the same: an in vivo code is allowed
    assert ("geld en subsidy", "fleur") in {(lb.code, lb.coder) for lb in project.labels()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        project.label(b, "regels", coder="fleur")
        project.unlabel(b, "geld en subsidy", coder="fleur")
    frame = pd.DataFrame(
        {"anecdote_id": [a.id, b.id, c.id, c.id], "code": ["regel", "vertrouwen", "regel", "buurt"],
         "coder": "rachid"}
    )  # fmt: skip
    with pytest.warns(UserWarning) as caught:
        assert project.label_many(frame) == 4
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "'buurt'" in message and "'regel' (did you mean 'regels'" in message
    assert "vertrouwen" not in message
    assert caught[0].filename == __file__  # points at the caller's line


def test_labels_follow_their_text_through_edits_and_resplits(
    project: Project, anker: Report
) -> None:
    a, b, c = project.anecdotes("anker_1")[1:4]
    project.label(a, "P1", coder="fleur")
    project.label(b, "P2", coder="fleur")
    project.label(b, "P2", coder="rachid")
    merged = project.merge_anecdotes(a.id, b.id)
    assert {(lb.anecdote_id, lb.code, lb.coder) for lb in project.labels()} == {
        (merged.id, "P1", "fleur"),
        (merged.id, "P2", "fleur"),
        (merged.id, "P2", "rachid"),
    }
    events = project.label_history()["event"].tolist()
    assert events.count("moved") == 6  # three rows closed at the old ids, three opened

    # a re-split that cuts c in a small head and a big tail: c's label goes to the tail
    project.label(c, "P5", coder="fleur")
    cut = c.start + (c.end - c.start) // 4
    resplit = [x for x in by_lines(anker, min_chars=60) if x.id != c.id]
    resplit += [Anecdote.from_span(anker, c.start, cut), Anecdote.from_span(anker, cut, c.end)]
    update = project.set_anecdotes("anker_1", resplit)
    assert update.orphaned_labels == []
    tail = Anecdote.make_id("anker_1", cut, c.end)
    assert (tail, "P5") in {(lb.anecdote_id, lb.code) for lb in project.labels()}
    # the merge was replayed, so the merged labels stayed where they were
    assert len([lb for lb in project.labels() if lb.anecdote_id == merged.id]) == 3


def test_orphaned_labels_are_reported_kept_and_come_back(project: Project, anker: Report) -> None:
    a = project.anecdotes("anker_1")[2]
    project.label(a, "P2", coder="fleur")
    third = (a.end - a.start) // 3
    pieces = [
        (a.start, a.start + third),
        (a.start + third, a.start + 2 * third),
        (a.start + 2 * third, a.end),
    ]
    resplit = [x for x in by_lines(anker, min_chars=60) if x.id != a.id]
    resplit += [Anecdote.from_span(anker, s, e) for s, e in pieces]
    update = project.set_anecdotes("anker_1", resplit)
    assert [(lb.anecdote_id, lb.code, lb.coder) for lb in update.orphaned_labels] == [
        (a.id, "P2", "fleur")
    ]
    assert project.labels() == []
    assert [lb.anecdote_id for lb in project.orphaned_labels()] == [a.id]
    assert len(project.label_history()) == 1  # never silently dropped
    # the old split again: the label is back where it was
    update = project.set_anecdotes("anker_1", by_lines(anker, min_chars=60))
    assert update.orphaned_labels == []
    assert [lb.anecdote_id for lb in project.labels()] == [a.id]


def test_excluding_an_anecdote_orphans_its_labels(project: Project) -> None:
    a = project.anecdotes("groen_1")[0]
    project.label(a, "P1", coder="maarten")
    project.mark_not_anecdote(a.id)
    assert project.labels() == []
    assert [lb.code for lb in project.orphaned_labels("groen_1")] == ["P1"]


# ---------------------------------------------------------------- codebooks, annotations, themes


def test_codebooks(project: Project) -> None:
    with pytest.raises(UnknownItemError, match="codebook"):
        project.codebook()
    practices = Codebook(
        (
            Code("P2", "Werken aan relaties", inclusion="vertrouwen", examples=("koffie drinken",)),
            Code("P2a", "Informeel contact", parent="P2", color="#aa0000"),
        ),
        name="praktijken",
    )
    project.save_codebook(Codebook.from_mapping({"regels": "Vergunningen"}, name="eigen"))
    project.save_codebook(practices)
    assert project.codebooks() == ["eigen", "praktijken"]
    assert project.codebook() == practices
    assert project.codebook("eigen")["regels"].definition == "Vergunningen"
    project.save_codebook(Codebook.from_mapping({"geld": "Subsidie"}, name="eigen"))
    assert project.codebook("eigen").names == ("geld",)
    with pytest.raises(UnknownItemError):
        project.codebook("onbekend")


def test_annotations(project: Project, anker: Report) -> None:
    a, b = project.anecdotes("anker_1")[1:3]
    run = project.record_run({"step": "practices", "seed": 0})
    project.set_annotations("practice", {a.id: ("P2", 0.71), b.id: ("P1", None)}, run_id=run)
    project.set_annotations("kind", {a.id: ("succes", 0.9)})
    project.set_annotations("practice", {a.id: ("P3", 0.55)}, run_id=run)
    frame = project.annotations_frame("practice")
    assert list(frame.columns) == ["anecdote_id", "field", "value", "score", "run_id"]
    assert frame.set_index("anecdote_id").loc[a.id, "value"] == "P3"
    assert len(project.annotations_frame()) == 3
    with pytest.raises(UnknownItemError, match="anker_1:0-1"):
        project.set_annotations("kind", {"anker_1:0-1": ("succes", 1.0)})
    # an edit that removes the anecdote takes its annotations along
    project.mark_not_anecdote(a.id)
    assert a.id not in set(project.annotations_frame()["anecdote_id"])


def test_themes_and_edit_log(project: Project) -> None:
    ids = [a.id for a in project.anecdotes("groen_1")[:4]]
    themes = [
        Theme(
            0, "parkeerplaatsen en regels", ("parkeren", "vergunning"), tuple(ids[:2]), (ids[0],)
        ),
        Theme(1, "vertrouwen", ("luisteren",), tuple(ids[2:]), ()),
    ]
    project.save_themes(themes)
    assert project.themes() == themes
    project.save_themes(themes[1:])
    assert project.themes() == themes[1:]
    first = project.add_edit("themes", "rename", {"theme": 1, "label": "vertrouwen en contact"})
    project.add_edit("themes", "merge", {"themes": [0, 1]})
    project.add_edit("practices", "move", {"anecdote": ids[0], "to": "P4"})
    log = project.edits("themes")
    assert [e["action"] for e in log] == ["rename", "merge"] and log[0]["id"] == first
    assert log[0]["payload"] == {"theme": 1, "label": "vertrouwen en contact"}
    assert set(log[0]) == {"id", "scope", "action", "payload", "time"}
    assert project.edits("nothing") == []


def test_embedding_cache_round_trips_float32(project: Project, tmp_path: Path) -> None:
    from reportanalysis.embed import CachedEmbedder, TfidfEmbedder

    cache = project.embedding_cache()
    rng = np.random.default_rng(0)
    vectors = {f"k{i}": rng.normal(size=16).astype(np.float32) for i in range(1200)}
    cache.put_many("use-v3", vectors)
    got = cache.get_many("use-v3", [*vectors, "missing"])
    assert set(got) == set(vectors)
    assert all(np.array_equal(got[k], vectors[k]) and got[k].dtype == np.float32 for k in got)
    assert cache.get_many("other-model", ["k0"]) == {}

    texts = [a.text for a in project.anecdotes()]
    embedder = CachedEmbedder(TfidfEmbedder(n_components=8, seed=0), project.embedding_cache())
    first = embedder.embed(texts)
    with Project.open(project.path) as again:
        second = CachedEmbedder(TfidfEmbedder(n_components=8, seed=0), again.embedding_cache())
        np.testing.assert_array_equal(second.embed(texts), first)
        assert second.computed == 0


def test_runs(project: Project) -> None:
    a = project.record_run({"seed": 42, "versions": {"reportanalysis": "0.1.0"}})
    b = project.record_run({"seed": 43})
    runs = project.runs()
    assert [r["id"] for r in runs] == [a, b]
    assert runs[0]["versions"] == {"reportanalysis": "0.1.0"} and runs[1]["seed"] == 43


def test_a_label_moved_away_and_back_is_there_again(project: Project, anker: Report) -> None:
    a = next(x for x in project.anecdotes("anker_1") if ". " in x.text)
    project.label(a, "P2", coder="fleur")
    cut = anker.text.index(". ", a.start) + 1
    first, second = project.split_anecdote(a.id, cut)
    big = first if first.end - first.start >= second.end - second.start else second
    assert [lb.anecdote_id for lb in project.labels()] == [big.id]
    merged = project.merge_anecdotes(first.id, second.id)
    assert merged.id == a.id  # the same span as before the split
    assert [(lb.anecdote_id, lb.code, lb.active) for lb in project.labels()] == [(a.id, "P2", True)]


def test_when_labels_meet_the_latest_decision_wins(project: Project, groen: Report) -> None:
    lines = by_lines(groen, min_chars=60)
    a, b = lines[1], lines[2]
    both = Anecdote.from_span(groen, a.start, b.end)
    glued = [x for x in lines if x not in (a, b)] + [both]
    # split 1 glues a and b: fleur puts P3 on the whole, then takes it off again
    project.set_anecdotes("groen_1", glued)
    project.label(both, "P3", coder="fleur")
    project.label(both, "P1", coder="rachid")
    project.unlabel(both, "P3", coder="fleur")
    # split 2 separates them (rachid's label moves to the bigger half or is orphaned); fleur
    # labels a afresh
    update = project.set_anecdotes("groen_1", lines)
    assert len(update.orphaned_labels) + len(project.labels()) == 1
    project.label(a, "P3", coder="fleur")
    project.label(a, "P1", coder="rachid")
    # split 1 again: a's labels land on the whole; P3 by fleur is newer than her removal
    update = project.set_anecdotes("groen_1", glued)
    assert update.orphaned_labels == []
    current = sorted((lb.anecdote_id, lb.code, lb.coder) for lb in project.labels())
    assert current == [(both.id, "P1", "rachid"), (both.id, "P3", "fleur")]
    assert len(project.labels(include_removed=True)) == 2


def test_undo_segment_edit_replays_the_others(project: Project, anker: Report) -> None:
    auto = project.anecdotes("anker_1")
    a, b, c = auto[1:4]
    project.label(a, "P2", coder="fleur")
    project.label(b, "P2", coder="fleur")
    project.label(b, "P4", coder="fleur")
    merged = project.merge_anecdotes(a.id, b.id)
    project.label(merged, "P5", coder="rachid")
    assert len(project.labels()) == 3
    project.mark_not_anecdote(c.id)
    update = project.undo_segment_edit("anker_1", project.segment_edits("anker_1")[0].id)
    assert update.edits_failed == [] and update.orphaned_labels == []
    ids = [x.id for x in project.anecdotes("anker_1")]
    assert a.id in ids and b.id in ids and merged.id not in ids and c.id not in ids
    # labels go back to the parts they came from; a label put on the whole follows the span
    current = {(lb.anecdote_id, lb.code, lb.coder) for lb in project.labels()}
    bigger = a if a.end - a.start > b.end - b.start else b
    assert current == {
        (a.id, "P2", "fleur"),
        (b.id, "P2", "fleur"),
        (b.id, "P4", "fleur"),
        (bigger.id, "P5", "rachid"),
    }
    project.undo_segment_edit("anker_1")
    assert project.anecdotes("anker_1") == auto
    with pytest.raises(ProjectError, match="no segment edits"):
        project.undo_segment_edit("anker_1")
