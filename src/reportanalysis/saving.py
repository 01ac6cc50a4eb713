"""Saving fitted estimators to a folder and loading them back: ``to_disk`` / ``from_disk``.

A fitted :class:`~reportanalysis.themes.ThemeModel`, :class:`~reportanalysis.labels.LabelSuggester`,
:class:`~reportanalysis.frameworks.PracticeMapper` or
:class:`~reportanalysis.frameworks.KindClassifier` is saved as a folder, the way spaCy saves a
pipeline::

    model/
      meta.json    what it is: class, parameters, versions, the state file's checksum
      state.pkl    the fitted object (pickle)

``meta.json`` is for people and for the checks on loading: the folder must hold the class
asked for, the state file must be the one that was written (its SHA-256), and a different
version of reportanalysis, scikit-learn or numpy gives a warning, since a model fitted with
one version may behave differently under another.

Loaded models come back ready to use. What is not data stays out of the file and is rebuilt
when needed: the sentence encoder's weights (the embedder keeps its settings), the shared
spaCy pipeline and a project's embedding cache (a connection; pass it again).

A saved model holds the texts it was fitted on (a theme's representative anecdotes, the
suggester's corpus): it is as confidential as those texts, so fit models that circulate on
pseudonymised text.

Unpickling runs code named in the file, as it does for scikit-learn's and joblib's models:
load only models that you saved or that come from someone you trust.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from .errors import ConfigError, InputError

__all__ = ["FORMAT", "Saveable", "load", "read_meta", "save"]

#: The folder layout's version; raised when it changes incompatibly.
FORMAT = 1
META = "meta.json"
STATE = "state.pkl"


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _versions() -> dict[str, str]:
    import sys
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    out = {"reportanalysis": __version__, "python": sys.version.split()[0]}
    for package in ("numpy", "scikit-learn", "scipy", "spacy"):
        with contextlib.suppress(PackageNotFoundError):  # all four are core dependencies
            out[package] = version(package)
    return out


def _plain(value: Any) -> Any:
    """``value`` if JSON shows it faithfully, else its ``repr`` (meta.json is for reading)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return repr(value)


def save(obj: Any, path: str | Path) -> Path:
    """Write ``obj`` to the folder ``path`` (created; an earlier save there is replaced)."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "is a file; give the path of a folder to save the model in")
    folder.mkdir(parents=True, exist_ok=True)
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    params = obj.get_params(deep=False) if hasattr(obj, "get_params") else {}
    meta = {
        "format": FORMAT,
        "class": _class_path(type(obj)),
        "params": {k: _plain(v) for k, v in sorted(params.items())},
        "versions": _versions(),
        "saved": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    # State first, meta.json last, each written whole and renamed into place: a folder with a
    # meta.json always has the state it describes.
    _write_atomic(folder / STATE, data)
    text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    _write_atomic(folder / META, text.encode("utf-8"))
    return folder


def _write_atomic(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_meta(path: str | Path) -> dict[str, Any]:
    """The ``meta.json`` of a saved model folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(folder, "no such folder: give the folder a model was saved to")
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(folder, f"not a saved model: it has no {META}") from None
    except (OSError, ValueError) as exc:
        raise InputError(folder / META, f"cannot be read ({exc})") from exc
    if not isinstance(meta, dict) or "class" not in meta:
        raise InputError(folder / META, "is not the meta.json of a saved model")
    return meta


def load(path: str | Path, expected: type | None = None) -> Any:
    """The object saved in the folder ``path``; with ``expected``, it must be of that class."""
    folder = Path(path)
    meta = read_meta(folder)
    if meta.get("format", 0) > FORMAT:
        raise InputError(
            folder,
            f"was saved by a newer reportanalysis (folder format {meta['format']}); upgrade "
            "reportanalysis to load it",
        )
    if expected is not None and meta["class"] != _class_path(expected):
        raise ConfigError(
            f"{folder} holds a {meta['class'].rsplit('.', 1)[-1]}, not a "
            f"{expected.__qualname__}; load it with that class"
        )
    try:
        data = (folder / STATE).read_bytes()
    except FileNotFoundError:
        raise InputError(folder, f"the saved model's {STATE} is missing") from None
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        raise InputError(
            folder / STATE, "is not the file that was saved (its checksum differs); save again"
        )
    now = _versions()
    changed = {
        k: (v, now.get(k))
        for k, v in meta.get("versions", {}).items()
        if k != "python" and now.get(k) != v
    }
    if changed:
        said = ", ".join(f"{k} {old} → {new}" for k, (old, new) in sorted(changed.items()))
        warnings.warn(
            f"{folder} was saved with other versions ({said}); refit it if results look off",
            UserWarning,
            stacklevel=3,
        )
    try:
        obj = pickle.loads(data)
    except Exception as exc:
        raise InputError(folder / STATE, f"cannot be loaded ({type(exc).__name__}: {exc})") from exc
    if expected is not None and not isinstance(obj, expected):  # pragma: no cover - sha checked
        raise ConfigError(f"{folder} does not hold a {expected.__qualname__}")
    return obj


class Saveable:
    """``to_disk(path)`` and ``from_disk(path)`` for an estimator (see :mod:`.saving`)."""

    def to_disk(self, path: str | Path) -> Path:
        """Save to the folder ``path``; :meth:`from_disk` loads it back."""
        return save(self, path)

    @classmethod
    def from_disk(cls, path: str | Path) -> Self:
        """Load what :meth:`to_disk` saved; only load models from sources you trust."""
        obj: Self = load(path, cls)
        return obj
