"""Fitted estimators saved with ``to_disk`` and loaded with ``from_disk``, in this process and
in a fresh one; the checks on loading; embedders that pickle without their weights."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reportanalysis.embed import CachedEmbedder, MemoryCache, TfidfEmbedder, USEEmbedder
from reportanalysis.errors import ConfigError, InputError
from reportanalysis.frameworks import KindClassifier, PracticeMapper
from reportanalysis.labels import LabelSuggester, load_codebook
from reportanalysis.project import Project
from reportanalysis.saving import read_meta
from reportanalysis.themes import ThemeModel

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
GOLD = [json.loads(line) for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
TEXTS = [r["text"] for r in GOLD]
GROUPS = [r["report"] for r in GOLD]
NEW = [
    "De ambtenaar belde terug en legde uit waarom de subsidie nog niet was uitbetaald.",
    "Voor het terras is een vergunning nodig, en de buren hebben bezwaar gemaakt.",
    "Sinds de wisseling van wijkregisseur weet niemand meer bij wie we terechtkunnen.",
]


@pytest.fixture(scope="module")
def use() -> CachedEmbedder:
    return CachedEmbedder(USEEmbedder())


@pytest.fixture(scope="module")
def themes(use: CachedEmbedder) -> ThemeModel:
    return ThemeModel(embedder=use, seed=0).fit(TEXTS, groups=GROUPS)


@pytest.fixture(scope="module")
def suggester(use: CachedEmbedder) -> LabelSuggester:
    labels = {i: r["theme"] for i, r in enumerate(GOLD) if r["report"].startswith("anker")}
    s = LabelSuggester(load_codebook(DEV / "themes.json"), use, seed=0)
    return s.fit(TEXTS, labels, groups=GROUPS, rejected=[(0, "netwerk en verbinden")])


def test_theme_model_round_trip(themes: ThemeModel, tmp_path: Path) -> None:
    folder = themes.to_disk(tmp_path / "themes")
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "state.pkl"]
    loaded = ThemeModel.from_disk(folder)
    assert loaded is not themes
    np.testing.assert_array_equal(loaded.labels_, themes.labels_)
    assert [t.label for t in loaded.themes_] == [t.label for t in themes.themes_]
    assert [t.keywords for t in loaded.themes_] == [t.keywords for t in themes.themes_]
    # New texts: the loaded model rebuilds the encoder and the spaCy pipeline it left behind.
    np.testing.assert_array_equal(loaded.transform(NEW), themes.transform(NEW))


def test_suggester_round_trip_keeps_labels_and_rejections(
    suggester: LabelSuggester, tmp_path: Path
) -> None:
    loaded = LabelSuggester.from_disk(suggester.to_disk(tmp_path / "suggest"))
    assert list(loaded.predict()) == list(suggester.predict())
    np.testing.assert_allclose(loaded.predict_proba(), suggester.predict_proba(), atol=1e-6)
    assert str(loaded.explain(5)) == str(suggester.explain(5))
    rejected = list(loaded.classes_).index("netwerk en verbinden")
    assert loaded.predict_proba()[0, rejected] == 0.0
    # It goes on learning where it stopped.
    more = {i: r["theme"] for i, r in enumerate(GOLD)}
    assert list(loaded.update(more).predict()) == list(suggester.update(more).predict())


@pytest.mark.parametrize("cls", [PracticeMapper, KindClassifier])
def test_framework_classifiers_round_trip(cls: type, tmp_path: Path) -> None:
    model = cls().fit()
    loaded = cls.from_disk(model.to_disk(tmp_path / cls.__name__))
    assert loaded.predict(TEXTS) == model.predict(TEXTS)
    assert loaded.get_params() == model.get_params()


def test_loads_in_a_fresh_process(tmp_path: Path) -> None:
    model = PracticeMapper().fit()
    model.to_disk(tmp_path / "practices")
    script = (
        "import json, sys\n"
        "from reportanalysis.frameworks import PracticeMapper\n"
        "m = PracticeMapper.from_disk(sys.argv[1])\n"
        "print(json.dumps(m.predict(json.loads(sys.argv[2]))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "practices"), json.dumps(NEW)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == model.predict(NEW)


def test_meta_json_says_what_was_saved(themes: ThemeModel, tmp_path: Path) -> None:
    meta = read_meta(themes.to_disk(tmp_path / "t"))
    assert meta["class"] == "reportanalysis.themes._model.ThemeModel"
    assert meta["params"]["seed"] == 0
    assert {"reportanalysis", "numpy", "scikit-learn"} <= set(meta["versions"])
    # Saving again into the same folder replaces the model.
    themes.to_disk(tmp_path / "t")
    assert read_meta(tmp_path / "t")["sha256"] == meta["sha256"]


def test_loading_checks_class_checksum_and_folder(themes: ThemeModel, tmp_path: Path) -> None:
    folder = themes.to_disk(tmp_path / "t")
    with pytest.raises(ConfigError, match="holds a ThemeModel, not a LabelSuggester"):
        LabelSuggester.from_disk(folder)
    with pytest.raises(InputError, match="no such folder"):
        ThemeModel.from_disk(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="has no meta.json"):
        ThemeModel.from_disk(tmp_path / "empty")
    with pytest.raises(InputError, match="give the path of a folder"):
        themes.to_disk(folder / "meta.json")
    state = folder / "state.pkl"
    state.write_bytes(state.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(InputError, match="checksum differs") as err:
        ThemeModel.from_disk(folder)
    assert "state.pkl" in str(err.value)


def test_other_versions_give_a_warning(themes: ThemeModel, tmp_path: Path) -> None:
    folder = themes.to_disk(tmp_path / "t")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["versions"]["scikit-learn"] = "0.24.0"
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.warns(UserWarning, match=r"scikit-learn 0\.24\.0 →"):
        loaded = ThemeModel.from_disk(folder)
    np.testing.assert_array_equal(loaded.labels_, themes.labels_)
    meta["format"] = 99
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(InputError, match="newer reportanalysis"):
        ThemeModel.from_disk(folder)


def test_embedders_pickle_their_settings_not_their_weights(tmp_path: Path) -> None:
    use = USEEmbedder(threads=1)
    before = use.embed(NEW)
    copy = pickle.loads(pickle.dumps(use))
    assert copy._model is None and copy.threads == 1
    np.testing.assert_allclose(copy.embed(NEW), before, atol=1e-5)

    tfidf = TfidfEmbedder(analyzer="word", n_components=8).fit(TEXTS)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(tfidf)).embed(NEW), tfidf.embed(NEW))

    with Project.create(tmp_path / "p.raproj") as project:
        cached = CachedEmbedder(TfidfEmbedder(n_components=8), project.embedding_cache())
        cached.progress = lambda done, total: None
        cached.embed(TEXTS)
        copy = pickle.loads(pickle.dumps(cached))
    # A project's cache is a connection: the copy starts with an empty memory cache.
    assert isinstance(copy.cache, MemoryCache) and len(copy.cache) == 0
    assert copy.progress is None
    memory = CachedEmbedder(TfidfEmbedder(n_components=8).fit(TEXTS))
    memory.embed(TEXTS)
    assert len(pickle.loads(pickle.dumps(memory)).cache) == len(set(TEXTS))
