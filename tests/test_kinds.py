"""KindClassifier: successes, bottlenecks and points to improve on, negation and hedging."""

from __future__ import annotations

import json

import pytest

from reportanalysis.errors import NotFittedError
from reportanalysis.frameworks import KindClassifier


@pytest.fixture(scope="module")
def cues_only() -> KindClassifier:
    return KindClassifier(embedder=None).fit()


def test_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        KindClassifier(embedder=None).predict_proba(["Het is gelukt."])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("De vrijwilligers zijn trots: de pluktuin is geopend en het is echt gelukt.", "succes"),
        ("Ze is niet tevreden over de samenwerking met de afdeling.", "knelpunt"),
        ("Er is geen probleem meer met de sleutel van de zaal.", "succes"),
        ("De aanvraag loopt vast; ze wordt van het kastje naar de muur gestuurd.", "knelpunt"),
        ("Volgende keer willen we de buren eerder uitnodigen.", "aanknopingspunt"),
        ("Afgesproken is dat hij uitzoekt of een tijdelijke vergunning kan.", "aanknopingspunt"),
        ("Het zou mooi zijn als de school het lokaal beschikbaar stelt.", "aanknopingspunt"),
    ],
)
def test_cues_with_negation_and_hedging(cues_only: KindClassifier, text: str, kind: str) -> None:
    assert cues_only.predict([text]) == [kind]


def test_classes_and_no_secondary(cues_only: KindClassifier) -> None:
    assert list(cues_only.classes_) == ["succes", "knelpunt", "aanknopingspunt"]
    assert cues_only.predict_with_secondary(["Het is gelukt."]) == [("succes", None)]


def test_labels_refine_the_classifier() -> None:
    text = "De wethouder opende het trapveldje met een penalty."
    clf = KindClassifier(embedder="tfidf").fit(
        [text, "De burgemeester opende de moestuin."], ["succes", "succes"]
    )
    assert clf.predict([text]) == ["succes"]


@pytest.mark.slow
def test_cli_kinds_with_use(tmp_path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    texts = {
        "succes": "De bewonersgroep is blij: de speeltuin is eindelijk open en het loopt goed.",
        "knelpunt": "Het is frustrerend dat de vergunning al maanden op zich laat wachten.",
        "aanknopingspunt": "Ze spraken af dat de ambtenaar volgende maand de wethouder meeneemt.",
    }
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps({"text": t, "kind": "succes", "id": k}) + "\n" for k, t in texts.items()
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["kinds", "--input", str(src), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert [r["kind"] for r in rows] == list(texts)
    assert all(abs(sum(r["kind_scores"].values()) - 1) < 1e-3 for r in rows)


def test_cli_input_errors_name_the_file_and_line(tmp_path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    def said(path) -> str:  # the message, without the box typer draws and its line breaks
        result = CliRunner().invoke(app, ["kinds", "--input", str(path), "--format", "jsonl"])
        assert result.exit_code == 2
        return " ".join(result.output.replace("│", " ").split())

    assert "bestand bestaat niet" in said(tmp_path / "ontbreekt.jsonl")
    bad = tmp_path / "kapot.jsonl"
    bad.write_text('{"text": "Goed contact."}\n{"text": \n', encoding="utf-8")
    assert "regel 2: geen JSON" in said(bad)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"text": "Caf\u00e9"}\n'.encode("latin-1"))
    assert "geen UTF-8" in said(latin)
