"""ThemeModel, theme edits, views and the ``themes`` command on real Dutch anecdotes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reportanalysis.errors import ConfigError, NotFittedError
from reportanalysis.model import Codebook, Theme
from reportanalysis.themes import (
    ThemeModel,
    ThemeWarning,
    apply_theme_edits,
    edit_theme,
    group_specific_terms,
    theme_matrix,
    theme_ref,
    theme_table,
)

# Two initiatives (a neighbourhood room run by Anneke, a street greening led by Thijs), each with
# anecdotes about money, permits and trust. Names and places belong to one initiative only.
BUURTKAMER = {
    "geld": [
        "Anneke vertelde dat de subsidie voor de Buurtkamer pas na vier maanden werd uitbetaald.",
        "De aanvraag bij het fonds moest drie keer opnieuw, want het budget werd anders berekend.",
        "Mehmet hielp Anneke met de declaraties: de verantwoording van het geld is ingewikkeld.",
        "Zonder de subsidie van de gemeente kan de Buurtkamer de huur van de ruimte niet betalen.",
    ],
    "regels": [
        "Voor de koffieochtend in de Buurtkamer bleek een vergunning nodig (Anneke was verbaasd).",
        "Het bestemmingsplan staat geen horeca toe, dus de vergunning werd eerst geweigerd.",
        "Mehmet zocht uit welke regels gelden voor de brandveiligheid en de verzekering.",
        "De leges voor de vergunning waren hoger dan het hele jaarbudget van de vrijwilligers.",
    ],
    "vertrouwen": [
        "Anneke noemt het contact met Mehmet warm: hij luistert en neemt haar serieus.",
        "Mehmet komt elke week langs in de Buurtkamer, en de bezoekers kennen hem bij naam.",
        "Het vertrouwen groeide omdat Mehmet eerlijk zei wat hij wel en niet kon beloven.",
        "Anneke waardeert dat ze Mehmet altijd even kan bellen, ook als er geen nieuws is.",
    ],
}
LINDESTRAAT = {
    "geld": [
        "Thijs vroeg subsidie aan uit het klimaatfonds voor de geveltuinen in de Lindestraat.",
        "Het budget voor de bomen was op, en Karin zocht een ander fonds om het te betalen.",
        "De bewoners van de Lindestraat willen zelf bijdragen aan de kosten van de plantvakken.",
        "Karin legde uit hoe de verantwoording van de subsidie werkt en welke bonnen nodig zijn.",
    ],
    "regels": [
        "Voor de wadi in de Lindestraat is een omgevingsvergunning nodig, zei Karin.",
        "De regels voor kabels en leidingen bepalen waar de bomen wel of niet mogen staan.",
        "Thijs vond het bestemmingsplan onduidelijk; de vergunning liet maanden op zich wachten.",
        "Het parkeerbeleid eist dat verdwenen parkeerplaatsen elders gecompenseerd worden.",
    ],
    "vertrouwen": [
        "Thijs zegt dat Karin eerlijk was over haar twijfels, en dat heeft het vertrouwen gelegd.",
        "Karin kwam op zondag aan de keukentafel zitten en luisterde naar de zorgen van Thijs.",
        "Het persoonlijke contact met Karin maakt dat Thijs zich serieus genomen voelt.",
        "Thijs waardeert dat Karin hem op de hoogte houdt, ook als er geen nieuws is.",
    ],
}
ROWS = [
    {"report": f"{ini}_{1 + i % 2}", "text": text, "gold": theme, "initiative": ini}
    for ini, corpus in (("anker", BUURTKAMER), ("groen", LINDESTRAAT))
    for theme, texts in corpus.items()
    for i, text in enumerate(texts)
]
TEXTS = [r["text"] for r in ROWS]
GROUPS = [r["report"] for r in ROWS]
INITIATIVES = [r["initiative"] for r in ROWS]
IDS = [f"a{i}" for i in range(len(ROWS))]


@pytest.fixture(scope="session")
def embeddings() -> np.ndarray:
    from reportanalysis.embed import USEEmbedder

    return USEEmbedder().embed(TEXTS)


@pytest.fixture(scope="session")
def fitted(embeddings: np.ndarray) -> ThemeModel:
    model = ThemeModel(n_themes=3, seed=0, mode="direct")
    return model.fit(TEXTS, embeddings=embeddings, groups=GROUPS, ids=IDS)


def test_same_seed_gives_identical_assignments(embeddings: np.ndarray) -> None:
    runs = [
        ThemeModel(seed=7, mode="direct").fit(TEXTS, embeddings=embeddings, groups=GROUPS).labels_
        for _ in range(2)
    ]
    assert runs[0].tolist() == runs[1].tolist()


def test_fit_gives_themes_covering_every_anecdote(fitted: ThemeModel) -> None:
    assert fitted.path_ == "direct"
    assert len(fitted.themes_) == 3
    assert sorted(a for t in fitted.themes_ for a in t.anecdote_ids) == sorted(IDS)
    assert set(fitted.labels_.tolist()) == {0, 1, 2}
    sizes = [t.size for t in fitted.themes_]
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first
    for t in fitted.themes_:
        assert t.keywords and t.label == " / ".join(t.keywords[:3])
        assert set(t.representative_ids) <= set(t.anecdote_ids)
        assert fitted.theme_labels_[t.id] == t.label


def test_keywords_leave_out_names_and_initiative_words(fitted: ThemeModel) -> None:
    words = {w for t in fitted.themes_ for w in t.keywords}
    for name in ("anneke", "mehmet", "thijs", "karin", "buurtkamer", "lindestraat"):
        assert name not in words


def test_group_centering_weakens_grouping_by_initiative(embeddings: np.ndarray) -> None:
    from sklearn.metrics import adjusted_rand_score

    def by_initiative(center: bool) -> float:
        model = ThemeModel(  # embeddings only: the lexical block masks names on its own
            n_themes=2,
            seed=0,
            mode="direct",
            center_groups=center,
            cluster_method="kmeans",
            lexical_weight=0.0,
        )
        labels = model.fit(TEXTS, embeddings=embeddings, groups=INITIATIVES).labels_
        return adjusted_rand_score(INITIATIVES, labels)

    assert by_initiative(True) < by_initiative(False)


def test_transform_before_fit_raises() -> None:
    with pytest.raises(NotFittedError):
        ThemeModel().transform(["De subsidie kwam te laat."])


def test_transform_puts_training_texts_mostly_in_their_theme(
    fitted: ThemeModel, embeddings: np.ndarray
) -> None:
    again = fitted.transform(TEXTS, embeddings=embeddings, groups=GROUPS)
    assert np.mean(again == fitted.labels_) >= 0.8


def test_bad_parameters_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="mode"):
        ThemeModel(mode="fast").fit(["a", "b"], embeddings=np.eye(2, dtype=np.float32))
    with pytest.raises(ConfigError, match="lexical"):
        ThemeModel(lexical="words").fit(["a", "b"], embeddings=np.eye(2, dtype=np.float32))
    with pytest.raises(ConfigError, match="no anecdotes"):
        ThemeModel().fit([])


def test_character_ngrams_link_compounds_but_not_names() -> None:
    from reportanalysis.themes import char_features

    texts = [
        "Voor de wadi is een omgevingsvergunning nodig, zei de ambtenaar.",
        "De vergunning voor de koffieochtend liet maanden op zich wachten.",
        "Volgens Karin Jansen gaat alles goed.",
        "Het overleg met Karin Jansen was kort.",
    ]
    X, vec = char_features(texts)
    S = (X @ X.T).toarray()
    assert S[0, 1] > 0.1  # "vergunning" inside "omgevingsvergunning"
    assert S[0, 1] > S[2, 3]  # the shared name is masked: only function words remain
    assert vec.transform(["Een nieuwe vergunning."]).nnz > 0


def test_many_sparse_rows_are_sketched_keeping_their_cosines() -> None:
    """Above EXACT_ROWS the character rows are count-sketched before their cosines are taken:
    the cosines stay close to the exact ones, the same for a seed, other for another."""
    from reportanalysis.themes import char_features
    from reportanalysis.themes._cluster import EXACT_ROWS, _dense_rows

    words = [w for text in TEXTS for w in text.split()]
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(words, size=25)) for _ in range(EXACT_ROWS + 200)]
    X, _ = char_features(texts)
    assert X.shape[1] > 2 * 1024  # more columns than buckets: the sketch path
    exact = (X[:300] @ X[:300].T).toarray()
    R = _dense_rows(X, seed=1)
    assert R.shape == (X.shape[0], 1024)
    approx = R[:300] @ R[:300].T
    off = np.abs(approx - exact)[np.triu_indices(300, 1)]
    # Exact cosines average 0.11 here; the sketch is off by 0.025 on average.
    assert off.mean() < 0.04 and np.abs(np.diag(approx) - 1).max() < 0.25
    assert np.array_equal(R, _dense_rows(X, seed=1))
    assert not np.array_equal(R, _dense_rows(X, seed=2))


def test_lemmas_skip_pseudonyms_and_share_the_parse_with_other_steps() -> None:
    from reportanalysis import dutch
    from reportanalysis.themes._text import lemma_docs

    text = "Volgens [PERSOON 12] duurde de vergunning bij [ORGANISATIE 3] erg lang ([E-MAIL 1])."
    docs = lemma_docs([text])
    assert not {"persoon", "organisatie", "mail"} & set(docs.lemmas[0])
    assert "vergunning" in docs.lemmas[0]
    # The practices and the kinds parse the text as it is: they find it parsed.
    assert (id(dutch.make_nlp()), text) in dutch._parsed


def test_lexical_blocks_both_fit_and_transform(embeddings: np.ndarray) -> None:
    from scipy import sparse

    chars = ThemeModel(n_themes=3, seed=0, mode="direct").fit(
        TEXTS, embeddings=embeddings, groups=GROUPS
    )
    assert sparse.issparse(chars._features_)
    lemmas = ThemeModel(n_themes=3, seed=0, mode="direct", lexical="lemmas").fit(
        TEXTS, embeddings=embeddings, groups=GROUPS
    )
    assert not sparse.issparse(lemmas._features_)
    for model in (chars, lemmas):
        assert np.mean(model.transform(TEXTS, embeddings=embeddings) == model.labels_) >= 0.7


def test_automatic_number_of_themes_comes_from_the_tree_cuts(embeddings: np.ndarray) -> None:
    # On these 24 anecdotes the best cut is the fewest themes tried, which the model flags.
    with pytest.warns(ThemeWarning, match="fewest themes tried"):
        model = ThemeModel(seed=0, mode="direct", min_theme_size=4).fit(
            TEXTS, embeddings=embeddings, groups=GROUPS
        )
    assert set(model.k_scores_) == set(range(2, len(TEXTS) // 4 + 1))
    best = max(model.k_scores_, key=lambda k: (round(model.k_scores_[k], 6), -k))
    assert len(model.themes_) == best == 2


def test_guided_mode_uses_code_names_and_proposes_new_themes(embeddings: np.ndarray) -> None:
    book = Codebook.from_mapping(
        {
            "subsidie en financiering": "Geld: subsidie, fondsen, budget, declaraties en kosten.",
            "regels en vergunningen": "Vergunningen, bestemmingsplan, leges en regels.",
        }
    )
    model = ThemeModel(codebook=book, seed=0, mode="direct", min_theme_size=2)
    model.fit(TEXTS, embeddings=embeddings, groups=GROUPS, ids=IDS)
    by_id = dict(zip(IDS, (model.theme_labels_[t] for t in model.labels_), strict=True))
    assert {"subsidie en financiering", "regels en vergunningen"} <= set(by_id.values())
    money = [i for i, r in zip(IDS, ROWS, strict=True) if r["gold"] == "geld"]
    assert sum(by_id[i] == "subsidie en financiering" for i in money) >= len(money) // 2
    # A stricter fit leaves anecdotes that fit no code: they form proposed new themes.
    strict = ThemeModel(codebook=book, seed=0, mode="direct", min_theme_size=2, min_similarity=0.3)
    labels = set(strict.fit(TEXTS, embeddings=embeddings, groups=GROUPS).theme_labels_.values())
    assert any(lab.startswith("nieuw: ") for lab in labels)


def test_guided_mode_takes_the_leaves_of_a_hierarchy(embeddings: np.ndarray) -> None:
    from reportanalysis.model import Code

    book = Codebook(
        (
            Code("geld en regels", "Alles over geld en over regels."),
            Code("subsidie", "Subsidie, fondsen, budget.", parent="geld en regels"),
            Code("vergunningen", "Vergunningen, bestemmingsplan, leges.", parent="geld en regels"),
            Code("contact", "Persoonlijk contact, vertrouwen en luisteren."),
        )
    )
    model = ThemeModel(codebook=book, seed=0, mode="direct", min_theme_size=2, min_similarity=-1)
    labels = set(model.fit(TEXTS, embeddings=embeddings, groups=GROUPS).theme_labels_.values())
    assert "geld en regels" not in labels  # the parent is what its children share
    assert labels <= {"subsidie", "vergunningen", "contact"} and len(labels) >= 2
    assert model.codes_ is not None and model.codes_.shape[0] == 3


def test_group_specific_terms_on_real_lemmas() -> None:
    from reportanalysis.themes._text import lemma_docs

    docs = lemma_docs(TEXTS)
    specific = group_specific_terms(docs.content, INITIATIVES)
    assert "subsidie" not in specific  # both initiatives talk about money
    assert "vertrouwen" not in specific


# --------------------------------------------------------------------------- edits


def _themes() -> tuple[dict[str, int], list[Theme]]:
    themes = [
        Theme(0, "geld", ("subsidie", "fonds"), ("a", "b", "c"), ("a", "b")),
        Theme(1, "regels", ("vergunning",), ("d", "e"), ("d",)),
        Theme(2, "contact", ("vertrouwen",), ("f",), ("f",)),
    ]
    assign = {a: t.id for t in themes for a in t.anecdote_ids}
    return assign, themes


def test_edits_rename_merge_split_move_delete() -> None:
    assign, themes = _themes()
    edits = [
        {"action": "rename", "payload": {"theme": "geld", "label": "subsidie"}},
        {"action": "split", "payload": {"theme": "subsidie", "anecdote_ids": ["c"], "label": "x"}},
        {"action": "merge", "payload": {"themes": ["regels", "x"], "label": "regels en geld"}},
        {"action": "move", "payload": {"anecdote_id": "a", "theme": "contact"}},
        {"action": "delete", "payload": {"theme": {"label": "weg", "anecdote_ids": ["f"]}}},
    ]
    assign, out, failed = apply_theme_edits(assign, themes, edits)
    assert failed == []
    assert assign == {"a": -1, "b": 0, "c": 1, "d": 1, "e": 1, "f": -1}
    assert [(t.label, t.anecdote_ids) for t in out] == [
        ("subsidie", ("b",)),
        ("regels en geld", ("d", "e", "c")),
    ]
    assert out[1].keywords == ("vergunning",)


def test_edits_survive_a_refit_that_renumbers_themes() -> None:
    assign, themes = _themes()
    ref = theme_ref(themes[0])  # label "geld", representatives a, b
    # The refit numbers differently and calls the theme by its keywords.
    renumbered = [
        Theme(5, "subsidie / fonds", (), ("a", "b", "c"), ("a",)),
        Theme(6, "vergunning", (), ("d", "e", "f"), ("d",)),
    ]
    assign = {a: t.id for t in renumbered for a in t.anecdote_ids}
    edits = [
        {"action": "rename", "payload": {"theme": ref, "label": "geld"}},
        {"action": "move", "payload": {"anecdote_id": "gone", "theme": "geld"}},
        {"action": "rename", "payload": {"theme": "onbekend", "label": "y"}},
    ]
    assign, out, failed = apply_theme_edits(assign, renumbered, edits)
    assert [t.label for t in out] == ["geld", "vergunning"]
    assert [f["reason"] for f in failed] == [
        "unknown anecdote(s): gone",
        "no theme matches 'onbekend'",
    ]


def test_rename_to_a_taken_label_fails_without_changing_anything() -> None:
    assign, themes = _themes()
    edit = {"action": "rename", "payload": {"theme": "geld", "label": "regels"}}
    _, out, failed = apply_theme_edits(assign, themes, [edit])
    assert [t.label for t in out] == ["geld", "regels", "contact"]
    assert "already called" in failed[0]["reason"]


def test_model_apply_edits_recomputes_keywords(embeddings: np.ndarray) -> None:
    model = ThemeModel(n_themes=3, seed=0, mode="direct")
    model.fit(TEXTS, embeddings=embeddings, groups=GROUPS, ids=IDS)
    first, second = model.themes_[0], model.themes_[1]
    failed = model.apply_edits(
        [{"action": "merge", "payload": {"themes": [first.label, second.label], "label": "samen"}}]
    )
    assert failed == []
    merged = [t for t in model.themes_ if t.label == "samen"]
    assert merged and merged[0].size == first.size + second.size
    assert merged[0].keywords


def test_edits_stored_in_a_project_are_replayed(tmp_path: Path) -> None:
    from reportanalysis.project import Project

    assign, themes = _themes()
    with Project.create(tmp_path / "p.raproj") as project:
        edit_theme(project, "rename", theme=theme_ref(themes[0]), label="financiën")
        edit_theme(project, "delete", theme="contact")
        with pytest.raises(ConfigError):
            edit_theme(project, "explode", theme="geld")
        edits = project.edits("themes")
    assign, out, failed = apply_theme_edits(assign, themes, edits)
    assert failed == []
    assert [t.label for t in out] == ["financiën", "regels"]
    assert assign["f"] == -1


# --------------------------------------------------------------------------- views


def test_theme_table_and_matrix(fitted: ThemeModel) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "id": IDS,
            "report_id": GROUPS,
            "initiative": INITIATIVES,
            "theme": fitted.labels_,
            "theme_label": [fitted.theme_labels_[t] for t in fitted.labels_],
        }
    )
    table = theme_table(fitted.themes_, frame)
    assert table["size"].sum() == len(IDS)
    assert abs(table["share"].sum() - 1.0) < 1e-3
    assert set(table.columns) >= {"label", "keywords", "share_report_id", "share_initiative"}
    matrix = theme_matrix(frame, "initiative")
    assert list(matrix.columns) == ["anker", "groen"]
    assert int(matrix.values.sum()) == len(IDS)
    shares = theme_matrix(frame, "report_id", normalize="columns")
    assert np.allclose(shares.sum(axis=0), 1.0)


def test_plots_are_plotly_figures(fitted: ThemeModel, embeddings: np.ndarray) -> None:
    import pandas as pd
    import plotly.graph_objects as go

    from reportanalysis.themes import plot_theme_map, plot_theme_matrix, plot_theme_sizes

    frame = pd.DataFrame(
        {"id": IDS, "text": TEXTS, "report_id": GROUPS, "theme_label": fitted.labels_.astype(str)}
    )
    assert isinstance(plot_theme_sizes(fitted.themes_), go.Figure)
    assert isinstance(plot_theme_matrix(theme_matrix(frame, "report_id")), go.Figure)
    assert isinstance(plot_theme_map(embeddings, frame), go.Figure)


# --------------------------------------------------------------------------- command line


def test_themes_command_keeps_lines_and_adds_theme(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["themes", "--input", str(src), "--format", "jsonl", "--n-themes", "3", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(lines) == len(ROWS)
    for row, line in zip(ROWS, lines, strict=True):
        assert {k: line[k] for k in row} == row
        assert isinstance(line["theme"], int) and line["theme_label"]
    assert len({x["theme"] for x in lines}) == 3


def test_themes_command_names_a_missing_text_field(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportanalysis.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text('{"report": "r"}\n', "utf-8")
    result = CliRunner().invoke(app, ["themes", "--input", str(src)])
    assert result.exit_code != 0
    assert "text" in result.output


# --------------------------------------------------------------------------- audit fixes (#6)


def test_stop_words_hold_pronominal_adverbs_and_number_words() -> None:
    from reportanalysis.dutch import stop_words
    from reportanalysis.themes._text import lemma_docs

    stops = stop_words()
    assert {"daarover", "waarop", "hierbij", "ermee", "erachter", "waardoor"} <= stops
    assert {"één", "twee", "vijf", "acht", "twintig", "honderd", "duizend", "tweede"} <= stops
    assert {"per", "mee"} <= stops
    assert not {"subsidie", "vergunning", "daar" + "gebied", "achterban"} & stops
    docs = lemma_docs(
        ["Daarover belde ze twee keer, en per week kwamen er vijf of acht bewoners mee."]
    )
    assert docs.content == [["bellen", "keer", "week", "bewoner"]]


def test_keywords_leave_out_pointing_words_numbers_and_forms_of_saying(
    embeddings: np.ndarray,
) -> None:
    from reportanalysis.dutch import stop_words

    extra = " Ze vond daarover de manier waarop het ging twee keer per week lastig, zegt hij."
    texts = [t + extra if r["gold"] == "geld" else t for t, r in zip(TEXTS, ROWS, strict=True)]
    model = ThemeModel(n_themes=3, seed=0, mode="direct")
    model.fit(texts, embeddings=embeddings, groups=GROUPS, ids=IDS)
    words = {w for t in model.themes_ for w in t.keywords}
    said = {"vond", "daarover", "manier", "waarop", "twee", "keer", "per", "zegt", "ging"}
    assert not words & said
    from reportanalysis.themes._text import KEYWORD_NEUTRAL

    assert not words & (stop_words() | KEYWORD_NEUTRAL)


def test_report_initiatives_join_the_visits_of_one_initiative() -> None:
    from reportanalysis.themes import initiative_of_report, report_initiatives

    assert [initiative_of_report(r) for r in ("anker_1", "anker-2", "groen bezoek 2")] == [
        "anker",
        "anker",
        "groen",
    ]
    assert initiative_of_report("2023") == "2023"
    assert report_initiatives(GROUPS) == INITIATIVES
    # Ids numbered per report, not per visit: one initiative would filter nothing.
    assert report_initiatives(["verslag_1", "verslag_2"]) == ["verslag_1", "verslag_2"]


def test_words_of_one_initiative_over_its_visits_are_no_keywords(
    embeddings: np.ndarray,
) -> None:
    """ "plantenbak" is in both visits of one initiative, in every theme: per report it is not
    one group's word, per initiative it is."""
    texts = list(TEXTS)
    for i, row in enumerate(ROWS):
        if row["initiative"] == "groen" and i % 3 == 0:
            texts[i] = texts[i].rstrip(".") + ", zei hij bij de plantenbak."
    assert len({GROUPS[i] for i, t in enumerate(texts) if "plantenbak" in t}) == 2
    model = ThemeModel(n_themes=3, seed=0, mode="direct")
    model.fit(texts, embeddings=embeddings, groups=GROUPS, ids=IDS)
    assert model.initiatives_ == INITIATIVES
    assert "plantenbak" in model.group_specific_terms_
    assert "plantenbak" not in {w for t in model.themes_ for w in t.keywords}
    # Initiatives given (report metadata) are used as they are.
    given = ThemeModel(n_themes=3, seed=0, mode="direct").fit(
        texts, embeddings=embeddings, groups=GROUPS, initiatives=GROUPS
    )
    assert given.initiatives_ == GROUPS and "plantenbak" not in given.group_specific_terms_


BOOK = {
    "subsidie en financiering": "Geld: subsidie, fondsen, budget, declaraties en kosten.",
    "regels en vergunningen": "Vergunningen, bestemmingsplan, leges en regels.",
}


def test_guided_n_themes_counts_the_codes_and_bounds_the_new_themes(
    embeddings: np.ndarray,
) -> None:

    book = Codebook.from_mapping(BOOK)

    def labels(n_themes: int | None) -> set[str]:
        model = ThemeModel(
            codebook=book, n_themes=n_themes, seed=0, mode="direct", min_theme_size=2
        )
        model.min_similarity = 0.3  # strict: many anecdotes fit no code
        return set(model.fit(TEXTS, embeddings=embeddings, groups=GROUPS).theme_labels_.values())

    def new(labels: set[str]) -> int:
        return sum(lab.startswith("nieuw: ") for lab in labels)

    free = labels(None)
    codes = free & set(BOOK)  # the codes some anecdote fits
    assert new(free) >= 2 and codes
    three = labels(3)
    assert len(three) <= 3 and new(three) == 1 and codes <= three
    assert labels(2) <= set(BOOK)  # the codes fill it: no new theme
    with pytest.warns(ThemeWarning, match="n_themes=1 is less than the codebook's 2 codes"):
        assert new(labels(1)) == 0


def test_theme_views_join_initiative_and_visit_from_the_reports(
    fitted: ThemeModel, tmp_path: Path
) -> None:
    import pandas as pd

    from reportanalysis.model import Anecdote, Report
    from reportanalysis.project import Project

    with Project.create(tmp_path / "v.raproj") as project:
        reports = {}
        for g in dict.fromkeys(GROUPS):
            text = " ".join(t for t, r in zip(TEXTS, GROUPS, strict=True) if r == g)
            meta = {"initiatief": g.split("_")[0], "bezoek": int(g.split("_")[1])}
            reports[g] = Report(id=g, source=f"{g}.txt", format="txt", text=text, metadata=meta)
            project.add_report(reports[g])
            spans, start = [], 0
            for t in (t for t, r in zip(TEXTS, GROUPS, strict=True) if r == g):
                spans.append(Anecdote.from_span(reports[g], start, start + len(t)))
                start += len(t) + 1
            project.set_anecdotes(g, spans)
        anecdotes, report_frame = project.anecdotes_frame(), project.reports_frame()
    ids = dict(zip(TEXTS, IDS, strict=True))
    anecdotes["id"] = [ids[t] for t in anecdotes["text"]]  # the fitted model's ids
    anecdotes["theme_label"] = [fitted.theme_labels_[t] for t in fitted.labels_]
    assert "initiative" not in anecdotes.columns
    table = theme_table(fitted.themes_, anecdotes, reports=report_frame)
    assert {"share_report_id", "share_initiative", "share_visit"} <= set(table.columns)
    assert set().union(*table["share_initiative"]) == {"anker", "groen"}
    visits = theme_matrix(anecdotes, "visit", reports=report_frame)
    assert list(visits.columns) == [1, 2] and int(visits.values.sum()) == len(IDS)
    with pytest.raises(KeyError, match="reports="):
        theme_matrix(anecdotes, "visit")
    # The pipeline's tables carry them already.
    from reportanalysis.pipeline import tables_from_project

    with Project.open(tmp_path / "v.raproj") as project:
        tables = tables_from_project(project, pseudonymised=False)
    assert {"initiative", "visit"} <= set(tables.anecdotes.columns)
    assert set(tables.anecdotes["initiative"]) == {"anker", "groen"}
    assert isinstance(theme_matrix(tables.anecdotes.fillna("-"), "initiative"), pd.DataFrame)


@pytest.mark.parametrize(
    ("action", "payload", "message"),
    [
        ("rename", {"theme": "geld"}, "missing key 'label'"),
        ("rename", {"theme": "geld", "label": "  "}, "label must be a non-empty text"),
        ("merge", {"themse": ["geld", "regels"]}, "unknown key 'themse' .did you mean 'themes'"),
        ("merge", {"themes": ["geld", "geld"]}, "names 'geld' twice"),
        ("merge", {"themes": "geld"}, "themes must be a list"),
        ("split", {"theme": "geld", "anecdote_ids": []}, "anecdote_ids is empty"),
        ("move", {"theme": "geld"}, "either anecdote_id or anecdote_ids"),
        ("delete", {"theme": {"lable": "geld"}}, "unknown key.*'lable'"),
        ("delete", {"theme": True}, "theme must be a label"),
        ("renam", {"theme": "geld", "label": "x"}, "did you mean 'rename'"),
    ],
)
def test_malformed_theme_edits_are_refused_when_stored(
    tmp_path: Path, action: str, payload: dict, message: str
) -> None:
    from reportanalysis.project import Project

    with Project.create(tmp_path / "e.raproj") as project:
        with pytest.raises(ConfigError, match=message) as info:
            edit_theme(project, action, **payload)
        if action != "renam":
            assert "expected " + action in str(info.value)
        assert project.edits("themes") == []


def test_edits_that_no_longer_fit_the_themes_fail_at_replay() -> None:
    assign, themes = _themes()
    edits = [
        # both references find theme "geld" once a refit renamed "financiën" away
        {"action": "merge", "payload": {"themes": ["geld", {"label": "x", "anecdote_ids": ["a"]}]}},
        {"action": "split", "payload": {"theme": "regels", "anecdote_ids": ["d", "e"]}},
        {"action": "rename", "payload": {"theme": "geld"}},  # stored before edits were checked
    ]
    assign2, out, failed = apply_theme_edits(assign, themes, edits)
    assert assign2 == assign and [t.label for t in out] == ["geld", "regels", "contact"]
    reasons = [f["reason"] for f in failed]
    assert reasons[0] == "the themes to merge are all theme 'geld'"
    assert "every anecdote of 'regels'" in reasons[1] and "rename" in reasons[1]
    assert reasons[2] == "missing key 'label'"


def test_a_degenerate_automatic_result_warns_and_names_a_better_setting() -> None:

    rng = np.random.default_rng(0)
    centres = np.eye(16, dtype=np.float32)[:2] * 4
    X = np.vstack([c + rng.normal(scale=0.3, size=(24, 16)) for c in centres]).astype(np.float32)
    texts = [f"anekdote {i}" for i in range(len(X))]
    model = ThemeModel(seed=0, mode="direct", cluster_method="kmeans", lexical_weight=0)
    with pytest.warns(ThemeWarning, match="fewest themes tried .2 of 2..8.; try a fixed n_themes"):
        model.fit(texts, embeddings=X)
    assert len(model.themes_) == 2


@pytest.mark.slow
def test_hdbscan_on_a_small_corpus_warns_about_outliers(embeddings: np.ndarray) -> None:

    model = ThemeModel(seed=0, mode="large")
    with pytest.warns(ThemeWarning, match=r"fit no theme \(outliers\); try mode='auto'"):
        model.fit(TEXTS, embeddings=embeddings, groups=GROUPS)
    assert model.path_ == "bertopic-hdbscan" and model.n_outliers_ * 2 >= len(TEXTS)
