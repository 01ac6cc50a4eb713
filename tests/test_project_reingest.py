"""Reading an edited report file again updates the stored report instead of adding a copy."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from reportanalysis.errors import ProjectError
from reportanalysis.model import Report
from reportanalysis.project import Project
from reportanalysis.segment import Splitter

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "reports"

# a word inside the anecdote 702-1141 of anker_1 ("Anneke noemt de samenwerking …")
OLD_WORD, NEW_WORD = "elke week op dinsdagochtend", "elke week op woensdagochtend"


def dev_text(name: str) -> str:
    path = DEV / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared dev set lies beside the repo)")
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return path


@pytest.fixture(scope="module")
def splitter() -> Splitter:
    return Splitter(embedder="none")


def split_all(project: Project, splitter: Splitter) -> dict[str, object]:
    return {r.id: project.set_anecdotes(r.id, splitter.split(r)) for r in project.reports()}


def containing(project: Project, report_id: str, words: str):
    found = [a for a in project.anecdotes(report_id) if words in a.text]
    assert len(found) == 1, f"{words!r} is in {len(found)} anecdotes"
    return found[0]


@pytest.fixture
def coded(tmp_path: Path, splitter: Splitter):
    """Two txt reports in a folder, split, two anecdotes of anker_1 labelled by two coders."""
    folder = tmp_path / "verslagen"
    write(folder / "anker_1.txt", dev_text("anker_1"))
    write(folder / "groen_1.txt", dev_text("groen_1"))
    project = Project.create(tmp_path / "analyse.ra")
    result = project.add_reports(folder)
    assert [r.id for r in result.reports] == ["anker_1", "groen_1"]
    split_all(project, splitter)
    changed = containing(project, "anker_1", OLD_WORD)
    untouched = containing(project, "anker_1", "sjoelcompetitie")  # after the change
    before = containing(project, "anker_1", "Mehmet Yilmaz, beleidsadviseur")  # before it
    project.label(changed, "P2", coder="fleur")
    project.label(untouched, "P3", coder="rachid")
    project.label(before, "P1", coder="fleur")
    yield project, folder, {"changed": changed, "untouched": untouched, "before": before}
    project.close()


def edit_anker(folder: Path) -> str:
    text = dev_text("anker_1")
    assert text.count(OLD_WORD) == 1
    new = text.replace(OLD_WORD, NEW_WORD)
    write(folder / "anker_1.txt", new)
    return new


def test_an_edited_file_replaces_its_report_under_the_same_id(coded, splitter) -> None:
    project, folder, spots = coded
    history_before = project.label_history()
    new_text = edit_anker(folder)

    result = project.add_reports(folder)

    assert [r.id for r in project.reports()] == ["anker_1", "groen_1"]
    assert result.updated == [(str(folder / "anker_1.txt"), "anker_1")]
    assert [r.id for r in result.reports] == ["anker_1"]  # updated reports are stored now
    assert result.duplicates == [(str(folder / "groen_1.txt"), "groen_1")]
    report = project.report("anker_1")
    assert report.text == new_text
    assert report.sha256 == Report("x", "x", "txt", new_text).sha256
    # stale anecdotes with offsets into the old text are gone until the report is split again
    assert project.anecdotes("anker_1") == []
    assert len(project.anecdotes("groen_1")) > 0

    update = project.set_anecdotes("anker_1", splitter.split(report))
    placed = {(lb.code, lb.coder): lb for lb in project.labels()}
    # unchanged passages keep their labels, on the new offsets (one character on after the edit)
    untouched = placed[("P3", "rachid")]
    assert untouched.start == spots["untouched"].start + 1
    assert project.anecdote(untouched.anecdote_id).text == spots["untouched"].text
    assert report.text[untouched.start : untouched.end] == spots["untouched"].text
    assert placed[("P1", "fleur")].anecdote_id == spots["before"].id
    # the label whose passage changed is orphaned, not silently moved or lost
    assert ("P2", "fleur") not in placed
    orphans = project.orphaned_labels("anker_1")
    assert [(lb.code, lb.coder) for lb in orphans] == [("P2", "fleur")]
    assert [(lb.code, lb.coder) for lb in update.orphaned_labels] == [("P2", "fleur")]
    assert project.label_text(orphans[0]) == spots["changed"].text  # what the coder labelled
    assert project.report_versions("anker_1")[0].text == dev_text("anker_1")
    # the history only grew
    history = project.label_history()
    assert len(history) > len(history_before)
    assert history.iloc[: len(history_before)].equals(history_before)
    assert "outdated" in set(history["event"])
    # a second split changes nothing: the orphan stays an orphan, nothing new is written
    n = len(history)
    project.set_anecdotes("anker_1", splitter.split(report))
    assert len(project.label_history()) == n
    assert [(lb.code, lb.coder) for lb in project.orphaned_labels()] == [("P2", "fleur")]
    # a coder labels the new version: it is placed, the old decision stays in the history
    project.label(containing(project, "anker_1", NEW_WORD), "P2", coder="fleur")
    assert ("P2", "fleur") in {(lb.code, lb.coder) for lb in project.labels()}


def test_the_same_file_a_renamed_copy_and_a_new_file(coded, tmp_path) -> None:
    project, folder, _ = coded
    again = project.add_reports(folder)
    assert again.reports == [] and again.updated == []
    assert sorted(rid for _, rid in again.duplicates) == ["anker_1", "groen_1"]

    # renamed: the old name is gone, the text is the same → a duplicate as before
    (folder / "groen_1.txt").rename(folder / "groen_bezoek1.txt")
    renamed = project.add_reports(folder)
    assert renamed.updated == [] and renamed.reports == []
    assert (str(folder / "groen_bezoek1.txt"), "groen_1") in renamed.duplicates

    write(folder / "groen_2.txt", dev_text("groen_2"))
    new = project.add_reports(folder)
    assert [r.id for r in new.reports] == ["groen_2"] and new.updated == []
    assert len(project.reports()) == 3


def test_a_renamed_file_beside_a_new_one_of_the_old_name_is_not_an_update(coded) -> None:
    project, folder, _ = coded
    (folder / "anker_1.txt").rename(folder / "anker_1_oud.txt")
    write(folder / "anker_1.txt", dev_text("anker_2"))
    result = project.add_reports(folder)
    assert result.updated == []  # the stored text is still among the inputs
    assert [r.id for r in result.reports] == ["anker_1-2"]
    assert project.report("anker_1").text == dev_text("anker_1")


def test_paths_are_compared_normalised(coded) -> None:
    project, folder, _ = coded
    edit_anker(folder)
    result = project.add_reports(str(folder) + "/./")
    assert [rid for _, rid in result.updated] == ["anker_1"]


def test_on_change_add_keeps_the_old_behaviour_and_error_refuses(coded) -> None:
    project, folder, _ = coded
    edit_anker(folder)
    with pytest.raises(ProjectError, match=r"anker_1\.txt: changed since .* report 'anker_1'"):
        project.add_reports(folder, on_change="error")
    assert project.report("anker_1").text == dev_text("anker_1")  # nothing was stored
    with pytest.raises(ValueError, match="on_change"):
        project.add_reports(folder, on_change="replace")

    result = project.add_reports(folder, on_change="add")
    assert result.updated == [] and [r.id for r in result.reports] == ["anker_1-2"]
    assert [r.id for r in project.reports()] == ["anker_1", "groen_1", "anker_1-2"]


def test_a_second_edit_updates_again_and_keeps_earlier_orphans(coded, splitter) -> None:
    project, folder, _ = coded
    text = edit_anker(folder)
    project.add_reports(folder)
    split_all(project, splitter)
    write(folder / "anker_1.txt", text.replace("sjoelcompetitie", "damcompetitie"))
    result = project.add_reports(folder)
    assert [rid for _, rid in result.updated] == ["anker_1"]
    split_all(project, splitter)
    orphans = sorted((lb.code, lb.coder) for lb in project.orphaned_labels())
    assert orphans == [("P2", "fleur"), ("P3", "rachid")]
    assert [lb.code for lb in project.labels()] == ["P1"]
    texts = {lb.code: project.label_text(lb) for lb in project.orphaned_labels()}
    assert OLD_WORD in texts["P2"] and "sjoelcompetitie" in texts["P3"]
    assert len(project.report_versions("anker_1")) == 2


def test_segment_edits_follow_the_new_offsets(coded, splitter) -> None:
    project, folder, spots = coded
    first = containing(project, "anker_1", "Het contract loopt eind")
    second = containing(project, "anker_1", "Daarbij komt dat de bestemming")
    merged = project.merge_anecdotes(first.id, second.id)
    project.label(merged, "P4", coder="fleur")
    edit_anker(folder)  # one character longer before both
    project.add_reports(folder)
    update = project.set_anecdotes("anker_1", splitter.split(project.report("anker_1")))
    assert update.edits_failed == []
    again = containing(project, "anker_1", "Het contract loopt eind")
    assert (again.start, again.end) == (merged.start + 1, merged.end + 1)
    assert "Daarbij komt dat de bestemming" in again.text
    assert ("P4", "fleur", again.id) in {
        (lb.code, lb.coder, lb.anecdote_id) for lb in project.labels()
    }


def test_a_docx_edited_with_python_docx_is_updated(tmp_path: Path, splitter) -> None:
    docx = pytest.importorskip("docx")
    paragraphs = [p for p in dev_text("anker_1").split("\n") if p.strip()]
    path = tmp_path / "verslagen" / "anker_1.docx"
    path.parent.mkdir()
    doc = docx.Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save(path)
    with Project.create(tmp_path / "analyse.ra") as project:
        project.add_reports(path.parent)
        split_all(project, splitter)
        keep = containing(project, "anker_1", "sjoelcompetitie")
        project.label(keep, "P3", coder="rachid")

        doc = docx.Document(path)
        target = next(p for p in doc.paragraphs if OLD_WORD in p.text)
        target.text = target.text.replace(OLD_WORD, NEW_WORD)
        doc.save(path)
        result = project.add_reports(path.parent)

        assert result.updated == [(str(path), "anker_1")]
        assert len(project.reports()) == 1
        assert NEW_WORD in project.report("anker_1").text
        split_all(project, splitter)
        (label,) = project.labels()
        assert project.anecdote(label.anecdote_id).text == keep.text
        assert label.start == keep.start + 1


def test_a_zip_member_edited_is_updated(tmp_path: Path, splitter) -> None:
    archive = tmp_path / "verslagen.zip"

    def pack(anker: str) -> None:
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("ronde1/anker_1.txt", anker)
            zf.writestr("ronde1/groen_1.txt", dev_text("groen_1"))

    pack(dev_text("anker_1"))
    with Project.create(tmp_path / "analyse.ra") as project:
        project.add_reports(archive)
        split_all(project, splitter)
        project.label(containing(project, "anker_1", "sjoelcompetitie"), "P3", coder="rachid")
        pack(dev_text("anker_1").replace(OLD_WORD, NEW_WORD))
        result = project.add_reports(archive)
        assert result.updated == [(f"{archive}!ronde1/anker_1.txt", "anker_1")]
        assert [r.id for r in project.reports()] == ["anker_1", "groen_1"]
        split_all(project, splitter)
        assert [lb.code for lb in project.labels()] == ["P3"]


def _table(path: Path, rows: list[tuple[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["nummer", "initiatief", "verslag"])
        out.writerows([(n, "Het Anker", text) for n, text in rows])


def test_table_rows_are_updated_by_their_row_id(tmp_path: Path) -> None:
    a, b, c = (dev_text(n) for n in ("anker_1", "groen_1", "anker_2"))
    table = tmp_path / "verslagen.csv"
    _table(table, [("v1", a), ("v2", b)])
    options = {"text_column": "verslag", "id_column": "nummer"}
    with Project.create(tmp_path / "analyse.ra") as project:
        assert [r.id for r in project.add_reports(table, **options).reports] == ["v1", "v2"]
        # a row edited, a row inserted above it: the id column says which is which
        _table(table, [("v3", c), ("v1", a), ("v2", b.replace("a", "A", 1))])
        result = project.add_reports(table, **options)
        assert result.updated == [(str(table), "v2")]
        assert [r.id for r in result.reports] == ["v3", "v2"]
        assert [r.id for r in project.reports()] == ["v1", "v2", "v3"]


def test_table_rows_without_an_id_column_never_take_over_a_moved_row(tmp_path: Path) -> None:
    a, b, c = (dev_text(n) for n in ("anker_1", "groen_1", "anker_2"))
    table = tmp_path / "verslagen.csv"
    _table(table, [("", a), ("", b)])
    with Project.create(tmp_path / "analyse.ra") as project:
        options = {"text_column": "verslag"}
        assert [r.id for r in project.add_reports(table, **options).reports] == [
            "verslagen-1",
            "verslagen-2",
        ]
        _table(table, [("", c), ("", a), ("", b)])  # a row inserted on top: rows 1, 2 move down
        result = project.add_reports(table, **options)
        assert result.updated == []
        assert [r.id for r in result.reports] == ["verslagen-1-2"]
        _table(table, [("", c), ("", a), ("", b + " Nagekomen.")])  # row 3 edited in place
        result = project.add_reports(table, **options)
        assert result.updated == [] and len(result.reports) == 1  # row 3 was never stored
        assert project.report("verslagen-1").text == a


def test_add_report_stays_strict(coded) -> None:
    project, folder, _ = coded
    changed = project.report("anker_1")
    other = Report(changed.id, changed.source, "txt", changed.text + " Nog iets.")
    with pytest.raises(ProjectError, match="same id"):
        project.add_report(other)


def test_cli_ingest_says_which_reports_were_updated(coded) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    project, folder, _ = coded
    edit_anker(folder)
    path = project.path
    project.close()
    out = CliRunner().invoke(app, ["ingest", str(folder), "--project", str(path)])
    assert out.exit_code == 0, out.output
    assert "0 verslagen toegevoegd" in out.output
    assert f"bijgewerkt: anker_1 ({folder / 'anker_1.txt'})" in out.output


@pytest.mark.slow
def test_a_run_over_an_edited_folder_counts_each_anecdote_once(tmp_path: Path) -> None:
    from reportanalysis.pipeline import Config, run

    folder = tmp_path / "verslagen"
    write(folder / "anker_1.txt", dev_text("anker_1"))
    write(folder / "groen_1.txt", dev_text("groen_1"))
    config = Config(embedder={"kind": "tfidf"}, report={"formats": ["json"]})
    path = tmp_path / "analyse.ra"
    first = run([folder], tmp_path / "uit1", config, project=path)
    with Project.open(path) as project:
        keep = containing(project, "anker_1", "sjoelcompetitie")
        project.label(keep, "P3", coder="rachid")
        project.label(containing(project, "anker_1", OLD_WORD), "P2", coder="fleur")
    edit_anker(folder)

    second = run([folder], tmp_path / "uit2", config, project=path)

    assert second.info["counts"]["reports"] == first.info["counts"]["reports"] == 2
    assert second.info["counts"]["anecdotes"] == first.info["counts"]["anecdotes"]
    frame = second.tables.anecdotes
    assert not frame["id"].duplicated().any()
    assert frame["report_id"].nunique() == 2
    assert len(second.tables.reports) == 2
    body = json.loads((tmp_path / "uit2" / "report.json").read_text(encoding="utf-8"))
    assert "anker_1-2" not in json.dumps(body)
    with Project.open(path) as project:
        assert len(project.reports()) == 2
        report = project.report("anker_1")
        assert NEW_WORD in report.text
        stored = project.anecdotes()
        assert all(a.text == project.report(a.report_id).text[a.start : a.end] for a in stored)
        assert len(stored) == len(frame)
        (label,) = project.labels()
        assert (label.code, project.anecdote(label.anecdote_id).text) == ("P3", keep.text)
        assert [lb.code for lb in project.orphaned_labels()] == ["P2"]
    log = (tmp_path / "uit2" / "run.log").read_text(encoding="utf-8")
    assert "past niet meer op een anekdote" in log
    assert "bijgewerkt: anker_1 (" in log and "het bestand is veranderd" in log
    info = json.loads((tmp_path / "uit2" / "run.json").read_text(encoding="utf-8"))
    assert [u["id"] for u in info["updated"]] == ["anker_1"]
    assert info["duplicates"] == []  # files read again into their project are no copies
    assert info["updated"][0]["source"].endswith("anker_1.txt")


def test_reingest_copies_of_the_sample_folder(tmp_path: Path, splitter) -> None:
    """Every format of the sample folder: reading it twice changes nothing."""
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    folder = tmp_path / "sample"
    shutil.copytree(sample, folder)
    with Project.create(tmp_path / "analyse.ra") as project:
        first = project.add_reports(folder)
        again = project.add_reports(folder)
        assert again.reports == [] and again.updated == []
        assert len(again.duplicates) == len(first.reports) + len(first.duplicates)


@pytest.mark.slow
def test_a_run_names_a_file_whose_text_another_file_has(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    folder = tmp_path / "verslagen"
    write(folder / "anker_1.txt", dev_text("anker_1"))
    write(folder / "kopie" / "anker_1 (2).txt", dev_text("anker_1"))
    write(folder / "groen_1.txt", dev_text("groen_1"))
    toml = tmp_path / "analyse.toml"
    toml.write_text('[embedder]\nkind = "tfidf"\n[report]\nformats = ["json"]\n', "utf-8")
    for n, extra in enumerate(
        ([], ["--project", str(tmp_path / "p.ra")], ["--project", str(tmp_path / "p.ra")])
    ):
        out = tmp_path / f"uit{n}"
        args = ["run", str(folder), "--out", str(out), "--config", str(toml), "-q", *extra]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        info = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert info["counts"]["reports"] == 2
        assert [d["same_as"] for d in info["duplicates"]] == ["anker_1"]
        assert info["duplicates"][0]["source"].endswith("anker_1 (2).txt")
        assert "dubbel: " in result.output and "telt één keer mee" in result.output
        assert "dubbel: " in (out / "run.log").read_text(encoding="utf-8")


def test_theme_edits_follow_unchanged_anecdotes_to_their_new_ids(coded, splitter) -> None:
    project, folder, _ = coded
    untouched = containing(project, "anker_1", "sjoelcompetitie")
    changed = containing(project, "anker_1", OLD_WORD)
    project.add_edit("themes", "move", {"anecdote_id": untouched.id, "theme": "geld"})
    ref = {"label": "contact", "anecdote_ids": [untouched.id, changed.id]}
    project.add_edit("themes", "rename", {"theme": ref, "label": "vertrouwen"})
    edit_anker(folder)
    project.add_reports(folder)
    split_all(project, splitter)
    now = containing(project, "anker_1", "sjoelcompetitie")
    assert now.id != untouched.id  # the edit shifted it by a character
    move, rename = project.edits("themes")
    assert move["payload"] == {"anecdote_id": now.id, "theme": "geld"}
    # An anecdote whose text changed keeps its old id: its part of the edit fails on replay.
    assert rename["payload"]["theme"]["anecdote_ids"] == [now.id, changed.id]
    assert rename["payload"]["label"] == "vertrouwen"
