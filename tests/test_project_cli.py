"""Project.add_reports over the real readers, and the `ingest` / `reports` commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportanalysis.cli import EXIT_FAILED, EXIT_OK, EXIT_SKIPPED, app
from reportanalysis.project import Project

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "reports"

METADATA_REPORT = (
    "Initiatief: Moestuin De Kiem\n"
    "Bezoek: 1\n"
    "Datum: 13-07-2023\n"
    "\n"
    "De gemeente leverde binnen een week de houten bakken; Sanne van de afdeling Groen belde "
    "zelf terug toen de vergunning bleef liggen.\n"
)


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    if not DEV.exists():
        pytest.skip(f"{DEV} is not there (the shared dev set lies beside the repo)")
    folder = tmp_path / "verslagen"
    shutil.copytree(DEV, folder)
    return folder


@pytest.fixture
def docx_report(tmp_path: Path) -> Path:
    from docx import Document

    doc = Document()
    for line in METADATA_REPORT.splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "kiem_1.docx"
    doc.save(path)
    return path


def test_add_reports_stores_new_texts_once(
    tmp_path: Path, reports_dir: Path, docx_report: Path
) -> None:
    with Project.create(tmp_path / "p.ra") as p:
        first = p.add_reports([reports_dir, docx_report])
        assert sorted(r.id for r in first.reports) == [
            "anker_1",
            "anker_2",
            "groen_1",
            "groen_2",
            "kiem_1",
        ]
        assert first.skipped == [] and first.duplicates == []
        kiem = p.report("kiem_1")
        assert kiem.format == "docx" and kiem.metadata["initiatief"] == "Moestuin De Kiem"
        with open(reports_dir / "anker_1.txt", encoding="utf-8", newline="") as fh:
            assert p.report("anker_1").text == fh.read()  # exactly as read, line endings kept

        # the same texts again: duplicates; a new text under a taken name: a new id
        other = tmp_path / "nieuw"
        other.mkdir()
        (other / "anker_1.txt").write_text("Tweede bezoek: de koffie was op.\n", encoding="utf-8")
        second = p.add_reports([reports_dir / "groen_1.txt", other / "anker_1.txt"])
        assert [r.id for r in second.reports] == ["anker_1-2"]
        assert second.duplicates == [(str(reports_dir / "groen_1.txt"), "groen_1")]
        assert len(p.reports()) == 6


def test_ingest_and_reports_commands(tmp_path: Path, reports_dir: Path, docx_report: Path) -> None:
    runner = CliRunner()
    project = tmp_path / "analyse.ra"
    result = runner.invoke(
        app, ["ingest", str(reports_dir), str(docx_report), "--project", str(project)]
    )
    assert result.exit_code == EXIT_OK, result.output
    assert "5 verslagen toegevoegd" in result.output

    result = runner.invoke(
        app, ["ingest", str(reports_dir / "anker_2.txt"), "--project", str(project)]
    )
    assert result.exit_code == EXIT_OK
    assert "0 verslagen toegevoegd" in result.output
    assert "1 verslag ongewijzigd, al in het project" in result.output  # no copy of itself
    assert "dubbel" not in result.output
    copy = tmp_path / "Kopie van anker_2.txt"
    copy.write_bytes((reports_dir / "anker_2.txt").read_bytes())
    result = runner.invoke(app, ["ingest", str(copy), "--project", str(project)])
    assert "1 dubbel (zelfde tekst als een ander bestand)" in result.output
    assert f"{copy} = anker_2" in result.output

    result = runner.invoke(app, ["reports", "--project", str(project)])
    assert result.exit_code == EXIT_OK, result.output
    assert "Moestuin De Kiem" in result.output and "2023-07-13" in result.output
    assert "initiatief" in result.output and "tekens" in result.output

    result = runner.invoke(app, ["reports", "--project", str(project), "--format", "jsonl"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows][-1] == "kiem_1"
    assert rows[-1]["bezoek"] == 1 and rows[-1]["tekens"] == len(
        Project.open(project).report("kiem_1").text
    )

    # Only ingested, not analysed: a report would be empty, so the command says what to do.
    result = runner.invoke(app, ["report", "--project", str(project), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "reportanalysis run" in result.output
    assert not (tmp_path / "r").exists()


def test_ingest_exits_1_and_names_each_skipped_file(tmp_path: Path, docx_report: Path) -> None:
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(docx_report.read_bytes()[:300])  # a truncated Word file
    empty = tmp_path / "leeg.txt"
    empty.write_text("   \n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["ingest", str(docx_report), str(broken), str(empty), "--project", str(tmp_path / "p.ra")],
    )
    assert result.exit_code == EXIT_SKIPPED
    assert "1 verslag toegevoegd" in result.output and "2 overgeslagen" in result.output
    assert "kapot.docx" in result.output and "leeg.txt" in result.output


def test_commands_exit_2_on_failure(tmp_path: Path, docx_report: Path) -> None:
    runner = CliRunner()
    not_a_project = tmp_path / "notities.txt"
    not_a_project.write_text("Geen project.\n" * 100, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(docx_report), "--project", str(not_a_project)])
    assert result.exit_code == EXIT_FAILED
    assert "not a reportanalysis project" in result.output
    result = runner.invoke(app, ["reports", "--project", str(tmp_path / "nergens.ra")])
    assert result.exit_code == EXIT_FAILED
    assert "projectbestand bestaat niet" in " ".join(result.output.replace("│", " ").split())


def test_nothing_read_at_all_is_a_failure_and_writes_nothing(tmp_path: Path) -> None:
    """Exit 1 means "some inputs skipped, the rest done"; when not one report could be read
    the command failed (2) and leaves no empty output behind."""
    runner = CliRunner()
    missing = str(tmp_path / "bestaat_niet")
    out = tmp_path / "anekdotes.jsonl"
    result = runner.invoke(app, ["split", missing, "-o", str(out)])
    assert result.exit_code == EXIT_FAILED and not out.exists()
    assert f"overgeslagen: {missing}: bestaat niet (" in result.output  # said in Dutch first
    result = runner.invoke(app, ["pseudonymise", missing, "--out", str(tmp_path / "p")])
    assert result.exit_code == EXIT_FAILED and not (tmp_path / "p").exists()
    result = runner.invoke(app, ["ingest", missing, "--project", str(tmp_path / "a.ra")])
    assert result.exit_code == EXIT_FAILED


@pytest.mark.slow
def test_run_over_the_reports_a_project_holds(tmp_path: Path) -> None:
    """A project imported from ATLAS.ti (.qdpx) has no report files: run analyses what it holds."""
    from reportanalysis.interop import export_qdpx, import_qdpx

    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    with Project.create(tmp_path / "bron.ra") as source:
        source.add_reports([sample / "zonnedak_1.txt", sample / "repaircafe_1.txt"])
        qdpx = export_qdpx(source, tmp_path / "uit_atlas.qdpx", originals=True)
    import_qdpx(qdpx, tmp_path / "geimporteerd.ra")

    out = tmp_path / "rapport"
    args = ["run", "--out", str(out), "--project", str(tmp_path / "geimporteerd.ra"), "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == EXIT_OK, result.output
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["counts"]["reports"] == 2 and info["counts"]["anecdotes"] > 10
    assert info["inputs"] == []

    nothing = CliRunner().invoke(app, ["run", "--out", str(out)])
    assert nothing.exit_code == EXIT_FAILED and "--project" in nothing.output


def test_our_warnings_read_as_a_line_for_the_analyst(capsys: pytest.CaptureFixture[str]) -> None:
    import reportanalysis.themes as themes_module
    from reportanalysis.cli import _show_warning
    from reportanalysis.themes import ThemeWarning

    ours = str(Path(themes_module.__file__))
    _show_warning(ThemeWarning("te weinig thema's"), ThemeWarning, ours, 94)
    assert capsys.readouterr().err == "let op: te weinig thema's\n"
    _show_warning(UserWarning("elders"), UserWarning, "/elders/umap_.py", 3)
    err = capsys.readouterr().err
    assert "umap_.py:3: UserWarning: elders" in err and "let op" not in err
