"""The pipeline over data/sample: outputs, privacy, reproducibility, exit codes, carry-over."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportanalysis.errors import ConfigError
from reportanalysis.pipeline import Config, run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
FORMATS = ("html", "docx", "xlsx", "md", "json")


def test_example_config_loads_and_unknown_keys_are_refused(tmp_path: Path) -> None:
    cfg = Config.from_toml(ROOT / "docs" / "analysis.example.toml")
    assert cfg.privacy["enabled"] is True
    assert cfg.report["formats"] == list(FORMATS)
    bad = tmp_path / "bad.toml"
    bad.write_text("seed = 1\n[themse]\nn_themes = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="themse"):
        Config.from_toml(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("seed = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.toml"):
        Config.from_toml(broken)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"themes": {"n_thema": 3}}, r"\[themes\] n_thema is not a setting; did you mean n_themes"),
        ({"privacy": {"enabeld": False}}, "did you mean enabled"),
        ({"seed": "een"}, "seed must be a whole number"),
        ({"report": {"formats": ["html", "pdf"]}}, "not pdf"),
        ({"embedder": {"kind": "tfidf", "analyser": "word"}}, "did you mean analyzer"),
    ],
)
def test_settings_no_stage_knows_are_refused_before_the_run(
    tmp_path: Path, settings: dict, message: str
) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    with pytest.raises(ConfigError, match=message):
        Config.from_dict(settings)
    toml = tmp_path / "analyse.toml"
    lines = []
    for key, value in settings.items():
        if isinstance(value, dict):
            lines.append(f"[{key}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in value.items()]
        else:
            lines.insert(0, f"{key} = {json.dumps(value)}")
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "--out", str(out), "--config", str(toml)])
    assert result.exit_code == 2 and "fout:" in result.output
    assert not (out / "run.json").exists()  # refused before any stage ran


def test_run_refuses_an_output_folder_that_is_a_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    out = tmp_path / "rapport.html"
    out.write_text("<p>van vorige week</p>", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 2 and "is een bestand; --out is een map" in result.output
    with pytest.raises(ConfigError, match="is a file; the output is a folder"):
        run([SAMPLE], out, Config())
    assert out.read_text(encoding="utf-8") == "<p>van vorige week</p>"


def test_run_refuses_a_key_inside_the_output_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    out = tmp_path / "out"
    args = ["run", str(SAMPLE), "--out", str(out), "--key", str(out / "sleutel.json")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "apart" in result.output
    assert not (out / "sleutel.json").exists()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("run")
    result = run([SAMPLE], out / "a", Config(seed=3))
    return out, result


@pytest.mark.slow
def test_run_writes_every_format_and_run_json(sample_run) -> None:
    out, result = sample_run
    for fmt in FORMATS:
        assert (out / "a" / f"report.{fmt}").stat().st_size > 0
    info = json.loads((out / "a" / "run.json").read_text(encoding="utf-8"))
    assert info["seed"] == 3
    assert info["counts"]["reports"] == len(list(SAMPLE.glob("*.*"))) - 1  # PLANTED.json is skipped
    assert info["counts"]["anecdotes"] > 5 * info["counts"]["reports"]
    assert set(info["seconds"]) >= {"ingest", "pseudonymise", "split", "embed", "themes", "report"}
    assert len(info["input_hashes"]) == info["counts"]["reports"]
    assert "versions" in info and info["versions"]["python"].startswith("3.")
    assert (out / "a" / "run.log").read_text(encoding="utf-8").count("stap ") >= 8
    frame = result.tables.anecdotes
    assert set(frame["practice"]) <= {"P1", "P2", "P3", "P4", "P5", "none"}
    assert set(frame["kind"]) <= {"succes", "knelpunt", "aanknopingspunt"}
    assert frame["theme"].nunique() >= 3
    # The agreements under "Afspraken" headings: apart from the anecdotes, pseudonymised.
    actions = result.tables.actions
    assert len(actions) >= 10 and not set(actions["report_id"]) - set(result.tables.reports["id"])
    assert any("[PERSOON" in t for t in actions["text"])


@pytest.mark.slow
def test_no_planted_personal_data_in_any_output(sample_run) -> None:
    from privacy_corpus import assert_no_planted

    out, _ = sample_run
    planted = json.loads((SAMPLE / "PLANTED.json").read_text(encoding="utf-8"))
    assert sum(len(v) for v in planted.values()) >= 40
    assert_no_planted([out / "a"], planted)


@pytest.mark.slow
def test_same_seed_gives_byte_identical_report_json(sample_run) -> None:
    out, _ = sample_run
    run([SAMPLE], out / "b", Config(seed=3))
    a = (out / "a" / "report.json").read_bytes()
    b = (out / "b" / "report.json").read_bytes()
    assert a == b


@pytest.mark.slow
def test_skipped_input_gives_exit_code_one_and_the_rest_is_analysed(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("zonnedak_1.txt", "zonnedak_2.md", "repaircafe_1.txt"):
        shutil.copy(SAMPLE / name, inputs / name)
    (inputs / "leeg.txt").write_text("  \n", encoding="utf-8")
    result = run([inputs], tmp_path / "out", Config(report={"formats": ["json"]}))
    assert result.exit_code == 1
    assert [Path(e.path).name for e in result.skipped] == ["leeg.txt"]
    assert result.info["counts"]["reports"] == 3
    log = (tmp_path / "out" / "run.log").read_text(encoding="utf-8")
    assert "leeg.txt: bevat geen tekst (" in log  # run.log says it in Dutch, details after
    # Paths start at the folder given: the folders above it may name the analyst.
    info = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert info["inputs"] == ["in"] and info["skipped"][0]["path"] == "in/leeg.txt"
    assert info["outputs"] == {"json": "report.json"}
    assert str(tmp_path) not in log and str(tmp_path) not in json.dumps(info)


@pytest.mark.slow
def test_project_keeps_labels_and_reuses_embeddings(tmp_path: Path) -> None:
    from reportanalysis.project import Project

    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("zonnedak_1.txt", "zonnedak_2.md"):
        shutil.copy(SAMPLE / name, inputs / name)
    db = tmp_path / "analyse.sqlite"
    cfg = Config(report={"formats": ["json"]})
    first = run([inputs], tmp_path / "out1", cfg, project=db)
    assert first.info["counts"]["embedded_now"] > 0
    with Project.open(db) as project:
        anecdote = project.anecdotes()[0]
        project.label(anecdote.id, "knelpunt", coder="fleur")
    second = run([inputs], tmp_path / "out2", cfg, project=db)
    assert second.info["counts"]["embedded_now"] == 0
    with Project.open(db) as project:
        labels = project.labels()
    assert [(x.anecdote_id, x.code, x.coder) for x in labels] == [
        (anecdote.id, "knelpunt", "fleur")
    ]
    assert second.tables.labels["code"].tolist() == ["knelpunt"]


@pytest.mark.slow
def test_codebook_gives_suggestions_and_guided_themes(tmp_path: Path) -> None:
    from reportanalysis.labels import load_codebook
    from reportanalysis.project import Project

    codebook = ROOT / "notebooks" / "codeboek.toml"
    names = set(load_codebook(codebook).names)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("zonnedak_1.txt", "repaircafe_1.txt"):
        shutil.copy(SAMPLE / name, inputs / name)
    db = tmp_path / "p.sqlite"
    cfg = Config(codebook=str(codebook), report={"formats": ["json"]})
    result = run([inputs], tmp_path / "out", cfg, project=db)
    frame = result.tables.anecdotes
    assert set(frame["suggested_code"]) <= names
    assert frame["suggested_score"].between(0, 1).all()
    with Project.open(db) as project:
        stored = project.annotations_frame("suggested_code")
    assert len(stored) == len(frame)


@pytest.mark.slow
def test_names_in_file_names_and_metadata_are_masked_in_every_output(tmp_path: Path) -> None:
    from privacy_corpus import assert_no_planted

    inputs = tmp_path / "verslagen"
    inputs.mkdir()
    body = (SAMPLE / "zonnedak_1.txt").read_text(encoding="utf-8")
    (inputs / "Gesprek met Anneke de Roos.txt").write_text(
        "Initiatief: Moestuin van Jan Jansen\nBezoek: 1\n\n"
        "Anneke de Roos vertelde dat Jan Jansen de subsidie aanvroeg.\n\n" + body,
        encoding="utf-8",
    )
    shutil.copy(SAMPLE / "repaircafe_1.txt", inputs / "repaircafe_1.txt")
    # names the analyst adds to mask must not be listed in the report's settings appendix
    config = Config(
        report={"formats": list(FORMATS)},
        privacy={"enabled": True, "extra_names": ["Bas Hoogendijk", "Ploeg"]},
    )
    result = run([inputs], tmp_path / "out", config)
    assert result.exit_code == 0
    assert_no_planted(
        [tmp_path / "out"], {"naam": ["Anneke", "de Roos", "Jansen", "Hoogendijk", "Ploeg"]}
    )
    tables = result.tables
    # The tables still join on the masked ids.
    assert set(tables.anecdotes["report_id"]) == set(tables.reports["id"])
    assert tables.anecdotes["id"].is_unique
    for ids in tables.themes["representative_ids"]:
        assert set(ids) <= set(tables.anecdotes["id"])
    assert any("[PERSOON" in r for r in tables.reports["id"])


def test_one_initiative_written_two_ways_is_one_initiative(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    story = "De gemeente belde binnen een week terug over de {}."
    for n, name in ((1, "Repair Café Zuid"), (2, "repair cafe zuid")):
        (folder / f"r{n}.txt").write_text(
            f"Initiatief: {name}\nBezoek: {n}\n\n{story.format(n)}", encoding="utf-8"
        )
    config = Config(embedder={"kind": "tfidf"}, report={"formats": ["json"]})
    result = run([folder], tmp_path / "out", config)
    assert set(result.tables.reports["initiative"]) == {"Repair Café Zuid"}
