"""The `import` and `export` commands."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportanalysis.cli import EXIT_FAILED, EXIT_OK, EXIT_SKIPPED, app
from reportanalysis.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "refi"
runner = CliRunner()


def _run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_import_creates_the_project_and_prints_a_summary(tmp_path: Path) -> None:
    project = tmp_path / "eiland.ra"
    code, out = _run("import", FIXTURES / "atlasti.qdpx", "--project", project)
    assert code == EXIT_OK, out
    assert "2 verslagen, 3 anekdotes, 4 codes, 4 labels, 2 gebruikers" in out
    with Project.open(project) as p:
        assert len(p.labels()) == 4


def test_import_with_skipped_parts_exits_1_and_says_what(tmp_path: Path) -> None:
    code, out = _run("import", FIXTURES / "nvivo.qdpx", "--project", tmp_path / "p.ra")
    assert code == EXIT_SKIPPED
    assert "overgeslagen: source 'Verslag Groen bezoek 2.pdf'" in out
    assert "UTF-16" in out


def test_import_a_codebook_then_export_it(tmp_path: Path) -> None:
    project = tmp_path / "p.ra"
    code, out = _run("import", FIXTURES / "taguette.qdc", "--project", project)
    assert code == EXIT_OK and "3 codes" in out
    code, out = _run("export", "--project", project, "--format", "qdc", "-o", tmp_path / "c.qdc")
    assert code == EXIT_OK, out
    assert b"praktische hulp" in (tmp_path / "c.qdc").read_bytes()


@pytest.mark.parametrize("fmt", ["qdpx", "csv", "xlsx"])
def test_export_then_import_round_trips(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "bron.ra"
    assert _run("import", FIXTURES / "atlasti.qdpx", "--project", source)[0] == EXIT_OK
    out = tmp_path / f"uit.{fmt}"
    code, text = _run("export", "--project", source, "-o", out)  # format from the extension
    assert code == EXIT_OK, text
    target = tmp_path / "doel.ra"
    if fmt != "qdpx":  # tables point into reports the project must already hold
        assert _run("import", FIXTURES / "atlasti.qdpx", "--project", target)[0] == EXIT_OK
    code, text = _run("import", out, "--project", target)
    assert code == EXIT_OK, text
    with Project.open(source) as a, Project.open(target) as b:
        key = lambda lb: (lb.anecdote_id, lb.code, lb.coder)  # noqa: E731
        assert sorted(map(key, a.labels())) == sorted(map(key, b.labels()))
    if fmt == "qdpx":
        assert zipfile.ZipFile(out).namelist()[0] == "project.qde"


def test_errors_are_reported_in_dutch_with_exit_2(tmp_path: Path) -> None:
    code, out = _run("export", "--project", tmp_path / "bestaat-niet.ra", "-o", tmp_path / "x.csv")
    assert code == EXIT_FAILED and "projectbestand bestaat niet" in " ".join(
        out.replace("│", " ").split()
    )
    (tmp_path / "notities.txt").write_text("geen export", encoding="utf-8")
    code, out = _run("import", tmp_path / "notities.txt", "--project", tmp_path / "p.ra")
    assert code == EXIT_FAILED and "unknown format" in out
    hostile = tmp_path / "pad.qdpx"
    with zipfile.ZipFile(hostile, "w") as zf:
        zf.writestr("../../buiten.txt", "x")
    code, out = _run("import", hostile, "--project", tmp_path / "p.ra")
    assert code == EXIT_FAILED and "'../../buiten.txt' points outside the archive" in out
    assert not (tmp_path / "p.ra").exists()  # no empty project left behind


def test_export_is_pseudonymised_unless_originals_are_asked_for(tmp_path: Path) -> None:
    from reportanalysis.model import Anecdote

    report = tmp_path / "zon_1.txt"
    report.write_text(
        "Initiatief: Zonnedak\n\nAnneke de Roos belde Thijs Bakker over de subsidie.\n",
        encoding="utf-8",
    )
    source = tmp_path / "bron.ra"
    with Project.create(source) as p:
        (stored,) = p.add_reports([report]).reports
        start = stored.text.index("Anneke")
        a = Anecdote.from_span(stored, start, stored.text.index(".", start) + 1)
        p.set_anecdotes(stored.id, [a])
        p.label(p.anecdotes()[0], "geld", coder="fleur")
    masked, plain = tmp_path / "uit.csv", tmp_path / "intern.csv"
    assert _run("export", "--project", source, "-o", masked)[0] == EXIT_OK
    assert _run("export", "--project", source, "-o", plain, "--originals")[0] == EXIT_OK
    shown, original = masked.read_text("utf-8-sig"), plain.read_text("utf-8-sig")
    assert "[PERSOON" in shown and "Anneke" not in shown and "Bakker" not in shown
    assert "Anneke de Roos belde Thijs Bakker" in original


def test_exporting_a_project_without_anecdotes_says_to_run_first(tmp_path: Path) -> None:
    project = tmp_path / "a.ra"
    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "zonnedak_1.txt"
    with Project.create(project) as store:
        store.add_reports([sample])
    code, out = _run("export", "--project", project, "-o", tmp_path / "fragmenten.csv")
    assert code == EXIT_OK
    assert "nog geen anekdotes" in out and "reportanalysis run --project" in out
