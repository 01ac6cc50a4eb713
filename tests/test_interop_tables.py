"""Coded segments to and from CSV and Excel, with text checks and formula neutralisation."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportanalysis.interop import SEGMENT_COLUMNS, export_segments, import_segments
from reportanalysis.model import Anecdote, Report
from reportanalysis.project import Project

TEXT = (
    "Initiatief: Buurtkamer Het Anker\r\n"
    "Bezoek: 2\r\n"
    "\r\n"
    "Mehmet belde zelf terug toen de vergunning bleef liggen 👍.\r\n"
    '=HYPERLINK("http://voorbeeld.nl";"klik") stond in de mail van de afdeling.\r\n'
    "- De leges voor de buurtbarbecue zijn nog steeds onduidelijk.\r\n"
    "@Sanne: graag één aanspreekpunt voor de hele aanvraag.\r\n"
    "+ Pluspunt: de wijkagent kwam ook langs.\r\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p.ra")
    report = Report("anker_2", "anker_2.txt", "txt", TEXT)
    p.add_report(report)
    lines = TEXT.split("\r\n")[3:8]
    spans = []
    for line in lines:
        start = TEXT.index(line)
        spans.append(Anecdote.from_span(report, start, start + len(line)))
    p.set_anecdotes("anker_2", spans)
    a = p.anecdotes()
    p.label(a[0], "Vertrouwen", coder="fleur")
    p.label(a[0], "Vertrouwen", coder="ahmed", source="suggested-accepted", confidence=0.82)
    p.label(a[1], "Regels", coder="fleur")
    p.label(a[2], "Regels", coder="ahmed", source="suggested", confidence=0.4)
    p.label(a[3], "Aanspreekpunt", coder="fleur")
    # a[4] has no labels: it travels as a row without a code
    yield p
    p.close()


def _state(p: Project) -> tuple[list[tuple[str, str]], set[tuple]]:
    anecdotes = [(a.id, a.text) for a in p.anecdotes()]
    labels = {(lb.anecdote_id, lb.code, lb.coder, lb.source, lb.confidence) for lb in p.labels()}
    return anecdotes, labels


def _fresh(tmp_path: Path, name: str) -> Project:
    p = Project.create(tmp_path / name)
    p.add_report(Report("anker_2", "anker_2.txt", "txt", TEXT))
    return p


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_keeps_anecdotes_labels_sources_and_confidence(
    project: Project, tmp_path: Path, suffix: str
) -> None:
    out = export_segments(project, tmp_path / f"segmenten{suffix}")
    with _fresh(tmp_path, "terug.ra") as back:
        summary = import_segments(out, back)
        assert summary.ok, summary.skipped
        assert (summary.anecdotes, summary.labels) == (5, 5)
        assert _state(back) == _state(project)


def test_csv_columns_and_neutralised_formulas(project: Project, tmp_path: Path) -> None:
    out = export_segments(project, tmp_path / "s.csv", originals=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel recognises UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == SEGMENT_COLUMNS
    texts = [r[3] for r in rows[1:]]
    assert '\'=HYPERLINK("http://voorbeeld.nl";"klik") stond in de mail van de afdeling.' in texts
    assert "'- De leges voor de buurtbarbecue zijn nog steeds onduidelijk." in texts
    assert "'@Sanne: graag één aanspreekpunt voor de hele aanvraag." in texts
    assert "'+ Pluspunt: de wijkagent kwam ook langs." in texts
    assert not any(t[:1] in "=+-@" for t in texts)


def test_xlsx_cells_are_text_never_formulas(project: Project, tmp_path: Path) -> None:
    out = export_segments(project, tmp_path / "s.xlsx")
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    ws = load_workbook(out).active
    texts = [row[3] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://voorbeeld.nl";"klik") stond in de mail van de afdeling.' in texts
    cells = [c for c in ws["D"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_rows_whose_text_does_not_match_are_skipped(project: Project, tmp_path: Path) -> None:
    out = export_segments(project, tmp_path / "s.csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    rows[1][3] = "Mehmet belde nooit terug."  # text no longer matches its span
    rows[2][0] = "groen_9"  # a report the project does not hold
    rows[3][1] = "vier"
    edited = tmp_path / "bewerkt.csv"
    with open(edited, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)  # Dutch Excel writes semicolons
    with _fresh(tmp_path, "terug.ra") as back:
        summary = import_segments(edited, back)
        reasons = dict(summary.skipped)
        assert set(reasons) == {"row 2", "row 3", "row 4"}
        assert "text differs" in reasons["row 2"]
        assert "no report 'groen_9'" in reasons["row 3"]
        assert "no numbers" in reasons["row 4"]
        assert summary.labels == len(rows) - 1 - 3 - 1  # minus header, skipped, uncoded row
        assert {a.text[:6] for a in back.anecdotes()} == {"- De l", "@Sanne", "+ Plus"}


def test_whitespace_changes_from_spreadsheets_are_tolerated(tmp_path: Path) -> None:
    out = tmp_path / "hand.csv"
    start = TEXT.index("Mehmet")
    end = TEXT.index("afdeling.") + len("afdeling.")
    flattened = " ".join(TEXT[start:end].split())  # the line break became a space
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["report", "start", "end", "text", "code"])
        w.writerow(["anker_2", start, end, flattened, "Vertrouwen"])
    with _fresh(tmp_path, "hand.ra") as back:
        summary = import_segments(out, back)
        assert summary.ok
        assert back.labels()[0].coder == "import"
        assert back.anecdotes()[0].text == TEXT[start:end]


def test_reports_with_manual_edits_keep_their_anecdotes(project: Project, tmp_path: Path) -> None:
    a = project.anecdotes()
    merged = project.merge_anecdotes(a[1].id, a[2].id)  # an analyst's edit
    inner = a[1]
    out = tmp_path / "binnen.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(SEGMENT_COLUMNS)
        w.writerow(["anker_2", inner.start, inner.end, inner.text, "Formule", "ilse", "", ""])
        w.writerow(["anker_2", 0, 10, TEXT[:10], "Kop", "ilse", "", ""])  # half in no anecdote
    summary = import_segments(out, project)
    assert [x.id for x in project.anecdotes()] == [a[0].id, merged.id, a[3].id, a[4].id]
    placed = [lb for lb in project.labels() if lb.coder == "ilse"]
    assert [(lb.anecdote_id, lb.code) for lb in placed] == [(merged.id, "Formule")]
    assert any("manual segment edits" in n for n in summary.notes)
    assert [item for item, _ in summary.skipped] == ["row 3"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tables_show_pseudonymised_text_by_default_and_still_round_trip(
    project: Project, tmp_path: Path, suffix: str
) -> None:
    out = export_segments(project, tmp_path / f"s{suffix}")
    if suffix == ".csv":
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    else:
        rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]
    texts = [str(r[3]) for r in rows[1:]]
    assert not any("Mehmet" in t or "Sanne" in t for t in texts)
    assert any(t.startswith("[PERSOON") for t in texts)
    assert any(t.startswith(("'@[PERSOON", "@[PERSOON")) for t in texts)  # still neutralised
    # rows are matched by report and offsets: they come back onto the original anecdotes
    with _fresh(tmp_path, "terug.ra") as back:
        summary = import_segments(out, back)
        assert summary.ok, summary.skipped
        assert _state(back) == _state(project)
    originals = export_segments(project, tmp_path / f"o{suffix}", originals=True)
    with _fresh(tmp_path, "terug2.ra") as back:
        assert import_segments(originals, back).ok
        assert _state(back) == _state(project)


def test_a_pseudonymised_table_edited_by_hand_is_still_checked(
    project: Project, tmp_path: Path
) -> None:
    out = export_segments(project, tmp_path / "s.csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    rows[1][3] = rows[1][3].replace("terug", "nooit terug")
    edited = tmp_path / "bewerkt.csv"
    with open(edited, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with _fresh(tmp_path, "terug.ra") as back:
        summary = import_segments(edited, back)
        reasons = dict(summary.skipped)
        assert set(reasons) == {"row 2"} and "text differs" in reasons["row 2"]
        assert "Mehmet" not in reasons["row 2"]  # the message shows no original names either
