"""Label rows of anecdotes (dicts, as read from JSON lines): the core of the CLI commands.

Each input row is kept whole; the predicted fields are added and overwrite any fields of the
same name (gold files carry ``practice``/``kind`` already; they are never read as input: only
``text`` is).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .framework import Framework

__all__ = ["label_kinds", "label_practices"]


def _training(train: Sequence[dict[str, Any]] | None, field: str) -> tuple[list[str], list[Any]]:
    if not train:
        return [], []
    texts, labels = [], []
    for n, row in enumerate(train, 1):
        if "text" not in row or field not in row:
            raise ConfigError(f"training line {n} needs 'text' and {field!r}")
        texts.append(str(row["text"]))
        labels.append(row[field] or None)
    return texts, labels


def label_practices(
    rows: Sequence[dict[str, Any]],
    *,
    train: Sequence[dict[str, Any]] | None = None,
    framework: str | Path | Framework = "publieke_bricoleurs",
    embedder: Any = "use",
    **params: Any,
) -> list[dict[str, Any]]:
    """Rows plus ``practice``, ``practice_scores``, ``secondary_practice``, ``practice_reason``.

    ``train`` rows (``text`` + ``practice``) refine the zero-shot mapper.
    """
    from .mapper import PracticeMapper

    fw = framework if isinstance(framework, Framework) else str(framework)
    mapper = PracticeMapper(framework=fw, embedder=embedder, **params)
    texts, labels = _training(train, "practice")
    mapper.fit(texts or None, labels or None)
    inputs = [str(r.get("text", "")) for r in rows]
    top2 = mapper.predict_top2(inputs)
    explanations = mapper.explain(inputs)
    out = []
    for row, (first, _, second, _), exp in zip(rows, top2, explanations, strict=True):
        new = dict(row)
        new["practice"] = first
        new["practice_scores"] = exp.scores
        new["secondary_practice"] = second
        new["practice_reason"] = exp.reason
        out.append(new)
    return out


def label_kinds(
    rows: Sequence[dict[str, Any]],
    *,
    train: Sequence[dict[str, Any]] | None = None,
    framework: str | Path | Framework = "kinds",
    embedder: Any = "use",
    **params: Any,
) -> list[dict[str, Any]]:
    """Rows plus ``kind`` and ``kind_scores``; ``train`` rows hold ``text`` + ``kind``."""
    from .kinds import KindClassifier

    fw = framework if isinstance(framework, Framework) else str(framework)
    clf = KindClassifier(framework=fw, embedder=embedder, **params)
    texts, labels = _training(train, "kind")
    clf.fit(texts or None, labels or None)
    inputs = [str(r.get("text", "")) for r in rows]
    proba = clf.predict_proba(inputs)
    out = []
    for row, p in zip(rows, proba, strict=True):
        new = dict(row)
        scores = {str(c): round(float(v), 4) for c, v in zip(clf.classes_, p, strict=True)}
        new["kind"] = max(scores, key=scores.__getitem__)
        new["kind_scores"] = scores
        out.append(new)
    return out
