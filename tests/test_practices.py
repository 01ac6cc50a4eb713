"""PracticeMapper: the scikit-learn contract, zero-shot and trained mapping, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from reportanalysis.errors import ConfigError, NotFittedError
from reportanalysis.frameworks import Explanation, PracticeMapper, load_framework

# Fresh anecdotes, one per practice, written for these tests.
CLEAR = {
    "P1": "Voordat hij iets beloofde, ging de ambtenaar ter plekke kijken en vroeg hij rond "
    "voor wie de initiatiefnemer eigenlijk spreekt en wat er in de buurt speelt.",
    "P2": "Ze drinkt elke week koffie met de vrijwilligers; door dat persoonlijke, informele "
    "contact is er vertrouwen gegroeid en voelen ze zich gehoord.",
    "P3": "De omwonenden maakten bezwaar tegen de jeu-de-boulesbaan; samen werd een "
    "compromis gevonden waar voor- en tegenstanders mee kunnen leven.",
    "P4": "De initiatiefnemer werd van afdeling naar afdeling doorverwezen; niemand binnen "
    "de gemeente wist wie over de vergunning besliste.",
    "P5": "De ambtenaar organiseerde een bijeenkomst in het buurthuis en bracht de groep in "
    "contact met een lokaal fonds en een ondernemer uit de wijk.",
}


@pytest.fixture(scope="module")
def lexical_mapper() -> PracticeMapper:
    return PracticeMapper(embedder=None).fit()


@pytest.fixture(scope="module")
def tfidf_mapper() -> PracticeMapper:
    return PracticeMapper(embedder="tfidf").fit()


def test_predict_before_fit_is_a_not_fitted_error() -> None:
    with pytest.raises(NotFittedError, match="fit"):
        PracticeMapper(embedder=None).predict(["De buurt helpt."])


def test_estimator_contract() -> None:
    m = PracticeMapper(embedder=None, w_lex=2.0, random_state=7)
    params = m.get_params()
    assert params["w_lex"] == 2.0 and params["random_state"] == 7
    assert not any(k.endswith("_") for k in vars(m))  # __init__ only stores parameters
    copy = clone(m).set_params(k=5)
    assert copy.k == 5 and m.k == 3
    assert copy.fit() is copy


def test_indicators_alone_map_clear_anecdotes(lexical_mapper: PracticeMapper) -> None:
    codes = list(CLEAR)
    assert lexical_mapper.predict([CLEAR[c] for c in codes]) == codes


def test_probabilities_follow_classes(tfidf_mapper: PracticeMapper) -> None:
    proba = tfidf_mapper.predict_proba(list(CLEAR.values()))
    assert list(tfidf_mapper.classes_) == ["P1", "P2", "P3", "P4", "P5", "none"]
    assert proba.shape == (5, 6)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert tfidf_mapper.predict(list(CLEAR.values())) == list(CLEAR)


def test_fitting_twice_gives_the_same_scores() -> None:
    texts = list(CLEAR.values())
    a = PracticeMapper(embedder="tfidf", random_state=3).fit().predict_proba(texts)
    b = PracticeMapper(embedder="tfidf", random_state=3).fit().predict_proba(texts)
    np.testing.assert_array_equal(a, b)


def test_none_for_anecdotes_without_a_practice(tfidf_mapper: PracticeMapper) -> None:
    text = (
        "De vrijwilligster is moe; ze doet het al twintig jaar en krijgt energie van de kinderen."
    )
    assert tfidf_mapper.predict([text]) == ["none"]
    assert tfidf_mapper.predict_with_secondary([text]) == [("none", None)]


def test_secondary_differs_from_primary(tfidf_mapper: PracticeMapper) -> None:
    text = (
        "Hij bracht de bewoners in contact met de school en regelde intern bij de afdeling "
        "Vastgoed dat de zaal gratis gebruikt mag worden."
    )
    ((first, p1, second, p2),) = tfidf_mapper.predict_top2([text])
    assert first in {"P4", "P5"}
    assert second is None or (second != first and p2 <= p1)


def test_labels_refine_the_mapper() -> None:
    odd = "Op zaterdag fietste hij met zijn zoon naar het voetbaltoernooi in het park."
    texts = [
        odd,
        "Op zondag fietste zij met haar dochter naar de zomermarkt op het plein.",
        "De kinderen schilderden samen een muur in de onderdoorgang.",
        "Twee buren schilderden de bankjes in de speeltuin opnieuw.",
    ]
    mapper = PracticeMapper(embedder="tfidf")
    assert mapper.fit().predict([odd]) != ["P2"]
    trained = mapper.fit(texts, ["P2", "P2", "P5", "P5"])
    assert trained.n_labelled_ == 4
    assert trained.predict([odd]) == ["P2"]


def test_unlabelled_rows_are_skipped_and_unknown_labels_refused() -> None:
    m = PracticeMapper(embedder=None).fit(["a", "b"], [None, "P3"])
    assert m.n_labelled_ == 1
    with pytest.raises(ConfigError, match="P9"):
        PracticeMapper(embedder=None).fit(["a"], ["P9"])


def test_explanations_name_cues_and_examples(tfidf_mapper: PracticeMapper) -> None:
    (exp,) = tfidf_mapper.explain([CLEAR["P4"]])
    assert isinstance(exp, Explanation) and exp.label == "P4"
    assert "afdeling" in exp.indicators_fired["P4"]
    assert len(exp.nearest_examples) == 3 and exp.nearest_examples[0][0] in exp.scores
    assert exp.reason.startswith("P4 (")


def test_other_framework_maps_onto_its_own_codes() -> None:
    m = PracticeMapper(framework=load_framework("tweebenig"), embedder=None).fit()
    pred = m.predict(
        ["Hij zocht intern uit welke afdeling over de vergunning gaat en wat het beleid zegt."]
    )
    assert pred == ["binnen"]


@pytest.mark.slow
def test_zero_shot_with_use_on_fresh_anecdotes() -> None:
    m = PracticeMapper().fit()
    pred = m.predict(list(CLEAR.values()))
    assert sum(p == c for p, c in zip(pred, CLEAR, strict=True)) >= 4


@pytest.mark.slow
def test_cli_practices_keeps_fields_and_never_reads_gold_labels(tmp_path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    rows = [
        {"report": "r", "start": i, "end": i + 1, "text": t, "practice": "P1", "kind": "x"}
        for i, t in enumerate(CLEAR.values())
    ]
    lying = [dict(r, practice="P5", secondary_practice="P2") for r in rows]
    out = {}
    for name, data in (("a", rows), ("b", lying)):
        src = tmp_path / f"{name}.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
        result = CliRunner().invoke(
            app,
            ["practices", "--input", str(src), "--format", "jsonl", "-o", str(tmp_path / name)],
        )
        assert result.exit_code == 0, result.output
        out[name] = [json.loads(x) for x in (tmp_path / name).read_text().splitlines()]
    assert [r["practice"] for r in out["a"]] == [r["practice"] for r in out["b"]]
    first = out["a"][0]
    assert first["kind"] == "x" and first["start"] == 0
    assert set(first["practice_scores"]) == {"P1", "P2", "P3", "P4", "P5", "none"}
    assert "secondary_practice" in first and first["practice_reason"]


def test_cli_practices_names_a_bad_training_file(tmp_path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "De buurt."}\n', encoding="utf-8")
    train = tmp_path / "train.jsonl"
    train.write_text('{"text": "Zonder label."}\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["practices", "--input", str(src), "--train", str(train), "--format", "jsonl"]
    )
    assert result.exit_code != 0
    assert "train.jsonl" in result.output and "practice" in result.output
