"""The label suggester on real Dutch anecdotes: zero-shot, supervised, rejections, active
learning, the project helpers, the Jupyter widget and the ``suggest`` command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reportanalysis.cli import app
from reportanalysis.embed import CachedEmbedder, TfidfEmbedder, USEEmbedder
from reportanalysis.errors import ConfigError, NotFittedError
from reportanalysis.labels import (
    LabelingWidget,
    LabelSuggester,
    accept,
    load_codebook,
    next_to_label,
    reject,
    suggest_for_project,
)
from reportanalysis.labels.suggest import MIN_EXAMPLE_SIMILARITY
from reportanalysis.model import Anecdote, Codebook, Report
from reportanalysis.project import Project

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
GOLD = [json.loads(line) for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
THEMES = load_codebook(DEV / "themes.json")

SMALL = Codebook.from_mapping(
    {
        "geld": "Subsidies, fondsen, budgetten en leges.",
        "regels": "Vergunningen, bestemmingsplannen, huurcontracten en andere regels.",
        "contact": "Persoonlijk contact, vertrouwen, luisteren en waardering.",
    }
)
SMALL_TEXTS = [
    "Het fonds betaalt twaalf plantenbakken; de subsidie voor het buurthuis is toegekend.",
    "Voor de buurtkamer is een omgevingsvergunning nodig: het bestemmingsplan staat het niet toe.",
    "Karin belde Thijs de dag erna om te vragen hoe het ging; hij vertrouwt haar nu.",
    "De leges worden vergoed uit het budget voor wijkinitiatieven.",
    "Het huurcontract met de corporatie loopt af en moet worden verlengd.",
    "Mehmet luistert veel en de bezoekers kennen hem bij naam; het contact is warm en persoonlijk.",
]


@pytest.fixture(scope="module")
def tfidf() -> CachedEmbedder:
    return CachedEmbedder(TfidfEmbedder(n_components=64, seed=0))


@pytest.fixture(scope="module")
def use() -> CachedEmbedder:
    return CachedEmbedder(USEEmbedder())


def test_not_fitted_and_params() -> None:
    from sklearn.base import clone

    s = LabelSuggester(SMALL, seed=3, C=0.5)
    with pytest.raises(NotFittedError):
        s.predict()
    copy = clone(s)
    assert copy.get_params()["C"] == 0.5 and copy.seed == 3 and copy is not s
    with pytest.raises(ConfigError, match="at least two codes"):
        LabelSuggester(Codebook.from_mapping({"a": "x"})).fit(["tekst"])


def test_zero_shot_finds_the_obvious_codes(tfidf: CachedEmbedder) -> None:
    s = LabelSuggester(SMALL, tfidf).fit(SMALL_TEXTS)
    assert list(s.predict()) == ["geld", "regels", "contact", "geld", "regels", "contact"]
    reason = s.explain(1)
    assert reason.code == "regels"
    assert "vergunning" in reason.terms  # found inside "omgevingsvergunning"
    assert "bestemmingsplan" in reason.terms
    proba = s.predict_proba()
    assert proba.shape == (6, 3) and np.allclose(proba.sum(1), 1)
    new = s.predict(["De subsidieaanvraag voor het fonds is rond."])
    assert list(new) == ["geld"]


def test_labels_teach_and_rejections_are_remembered(tfidf: CachedEmbedder) -> None:
    texts = [*SMALL_TEXTS, "Het buurtfeest trok vijftig mensen naar het plein."]
    s = LabelSuggester(SMALL, tfidf, prior_strength=1.0).fit(texts)
    assert s.supervised_weight_ == 0.0
    labels = [None] * 6 + ["contact"]
    s.update(labels)
    assert s.supervised_weight_ == 0.0  # one code only: no classifier yet, examples count
    s.update({0: "geld", 1: "regels", 2: "contact", 6: "contact"})
    assert s.supervised_weight_ > 0.5
    sug = s.suggest(top_k=2)
    assert len(sug) == 14 and [x.rank for x in sug[:2]] == [1, 2]
    top5 = sug[10]
    assert top5.code == "contact"
    assert top5.reason.example_texts and top5.reason.example_texts[0] in (texts[2], texts[6])
    # Cited in words only when it is similar at all (TF-IDF cosines of short texts are low).
    cited = top5.reason.examples[0][1] >= MIN_EXAMPLE_SIMILARITY
    assert ("gelabeld voorbeeld" in str(top5.reason)) == cited
    s.update({0: "geld"}, rejected=[(5, "contact")])
    assert s.predict()[5] != "contact"
    assert s.predict_proba()[5, list(s.classes_).index("contact")] == 0.0
    assert "contact" not in {x.code for x in s.suggest(top_k=3) if x.index == 5}
    s.update({0: "geld"}, rejected=[(5, code) for code in SMALL.names])
    assert [x for x in s.suggest(top_k=3) if x.index == 5] == []  # nothing left to suggest
    with pytest.raises(ConfigError, match="not a code of the codebook"):
        s.update({0: "onbekend"})


def test_same_seed_same_result(tfidf: CachedEmbedder) -> None:
    runs = []
    for _ in range(2):
        s = LabelSuggester(SMALL, tfidf, seed=7, self_training=1).fit(SMALL_TEXTS, {0: "geld"})
        runs.append((s.predict_proba(), s.next_to_label(3)))
    assert np.array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_next_to_label_skips_labelled_and_spreads(tfidf: CachedEmbedder) -> None:
    s = LabelSuggester(SMALL, tfidf).fit(SMALL_TEXTS, {0: "geld", 1: "regels"})
    picks = s.next_to_label(3)
    assert len(picks) == len(set(picks)) == 3
    assert not {0, 1} & set(picks)
    assert s.next_to_label(10) and len(s.next_to_label(10)) == 4


@pytest.mark.slow
def test_dev_set_accuracy_beats_chance(use: CachedEmbedder) -> None:
    """Ten themes: chance is about 0.1 (0.17 for always the largest theme)."""
    texts = [r["text"] for r in GOLD]
    y = np.array([r["theme"] for r in GOLD])
    groups = [r["report"] for r in GOLD]
    s = LabelSuggester(THEMES, use).fit(texts, groups=groups)
    assert (s.predict() == y).mean() >= 0.2
    labels = [r["theme"] if r["report"].startswith("groen") else None for r in GOLD]
    s.update(labels)
    test = np.array([g.startswith("anker") for g in groups])
    assert (s.predict()[test] == y[test]).mean() >= 0.2


def test_initiative_vocabulary_is_found_and_dropped() -> None:
    from reportanalysis.labels.features import initiatives, local_terms, term_sets

    texts = [r["text"] for r in GOLD]
    groups = [r["report"] for r in GOLD]
    ini = initiatives(texts, groups)
    # anker_1/anker_2 share Anneke and Mehmet, groen_1/groen_2 Karin and Thijs
    assert {g: i for g, i in zip(groups, ini, strict=True)} == {
        "anker_1": "anker_1",
        "anker_2": "anker_1",
        "groen_1": "groen_1",
        "groen_2": "groen_1",
    }
    local = local_terms(term_sets(texts, [[] for _ in texts]), ini, 3)
    assert {"buurtkamer", "straattafel"} <= local
    assert "gemeente" not in local and "subsidie" not in local


def test_compound_split_with_spacy_lemma_table() -> None:
    from reportanalysis.dutch import Lemmatizer
    from reportanalysis.labels.features import lemma_lexicon, split_compound

    lexicon = lemma_lexicon(Lemmatizer().nlp)
    assert split_compound("personeelswisselingen", lexicon) == ["personeel", "wisseling"]
    assert split_compound("vergunning", lexicon) == []


def test_expansion_adds_cross_initiative_terms_only() -> None:
    from reportanalysis.dutch import Lemmatizer, stop_words
    from reportanalysis.labels.features import KeywordIndex, initiatives, term_sets

    texts = [r["text"] for r in GOLD]
    ini = initiatives(texts, [r["report"] for r in GOLD])
    lem = Lemmatizer()
    terms = term_sets(texts, lem.lemmas(texts))
    index = KeywordIndex().fit(THEMES, terms, lem.lemmas, stop_words(boilerplate=True))
    before = {k for w in index.weights_ for k in w}
    index.expand(terms, ini, rounds=2)
    added = {t for e in index.expansion_ for t in e}
    assert added.isdisjoint(before)
    for t in added:  # every added term occurs in both initiatives
        assert len({i for ts, i in zip(terms, ini, strict=True) if t in ts}) == 2


def test_calibration_keeps_the_prior_when_labels_do_not_transfer(use: CachedEmbedder) -> None:
    """Labels of one initiative: a strongly fitted classifier is only mixed in as far as
    cross-validation over reports supports it."""
    texts = [r["text"] for r in GOLD]
    groups = [r["report"] for r in GOLD]
    labels = [r["theme"] if r["report"].startswith("groen") else None for r in GOLD]
    s = LabelSuggester(THEMES, use, C=20.0).fit(texts, labels, groups=groups)
    assert 0.0 <= s.supervised_weight_ <= 1.0
    assert set(s.calibration_) == {round(0.1 * i, 1) for i in range(11)}
    assert s.supervised_weight_ == max(s.calibration_, key=s.calibration_.get)


# --------------------------------------------------------------------------- project, widget


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The dev reports with the gold anecdotes as segmentation, the themes codebook saved."""
    store = Project.create(tmp_path / "analyse.ra")
    for name in ("anker_1", "groen_1"):
        path = DEV / "reports" / f"{name}.txt"
        with open(path, encoding="utf-8", newline="") as fh:
            report = Report(id=name, source=path.name, format="txt", text=fh.read())
        store.add_report(report)
        spans = [
            Anecdote.from_span(report, r["start"], r["end"], order=k)
            for k, r in enumerate(r for r in GOLD if r["report"] == name)
        ]
        store.set_anecdotes(name, spans)
    store.save_codebook(THEMES)
    yield store
    store.close()


@pytest.mark.slow
def test_project_suggest_accept_reject(project: Project, use: CachedEmbedder) -> None:
    ids = [a.id for a in project.anecdotes()]
    project.label(ids[0], "netwerk en verbinden", coder="ilse")
    project.label(ids[1], "vertrouwen en persoonlijk contact", coder="joost")
    frame = suggest_for_project(project, coder="ilse", embedder=use)
    assert list(frame.columns[:5]) == ["anecdote_id", "report_id", "text", "rank", "code"]
    assert ids[0] not in set(frame["anecdote_id"])  # ilse coded it already
    assert ids[1] in set(frame["anecdote_id"])
    assert frame["confidence"].between(0, 1).all() and frame["reason"].str.len().min() > 0
    target = frame.iloc[0]
    reject(project, target["anecdote_id"], target["code"], "ilse")
    again = suggest_for_project(project, coder="ilse", embedder=use)
    row = again.set_index("anecdote_id").loc[target["anecdote_id"]]
    assert row["code"] != target["code"]
    accept(project, target["anecdote_id"], row["code"], "ilse", confidence=row["confidence"])
    labels = project.labels_frame(coder="ilse").set_index("anecdote_id")
    assert labels.loc[target["anecdote_id"]].query("source == 'suggested-accepted'").shape[0] == 1
    picks = next_to_label(project, 5, coder="ilse", embedder=use)
    assert len(picks) == 5 and ids[0] not in picks and target["anecdote_id"] not in picks


@pytest.mark.slow
def test_widget_writes_labels_to_the_project(project: Project, use: CachedEmbedder) -> None:
    suggester = LabelSuggester(THEMES, use)
    w = LabelingWidget(project, THEMES, coder="fleur", suggester=suggester)
    first = w.current
    assert first is not None and "Suggestie:" in w.suggestion.value
    assert "background:#fff3b0" in w.text.value  # the anecdote highlighted in its context
    w.buttons["regels en vergunningen"].click()
    assert w.current != first
    second = w.current
    sug_code = w.current_suggestion()[0]
    w.reject_button.click()
    assert w.current == second and w.current_suggestion()[0] != sug_code
    w.accept_button.click()
    w.skip_button.click()
    w.previous_button.click()
    w.shortcut.value = "1"  # keyboard: first code
    labels = project.labels_frame(coder="fleur")
    got = {(r.anecdote_id, r.code, r.source) for r in labels.itertuples()}
    assert (first, "regels en vergunningen", "manual") in got
    assert (second, sug_code, "suggested-rejected") in got
    assert any(a == second and s == "suggested-accepted" for a, _, s in got)
    assert any(c == THEMES.names[0] and s == "manual" for _, c, s in got)
    assert [a for a, *_ in w.log][:4] == ["label", "reject", "accept", "skip"]
    # Rejecting every code leaves no suggestion, and a further reject writes nothing.
    for _ in THEMES.names:
        w.reject_button.click()
    assert w.current_suggestion() is None and "alle codes af" in w.suggestion.value
    rows = len(project.labels_frame(coder="fleur"))
    w.reject_button.click()
    assert len(project.labels_frame(coder="fleur")) == rows


def test_widget_puts_several_codes_on_one_anecdote_and_takes_them_off(project: Project) -> None:
    w = LabelingWidget(project, THEMES, coder="noor")
    first = w.current
    w.shortcut.value = "m"  # more codes: stay on the anecdote
    w.shortcut.value = "1"
    w.buttons[THEMES.names[2]].click()
    assert w.current == first
    assert w.buttons[THEMES.names[0]].icon == "check" and w.buttons[THEMES.names[1]].icon == ""
    assert set(project.labels_frame(coder="noor")["code"]) == {THEMES.names[0], THEMES.names[2]}
    w.buttons[THEMES.names[0]].click()  # a code it has: taken off, kept in the history
    assert w.current == first and w.buttons[THEMES.names[0]].icon == ""
    assert set(project.labels_frame(coder="noor")["code"]) == {THEMES.names[2]}
    history = project.label_history()
    assert list(history[history["coder"] == "noor"]["event"]) == ["label", "label", "unlabel"]
    w.toggle_multi()
    w.buttons[THEMES.names[1]].click()  # one code, then on to the next anecdote
    assert w.current != first
    assert [a for a, *_ in w.log] == ["label", "label", "unlabel", "label"]


def test_widget_without_suggester(project: Project) -> None:
    w = LabelingWidget(project, THEMES, coder="fleur")
    assert w.suggestion.value == "" and w.current_suggestion() is None
    w.next_button.click()
    w.shortcut.value = "2"
    assert project.labels_frame(coder="fleur")["code"].tolist() == [THEMES.names[1]]
    for _ in range(len(w.anecdote_ids)):
        w.skip()
    assert w.current is None and "Klaar" in w.header.value


# --------------------------------------------------------------------------- command line


@pytest.mark.slow
def test_suggest_command(tmp_path: Path) -> None:
    rows = [r for r in GOLD if r["report"] == "anker_2"]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    train = tmp_path / "train.jsonl"
    train.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOLD if r["report"] == "groen_2"),
        "utf-8",
    )
    out = tmp_path / "out.jsonl"
    args = ["suggest", "--input", str(src), "--field", "thema", "--codebook"]
    result = CliRunner().invoke(app, [*args, str(DEV / "themes.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(got) == len(rows)
    assert all(g["thema"] in THEMES and 0 < g["thema_score"] <= 1 for g in got)
    assert got[0]["start"] == rows[0]["start"]  # input fields kept
    no_book = ["suggest", "--input", str(src), "--field", "theme", "--train", str(train)]
    result = CliRunner().invoke(app, [*no_book, "-o", str(out)])
    assert result.exit_code == 0, result.output
    trained_codes = {r["theme"] for r in GOLD if r["report"] == "groen_2"}
    assert {json.loads(x)["theme"] for x in out.read_text("utf-8").splitlines()} <= trained_codes
    result = CliRunner().invoke(app, ["suggest", "--input", str(src), "--field", "x"])
    assert result.exit_code == 2 and "codeboek" in result.output


def test_training_lines_with_several_codes_teach_each_code(tfidf: CachedEmbedder) -> None:
    from reportanalysis.labels.workflow import suggest_rows

    train = [
        {"text": SMALL_TEXTS[0], "thema": ["geld", "regels"]},
        {"text": SMALL_TEXTS[1], "thema": "regels"},
        {"text": SMALL_TEXTS[2], "thema": ["contact", None]},
        {"text": SMALL_TEXTS[3], "thema": float("nan")},  # pandas' empty cell: no label
    ]
    rows = [{"text": t} for t in SMALL_TEXTS]
    out = suggest_rows(rows, "thema", train=train, embedder=tfidf, self_training=0)
    # Without a codebook the codes are the training values, each list item a code of its own.
    assert {r["thema"] for r in out} <= {"geld", "regels", "contact"}
    assert not any("[" in r["thema"] or r["thema"] == "nan" for r in out)


# --------------------------------------------------------------------------- evaluation script


def test_learning_curve_setups_leave_one_initiative_out() -> None:
    """``learning_curve.py check`` trains on every initiative but one and tests on that one."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "learning_curve.py"
    spec = importlib.util.spec_from_file_location("learning_curve", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts = [r["text"] for r in GOLD]
    groups = [r["report"] for r in GOLD]
    valid = np.array([r["practice"] != "none" for r in GOLD])
    setups = module._setups(groups, texts, valid)
    assert [name for name, _, _ in setups][0] == "codebook only"
    assert setups[0][1] is None and (setups[0][2] == valid).all()
    splits = setups[1:]
    assert len(splits) == 2  # anker_* and groen_* share names within, not across
    for name, labelled, test in splits:
        tested = {g for g, t in zip(groups, test, strict=True) if t}
        trained = {g for g, t in zip(groups, labelled, strict=True) if t}
        assert len({g.split("_")[0] for g in tested}) == 1
        assert not tested & trained and not (labelled & test).any()
        assert not (test & ~valid).any()  # anecdotes without a label are never scored
        assert name.endswith("+".join(sorted(tested)))
