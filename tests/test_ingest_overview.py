"""A metadata table beside the reports: a row per file with its initiative, visit and date."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from reportanalysis.errors import InputError, MissingFileError
from reportanalysis.ingest import MetadataWarning, read_metadata_table, read_reports

STORY = (
    "De gemeente reageerde snel op de vraag van {who}: binnen een week lag er een antwoord. "
    "Daarna bleef het stil tot de zomer."
)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """Reports that do not say which visit they record; two files share a name."""
    folder = tmp_path / "verslagen"
    for rel, who in (
        ("klimboom.txt", "Henk"),
        ("oud/anker.txt", "Anneke"),
        ("nieuw/anker.txt", "Mehmet"),
        ("buurtbus.txt", "Kees"),
    ):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(STORY.format(who=who), encoding="utf-8")
    # A report whose own header names a visit the table corrects.
    (folder / "buurtbus.txt").write_text(
        "Initiatief: Buurtbus\nBezoek: 1\n\n" + STORY.format(who="Kees"), encoding="utf-8"
    )
    return folder


def test_a_csv_table_gives_each_report_its_row(reports: Path, tmp_path: Path) -> None:
    table = tmp_path / "overzicht.csv"
    table.write_text(
        "Bestand;Initiatief;Bezoek;Datum;Opmerking\n"
        "klimboom.txt;Speeltuin De Klimboom;tweede;12-3-2024;\n"
        "oud/anker.txt;Buurtkamer Het Anker;1;;eerste keer\n"
        "nieuw\\anker;Buurtkamer Het Anker;2/2;;\n"  # a Windows path, no extension
        "buurtbus.txt;;2;;\n"
        "weg.txt;Iets;1;;\n",
        encoding="utf-8",
    )
    with pytest.warns(MetadataWarning, match="'weg.txt' matches no report"):
        result = read_reports([reports], metadata_table=table)
    meta = {
        Path(r.source).name + str(r.metadata.get("bezoek")): {
            k: v for k, v in r.metadata.items() if k != "encoding"
        }
        for r in result.reports
    }
    assert meta["klimboom.txt2"] == {
        "initiatief": "Speeltuin De Klimboom",
        "bezoek": 2,
        "datum": "2024-03-12",
    }
    assert meta["anker.txt1"] == {
        "initiatief": "Buurtkamer Het Anker",
        "bezoek": 1,
        "opmerking": "eerste keer",
    }
    assert meta["anker.txt2"]["bezoek"] == 2
    # The table goes over the header; an empty cell leaves the header's value.
    assert (
        meta["buurtbus.txt2"]["bezoek"] == 2 and meta["buurtbus.txt2"]["initiatief"] == "Buurtbus"
    )


def test_an_xlsx_table_and_a_name_that_fits_two_reports(reports: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["File", "Initiative", "Visit"])
    ws.append(["anker.txt", "Het Anker", 1])
    ws.append(["klimboom", "De Klimboom", 2])
    table = tmp_path / "overzicht.xlsx"
    wb.save(table)
    with pytest.warns(MetadataWarning, match="'anker.txt' matches 2 reports.*give the folder"):
        result = read_reports([reports], metadata_table=table)
    visits = {Path(r.source).name: r.metadata.get("bezoek") for r in result.reports}
    assert visits == {"klimboom.txt": 2, "anker.txt": None, "buurtbus.txt": 1}


def test_a_table_that_cannot_be_used_stops_before_any_report_is_read(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="weg.csv"):
        read_reports([tmp_path], metadata_table=tmp_path / "weg.csv")
    no_file_column = tmp_path / "lijst.csv"
    no_file_column.write_text("Initiatief,Bezoek\nHet Anker,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lijst.csv: has no column naming the files.*Bezoek"):
        read_metadata_table(no_file_column)
    twice = tmp_path / "twee.csv"
    twice.write_text("bestand,bezoek\na.txt,1\nA.TXT,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="names 'A.TXT' twice"):
        read_metadata_table(twice)
    odt = tmp_path / "lijst.odt"
    odt.write_bytes(b"x")
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        read_metadata_table(odt)


def test_a_project_takes_the_table_also_for_reports_it_holds(reports: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app
    from reportanalysis.project import Project

    project = tmp_path / "p.ra"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(reports), "--project", str(project)]).exit_code == 0
    table = tmp_path / "overzicht.csv"
    table.write_text("bestand,bezoek\noud/anker.txt,1\nnieuw/anker.txt,2\n", "utf-8")
    result = runner.invoke(
        app, ["ingest", str(reports), "--project", str(project), "--metadata", str(table)]
    )
    assert result.exit_code == 0, result.output
    assert "metadata uit" in result.output and "op 2 verslagen gezet" in result.output
    with Project.open(project) as store:
        visits = sorted(r.metadata.get("bezoek") or 0 for r in store.reports())
    assert visits == [0, 1, 1, 2]  # buurtbus keeps its header's visit 1
    # Read again: nothing left to change.
    again = runner.invoke(
        app, ["ingest", str(reports), "--project", str(project), "--metadata", str(table)]
    )
    assert "metadata uit" not in again.output


@pytest.mark.slow
def test_run_with_a_metadata_table_compares_the_visits(reports: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    table = tmp_path / "mijn map" / "overzicht.csv"
    table.parent.mkdir()
    table.write_text(
        "bestand,initiatief,bezoek\noud/anker.txt,Het Anker,1\nnieuw/anker.txt,Het Anker,2\n"
        "klimboom.txt,De Klimboom,1\nbuurtbus.txt,Buurtbus,2\n",
        "utf-8",
    )
    out = tmp_path / "uit"
    with warnings.catch_warnings():
        warnings.simplefilter("error", MetadataWarning)  # every row matches
        result = CliRunner().invoke(
            app, ["run", str(reports), "--out", str(out), "--metadata", str(table), "-q"]
        )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["change"]["available"] and report["change"]["left_out"] == 0
    # The appendix names the table's file, not the folders it is in.
    settings = json.dumps(report, ensure_ascii=False)
    assert "overzicht.csv" in settings and "mijn map" not in settings


@pytest.mark.slow
def test_a_run_writes_its_warnings_to_run_log_and_run_json(reports: Path, tmp_path: Path) -> None:
    from reportanalysis.pipeline import Config, run

    table = tmp_path / "overzicht.csv"
    table.write_text("bestand,bezoek\nklimboom.txt,1\nweg.txt,2\nanker.txt,1\n", "utf-8")
    config = Config(
        embedder={"kind": "tfidf"},
        report={"formats": ["json"]},
        ingest={"metadata_table": str(table)},
    )
    with pytest.warns(MetadataWarning) as shown:
        run([reports], tmp_path / "uit", config)
    assert len(shown) == 2  # still shown where the run is watched
    log = (tmp_path / "uit" / "run.log").read_text(encoding="utf-8")
    assert "let op: overzicht.csv: 'weg.txt' matches no report read" in log
    assert "'anker.txt' matches 2 reports (nieuw/anker.txt, oud/anker.txt)" in log
    info = json.loads((tmp_path / "uit" / "run.json").read_text(encoding="utf-8"))
    assert len(info["warnings"]) == 2 and str(tmp_path) not in json.dumps(info["warnings"])
