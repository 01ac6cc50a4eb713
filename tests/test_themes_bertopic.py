"""The BERTopic paths of ThemeModel: the same stages as the direct path, and UMAP + HDBSCAN."""

from __future__ import annotations

import numpy as np
import pytest
from test_themes import GROUPS, IDS, TEXTS

from reportanalysis.embed import TfidfEmbedder
from reportanalysis.themes import ThemeModel, ThemeWarning

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tfidf() -> np.ndarray:
    return TfidfEmbedder(analyzer="word", n_components=16, seed=0).embed(TEXTS)


def test_bertopic_with_kmeans_assigns_like_the_direct_path(tfidf: np.ndarray) -> None:
    # embeddings only: the BERTopic path reduces its character block, the direct one does not
    direct = ThemeModel(
        n_themes=3, seed=1, mode="direct", cluster_method="kmeans", lexical_weight=0
    ).fit(TEXTS, embeddings=tfidf, groups=GROUPS, ids=IDS)
    bert = ThemeModel(n_themes=3, seed=1, mode="small", lexical_weight=0).fit(
        TEXTS, embeddings=tfidf, groups=GROUPS, ids=IDS
    )
    assert bert.path_ == "bertopic-kmeans" and direct.path_ == "direct"
    assert bert.topic_model_ is not None
    assert bert.labels_.tolist() == direct.labels_.tolist()
    for t in bert.themes_:
        assert t.keywords  # BERTopic's c-TF-IDF over our lemmas
        assert "anneke" not in t.keywords and "karin" not in t.keywords


def test_large_corpus_path_reduces_character_features_chunk_by_chunk(tfidf: np.ndarray) -> None:
    from reportanalysis.themes._text import reduced_char_features

    whole, _ = reduced_char_features(TEXTS, n_components=5, seed=3)
    chunked, (vec, svd) = reduced_char_features(TEXTS, n_components=5, seed=3, chunk=2)
    assert whole is not None and chunked is not None and whole.shape == (len(TEXTS), 5)
    np.testing.assert_allclose(whole, chunked, atol=1e-5)
    sampled, _ = reduced_char_features(TEXTS, n_components=5, seed=3, fit_rows=len(TEXTS) // 2)
    assert sampled is not None and sampled.shape == whole.shape

    model = ThemeModel(n_themes=3, seed=1, mode="small").fit(
        TEXTS, embeddings=tfidf, groups=GROUPS, ids=IDS
    )
    assert model.path_ == "bertopic-kmeans" and model._lexical_model[0] == "chars-svd"
    again = model.transform(TEXTS, embeddings=tfidf, groups=GROUPS)
    assert (again == model.labels_).mean() >= 0.8  # the fitted themes' own texts stay put


def test_bertopic_keeps_non_ascii_letters() -> None:
    """BERTopic strips non-ASCII letters for English; keywords must keep ö, é, ë."""
    texts = [
        "De coöperatie zoekt één vast aanspreekpunt bij de gemeente.",
        "Voor de coöperatie is één aanspreekpunt een opluchting.",
        "De subsidie voor het café kwam pas na drie maanden.",
        "Het café wacht nog steeds op de subsidie van de gemeente.",
    ] * 3
    emb = TfidfEmbedder(analyzer="word", n_components=4, seed=0).embed(texts)
    model = ThemeModel(n_themes=2, seed=0, mode="small").fit(texts, embeddings=emb)
    words = {w for t in model.themes_ for w in t.keywords}
    assert "coöperatie" in words or "café" in words
    assert "coperatie" not in words and "caf" not in words


def test_hdbscan_path_reassigns_or_keeps_outliers() -> None:
    rng = np.random.default_rng(0)
    # 200 anecdotes recombined from the test sentences, three themes apart.
    texts, groups = [], []
    for _ in range(200):
        j, k = rng.integers(0, len(TEXTS), size=2)
        texts.append(f"{TEXTS[j]} {TEXTS[k]}")
        groups.append(GROUPS[j])
    X = TfidfEmbedder(analyzer="word", n_components=32, seed=0).embed(texts)
    with pytest.warns(ThemeWarning, match="meant for large corpora; on 200 anecdotes"):
        kept = ThemeModel(seed=0, mode="large", outliers="keep")
        kept.fit(texts, embeddings=X, groups=groups)
    assert kept.path_ == "bertopic-hdbscan"
    assert len(kept.themes_) >= 2
    again = ThemeModel(seed=0, mode="large").fit(texts, embeddings=X, groups=groups)
    assert (again.labels_ >= 0).all()
    assert again.n_outliers_ == kept.n_outliers_
    if kept.n_outliers_:
        assert any(t.id == -1 and t.label == "overig" for t in kept.themes_)
    from sklearn.metrics import adjusted_rand_score

    same = kept.labels_ >= 0  # one seed: the same clusters (numbered by size after reassigning)
    assert adjusted_rand_score(kept.labels_[same], again.labels_[same]) == 1.0
