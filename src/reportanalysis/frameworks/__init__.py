"""Frameworks as data, and the estimators that map anecdotes onto them.

- :func:`load_framework` — the five vital work practices of *Publieke Bricoleurs* (default),
  ``wij_werken``, ``tweebenig``, the three ``kinds``, or any TOML file of the same shape.
- :class:`PracticeMapper` — anecdote → practice (P1…P5 or ``none``), zero-shot or trained.
- :class:`KindClassifier` — anecdote → succes / knelpunt / aanknopingspunt.
- :mod:`~reportanalysis.frameworks.views` — practice × theme, × kind, per report, per visit.

The estimators (scikit-learn) and views (pandas) load lazily: importing this package is cheap.

    >>> from reportanalysis.frameworks import load_framework
    >>> load_framework().practice("P4").name
    'Aansluiten van buiten op binnen en omgekeerd'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .framework import BUILTIN_FRAMEWORKS, Framework, Practice, load_framework

if TYPE_CHECKING:
    from .kinds import KindClassifier
    from .mapper import Explanation, PracticeMapper

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "Explanation",
    "Framework",
    "KindClassifier",
    "Practice",
    "PracticeMapper",
    "load_framework",
]

_LAZY = {"PracticeMapper": "mapper", "Explanation": "mapper", "KindClassifier": "kinds"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
