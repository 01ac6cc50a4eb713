"""Folders, zips, ids, duplicates, progress, parallel reading and the sample data."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from reportanalysis.errors import UnsupportedFormatError
from reportanalysis.ingest import read_report, read_reports

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
DEV = ROOT.parent / "shared" / "eval" / "dev" / "reports"
sys.path.insert(0, str(ROOT / "scripts"))
import make_sample  # noqa: E402

TEXT_A = "Verslag bezoek 1 – De Moestuin\nDe samenwerking met de gemeente loopt goed.\n"
TEXT_B = "Verslag bezoek 2 – De Moestuin\nDe afspraken zijn nagekomen.\n"


def test_folder_recursive_sorted_without_hidden_and_lock_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "verslag.txt").write_text(TEXT_B, encoding="utf-8")
    (tmp_path / "a" / "verslag.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "a" / "~$verslag.docx").write_bytes(b"lock")
    (tmp_path / ".verborgen.txt").write_text("verborgen", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("git", encoding="utf-8")
    (tmp_path / "notities.json").write_text("{}", encoding="utf-8")  # not a report format
    result = read_reports(tmp_path)
    assert [r.id for r in result.reports] == ["verslag", "verslag-2"]
    assert [r.text for r in result.reports] == [TEXT_A, TEXT_B]
    assert result.reports[0].source == str(tmp_path / "a" / "verslag.txt")
    assert result.skipped == [] and result.duplicates == []


def test_duplicates_are_reported_once(tmp_path):
    (tmp_path / "een.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "kopie.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "twee.md").write_text(TEXT_B, encoding="utf-8")
    result = read_reports(tmp_path)
    assert [r.id for r in result.reports] == ["een", "twee"]
    assert result.duplicates == [(str(tmp_path / "kopie.txt"), "een")]
    # the same file given twice is a duplicate too
    again = read_reports([tmp_path / "een.txt", tmp_path / "een.txt"])
    assert len(again.reports) == 1 and len(again.duplicates) == 1


def test_the_original_keeps_the_report_and_the_copy_is_the_duplicate(tmp_path):
    """Sorted, "Kopie van anker_1" comes before "anker_1": the copy must not name the report."""
    for name in ("Kopie van anker_1.txt", "anker_1 (2).txt", "anker_1.txt", "anker_1 - kopie.txt"):
        (tmp_path / name).write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "groen_1 copy.txt").write_text(TEXT_B, encoding="utf-8")  # only a copy: kept
    result = read_reports(tmp_path)
    assert [r.id for r in result.reports] == ["anker_1", "groen_1 copy"]
    assert result.reports[0].source == str(tmp_path / "anker_1.txt")
    assert sorted(Path(s).name for s, _ in result.duplicates) == [
        "Kopie van anker_1.txt",
        "anker_1 (2).txt",
        "anker_1 - kopie.txt",
    ]
    assert {same for _, same in result.duplicates} == {"anker_1"}


def test_an_edited_copy_is_analysed_too_and_said(tmp_path):
    from reportanalysis.ingest import CopyWarning

    (tmp_path / "repaircafe_2.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "repaircafe_2 - kopie.txt").write_text(TEXT_A + " Nog iets.", encoding="utf-8")
    (tmp_path / "anker_1 (2).txt").write_text(TEXT_B, encoding="utf-8")  # no original: quiet
    with pytest.warns(CopyWarning, match="repaircafe_2 - kopie.txt looks like a copy of ") as w:
        result = read_reports(tmp_path)
    assert len(w) == 1 and len(result.reports) == 3


def test_zip_archive_members(tmp_path):
    path = tmp_path / "ronde1.zip"
    docx_bytes = (SAMPLE / "speeltuin_1.docx").read_bytes()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("verslagen/b.txt", TEXT_B.encode("cp1252", errors="strict"))
        zf.writestr("verslagen/a.txt", TEXT_A)
        zf.writestr("verslagen/speeltuin_1.docx", docx_bytes)
        zf.writestr("__MACOSX/verslagen/._a.txt", b"\x00\x05")
        zf.writestr("verslagen/", b"")
        zf.writestr("lees mij.pdf.lnk", b"?")
    result = read_reports(path)
    assert [r.id for r in result.reports] == ["a", "b", "speeltuin_1"]
    assert result.reports[0].source == f"{path}!verslagen/a.txt"
    assert result.reports[1].text == TEXT_B
    assert result.reports[1].metadata["encoding"] == "cp1252"
    assert result.reports[2].format == "docx"
    assert result.reports[2].text == read_report(SAMPLE / "speeltuin_1.docx").text


def test_explicit_report_id_and_stems(tmp_path):
    (tmp_path / "verslag.txt").write_text(TEXT_A, encoding="utf-8")
    assert read_report(tmp_path / "verslag.txt").id == "verslag"
    assert read_report(tmp_path / "verslag.txt", report_id="moestuin_1").id == "moestuin_1"


def test_progress_is_reported(tmp_path):
    for i in range(3):
        (tmp_path / f"v{i}.txt").write_text(f"Verslag {i}: het ging goed.", encoding="utf-8")
    calls = []
    read_reports(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
def test_parallel_reading_equals_serial(tmp_path):
    for i in range(12):
        (tmp_path / f"v{i:02d}.txt").write_text(
            f"Verslag bezoek {i % 2 + 1} – Initiatief {i}\nTekst {i}.", encoding="utf-8"
        )
    (tmp_path / "leeg.txt").write_text("", encoding="utf-8")
    serial = read_reports(tmp_path, workers=1)
    parallel = read_reports(tmp_path, workers=2)
    assert [(r.id, r.text, r.metadata) for r in serial.reports] == [
        (r.id, r.text, r.metadata) for r in parallel.reports
    ]
    assert [str(e) for e in serial.skipped] == [str(e) for e in parallel.skipped]
    assert type(parallel.skipped[0]).__name__ == "EmptyReportError"


def test_dev_reports_read_exactly_as_the_scorer_reads_them():
    if not DEV.is_dir():
        pytest.skip("the shared dev set is not next to the repository")
    result = read_reports(DEV)
    assert [r.id for r in result.reports] == ["anker_1", "anker_2", "groen_1", "groen_2"]
    for report in result.reports:
        with open(DEV / f"{report.id}.txt", encoding="utf-8", newline="") as fh:
            assert report.text == fh.read()
        assert report.metadata["bezoek"] in (1, 2)
        assert report.metadata["initiatief"] in ("Buurtkamer Het Anker", "Groene Lindestraat")


# --------------------------------------------------------------------------- sample data


@pytest.fixture(scope="module")
def sample():
    return read_reports(SAMPLE)


def test_sample_reads_completely(sample):
    assert sample.skipped == [] and sample.duplicates == []
    formats = [r.format for r in sample.reports]
    assert len(sample.reports) >= 12
    assert {f: formats.count(f) for f in ("txt", "md", "docx", "pdf")} == {
        "txt": 5,
        "md": 3,
        "docx": 2,
        "pdf": 2,
    }
    for report in sample.reports:
        words = len(report.text.split())
        assert 400 <= words <= 800, (report.id, words)
        assert report.metadata.get("initiatief"), report.id
        assert report.metadata.get("bezoek") in (1, 2), report.id
        assert len(report.metadata.get("datum", "")) == 10, report.id
    initiatives = {r.metadata["initiatief"] for r in sample.reports if r.format != "txt"}
    assert len(initiatives) >= 5


def test_sample_docx_and_pdf_match_their_sources(sample):
    by_id = {r.id: r for r in sample.reports}
    for stem in make_sample.TARGETS:
        source = (ROOT / "scripts" / "sample_texts" / f"{stem}.txt").read_text(encoding="utf-8")
        assert by_id[stem].text == make_sample.expected_text(source), stem


def test_sample_planted_personal_data_occurs_verbatim(sample):
    planted = json.loads((SAMPLE / "PLANTED.json").read_text(encoding="utf-8"))
    assert set(planted) >= {"persons", "emails", "phones", "addresses", "ibans"}
    text = "\n".join(r.text for r in sample.reports)
    for kind, items in planted.items():
        assert items, kind
        for item in items:
            assert item in text, (kind, item)


@pytest.mark.slow
def test_make_sample_regenerates_the_same_text(tmp_path):
    make_sample.main(["--out", str(tmp_path)])
    for stem, fmt in make_sample.TARGETS.items():
        fresh = read_report(tmp_path / f"{stem}.{fmt}")
        committed = read_report(SAMPLE / f"{stem}.{fmt}")
        assert fresh.text == committed.text


def _skipped(result) -> dict[str, str]:
    return {Path(e.path.split("!")[-1]).name: e.reason for e in result.skipped}


def test_unreadable_documents_in_folders_and_zips_are_listed_not_dropped(tmp_path):
    folder = tmp_path / "ronde1"
    (folder / "fotos").mkdir(parents=True)
    (folder / "verslag.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "notities.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (folder / "fotos" / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    (folder / "verslag.wpd").write_bytes(b"\xffWPC")  # an extension we know nothing about
    (folder / "zonder extensie").write_text(TEXT_B, encoding="utf-8")  # read: bytes decide
    # clutter and obvious non-documents are left out quietly
    (folder / "fotos" / "Thumbs.db").write_bytes(b"\x00")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]", encoding="utf-8")
    (folder / "~$tities.doc").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "codes.json").write_text("{}", encoding="utf-8")
    direct = {}
    for name in ("notities.doc", "fotos/scan.jpg", "verslag.wpd"):
        with pytest.raises(UnsupportedFormatError) as info:
            read_report(folder / name)
        direct[Path(name).name] = info.value.reason
    assert "save it as .docx" in direct["notities.doc"]
    assert "OCR" in direct["scan.jpg"]

    from_folder = read_reports(folder)
    assert [r.id for r in from_folder.reports] == ["verslag", "zonder extensie"]
    assert _skipped(from_folder) == direct
    assert all(isinstance(e, UnsupportedFormatError) for e in from_folder.skipped)

    archive = tmp_path / "ronde1.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    from_zip = read_reports(archive)
    assert [r.id for r in from_zip.reports] == ["verslag", "zonder extensie"]
    assert _skipped(from_zip) == direct
    assert {e.path for e in from_zip.skipped} == {
        f"{archive}!{name}" for name in ("fotos/scan.jpg", "notities.doc", "verslag.wpd")
    }
