"""What a run leaves in its output folder: no report of an earlier run passes for this one's,
nothing the analyst edited is lost, and progress bars for notebooks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportanalysis.errors import ReportAnalysisError
from reportanalysis.pipeline import Config, NotebookProgress, run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def _config(*formats: str) -> Config:
    return Config(embedder={"kind": "tfidf"}, report={"formats": list(formats)})


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "verslagen"
    folder.mkdir()
    for name in ("zonnedak_1.txt", "repaircafe_1.txt"):
        shutil.copy(SAMPLE / name, folder / name)
    return folder


@pytest.mark.slow
def test_a_format_no_longer_asked_for_is_removed_and_an_edited_one_kept(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    (out / "aantekeningen.txt").write_text("mijn eigen notities\n", encoding="utf-8")
    run([inputs], out, _config("md", "json", "html"))
    assert {"report.md", "report.json", "report.html"} <= {p.name for p in out.iterdir()}
    first = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert set(first["output_hashes"]) == {"report.md", "report.json", "report.html"}

    # The analyst adds a remark to the Markdown report, then asks for JSON only.
    edited = (out / "report.md").read_text(encoding="utf-8") + "\nOpmerking van de analist.\n"
    (out / "report.md").write_text(edited, encoding="utf-8")
    result = run([inputs], out, _config("json"), progress=True)

    assert not (out / "report.html").exists()  # unchanged since the earlier run: removed
    assert (out / "report.md").read_text(encoding="utf-8") == edited  # edited: kept as it is
    assert (out / "aantekeningen.txt").exists()  # never ours: untouched
    assert result.info["kept_from_earlier"] == ["report.md"]
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["kept_from_earlier"] == ["report.md"]
    assert set(info["output_hashes"]) == {"report.json"}
    assert "report.md is van een eerdere run" in (out / "run.log").read_text(encoding="utf-8")
    shown = capsys.readouterr().err  # progress=True: a bar per stage
    assert all(stage in shown for stage in ("ingest", "split", "themes", "report"))


def test_a_failed_run_leaves_no_run_json_of_the_earlier_one(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    (out / "report.json").write_text("{}", encoding="utf-8")
    (out / "run.json").write_text(
        json.dumps({"output_hashes": {"report.json": "0" * 64, "../elders.txt": "0" * 64}}),
        encoding="utf-8",
    )
    (tmp_path / "elders.txt").write_text("buiten de map\n", encoding="utf-8")
    empty = tmp_path / "leeg"
    empty.mkdir()
    with pytest.raises(ReportAnalysisError):
        run([empty], out, _config("json"))
    assert not (out / "run.json").exists()  # no earlier run.json passes for this failed run
    assert (out / "report.json").exists()  # not as the earlier run wrote it: kept
    assert (tmp_path / "elders.txt").exists()  # a name only ever points inside the folder


def test_notebook_progress_shows_one_bar_per_stage(capsys: pytest.CaptureFixture[str]) -> None:
    bars = NotebookProgress()
    bars("ingest", 0, None)
    bars("ingest", 2, 4)
    bars("ingest", 4, 4)
    bars("split", 1, 3)
    bars.close()
    err = capsys.readouterr().err
    assert "ingest" in err and "4/4" in err
    assert "split" in err and "1/3" in err
