"""The framework files, their loader, the Dutch cue matcher and the views."""

from __future__ import annotations

import pandas as pd
import pytest

from reportanalysis.errors import ConfigError
from reportanalysis.frameworks import BUILTIN_FRAMEWORKS, Framework, load_framework
from reportanalysis.frameworks.lexical import CueMatcher
from reportanalysis.frameworks.views import (
    plot_practice_by_kind,
    practice_by_initiative,
    practice_by_kind,
    practice_by_report,
    practice_by_theme,
    visit_changes,
)


@pytest.mark.parametrize("name", BUILTIN_FRAMEWORKS)
def test_builtin_frameworks_load_and_are_complete(name: str) -> None:
    fw = load_framework(name)
    assert isinstance(fw, Framework) and fw.name == name
    for p in fw.practices:
        assert p.definition and p.indicators and len(p.examples) >= 3


def test_default_framework_is_rich() -> None:
    fw = load_framework()
    assert fw.codes == ("P1", "P2", "P3", "P4", "P5")
    assert all(len(p.examples) >= 15 for p in fw.practices)
    assert len(fw.none_examples) >= 15
    frame = fw.to_frame()
    assert list(frame.columns) == ["code", "name", "definition"]
    assert frame.loc[frame.code == "P5", "name"].item() == "Praktisch ondersteunen"


def test_a_user_framework_file_loads(tmp_path) -> None:
    path = tmp_path / "eigen.toml"
    path.write_text(
        'name = "eigen"\n[[practices]]\ncode = "A"\nname = "Luisteren"\n'
        'definition = "Echt luisteren."\nindicators = ["luisteren"]\n'
        'examples = ["Hij luisterde een uur naar de buurvrouw."]\n',
        encoding="utf-8",
    )
    fw = load_framework(path)
    assert fw.codes == ("A",) and fw.source == str(path)


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ('name = "x"\n', "practices"),
        ('name = "x"\n[[practices]]\ncode = "A"\nname = "a"\n', "definition"),
        (
            'name = "x"\n[[practices]]\ncode = "A"\nname = "a"\ndefinition = "d"\n'
            'indicators = "a"\n',
            "indicators",
        ),
        ('name = "x"\n[[practices]]\ncode = "none"\nname = "a"\ndefinition = "d"\n', "none"),
        (
            'name = "x"\n[[practices]]\ncode = "A"\nname = "a"\ndefinition = "d"\ncolour = 1\n',
            "colour",
        ),
        ("name = [\n", "TOML"),
    ],
)
def test_a_bad_framework_file_names_file_and_key(tmp_path, body: str, names: str) -> None:
    path = tmp_path / "kapot.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_framework(path)
    assert "kapot.toml" in str(info.value) and names in str(info.value)


def test_missing_framework_file_says_what_to_give(tmp_path) -> None:
    with pytest.raises(ConfigError, match="publieke_bricoleurs"):
        load_framework(tmp_path / "bestaat_niet.toml")


@pytest.fixture(scope="module")
def matcher() -> CueMatcher:
    return CueMatcher()


def _cues(matcher: CueMatcher, text: str, cues: list[str]) -> dict[str, tuple[bool, bool]]:
    doc = matcher.parse([text])[0]
    return {h.cue: (h.negated, h.hedged) for h in matcher.find(doc, cues)}


def test_cues_match_lemmas_compounds_and_dutch_word_order(matcher: CueMatcher) -> None:
    found = _cues(
        matcher,
        "De ambtenaren brachten de wensen van de buurt in kaart en belden de gemeentejurist.",
        ["ambtenaar", "in kaart brengen", "jurist", "bellen", "subsidie"],
    )
    assert set(found) == {"ambtenaar", "in kaart brengen", "jurist", "bellen"}


def test_phrases_without_infinitive_keep_their_order(matcher: CueMatcher) -> None:
    assert _cues(matcher, "Het plan van de straat.", ["van plan"]) == {}
    assert "van plan" in _cues(matcher, "Ze is van plan te verhuizen.", ["van plan"])


def test_negation_and_hedging(matcher: CueMatcher) -> None:
    found = _cues(matcher, "Ze is niet tevreden, maar de buurt is blij.", ["tevreden", "blij"])
    assert found == {"tevreden": (True, False), "blij": (False, False)}
    found = _cues(matcher, "Het zou mooi zijn als het lukt.", ["mooi"])
    assert found == {"mooi": (False, True)}
    # a cue that is negative itself is not negated again
    assert _cues(matcher, "Het lukt niet.", ["lukt niet"]) == {"lukt niet": (False, False)}


@pytest.fixture()
def anecdotes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": ["a1", "a1", "a2", "a2", "b1"],
            "practice": ["P2", "P4", "P4", "P4", "none"],
            "kind": ["succes", "knelpunt", "succes", "aanknopingspunt", "succes"],
            "theme": ["vertrouwen", "regels", "regels", "regels", "tijd"],
        }
    )


@pytest.fixture()
def reports() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": ["a1", "a2", "b1"], "initiatief": ["anker", "anker", "groen"], "bezoek": [1, 2, 1]}
    )


def test_views_count_practices(anecdotes: pd.DataFrame, reports: pd.DataFrame) -> None:
    by_kind = practice_by_kind(anecdotes)
    assert list(by_kind.columns) == ["succes", "knelpunt", "aanknopingspunt"]
    assert by_kind.loc["P4"].tolist() == [1, 1, 1]
    assert list(by_kind.index) == ["P2", "P4", "none"]
    assert practice_by_theme(anecdotes).loc["P4", "regels"] == 3
    assert practice_by_report(anecdotes).loc["P4", "a2"] == 2
    by_init = practice_by_initiative(anecdotes, reports)
    assert by_init.loc["P4", "anker"] == 3 and by_init.loc["none", "groen"] == 1


def test_visit_changes_compares_first_and_last_visit(anecdotes, reports) -> None:
    changes = visit_changes(anecdotes, reports)
    row = changes[(changes.initiative == "anker") & (changes.kind == "knelpunt")].iloc[0]
    assert (row.practice, row["first"], row["last"], row.change) == ("P4", 1, 0, -1)
    row = changes[(changes.initiative == "anker") & (changes.kind == "aanknopingspunt")].iloc[0]
    assert row.change == 1


def test_plot_returns_a_figure_without_showing(anecdotes: pd.DataFrame) -> None:
    fig = plot_practice_by_kind(anecdotes)
    ax = fig.axes[0]
    assert len(ax.patches) == 3 * 3  # three practices × three kinds
    assert ax.get_xlabel() == "werkpraktijk"


@pytest.mark.parametrize("name", BUILTIN_FRAMEWORKS)
def test_every_builtin_framework_maps_texts(name: str) -> None:
    """Every framework the error message offers can map texts; one without ``none`` examples
    (the kinds) gave the linear model one class fewer than the mapper and crashed."""
    import numpy as np

    from reportanalysis.embed import TfidfEmbedder
    from reportanalysis.frameworks import PracticeMapper

    texts = [
        "De ambtenaar kwam zelf kijken en sprak met de buren voordat ze iets beloofde.",
        "De vergunning bleef maanden liggen en niemand belde terug.",
        "Het zou helpen als er één vast aanspreekpunt bij de gemeente kwam.",
    ]
    mapper = PracticeMapper(framework=name, embedder=TfidfEmbedder()).fit()
    proba = mapper.predict_proba(texts)
    assert proba.shape == (3, len(mapper.classes_))
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert set(mapper.predict(texts)) <= set(mapper.classes_)
