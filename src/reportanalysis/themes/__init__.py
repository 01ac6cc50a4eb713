"""Themes: anecdotes grouped by topic, steerable by the analyst.

- :class:`ThemeModel` — BERTopic's pluggable stages over precomputed embeddings (or the same
  stages without BERTopic for tiny corpora), guided by a codebook when one is given.
- :func:`apply_theme_edits` — rename, merge, split, move, delete: replayed after every refit.
- :func:`theme_table`, :func:`theme_matrix` and ``plot_*`` — views for Jupyter.
- :func:`themes` — the ``reportanalysis themes`` command's core: rows in, rows with a theme out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._edits import THEME_ACTIONS, apply_theme_edits, check_theme_edit, theme_ref
from ._model import MODES, ThemeModel, ThemeWarning
from ._text import (
    char_features,
    class_tfidf_keywords,
    group_specific_terms,
    initiative_of_report,
    mask_names,
    report_initiatives,
)
from ._views import (
    THEME_TABLE_COLUMNS,
    plot_theme_map,
    plot_theme_matrix,
    plot_theme_sizes,
    theme_matrix,
    theme_table,
    with_report_columns,
)

__all__ = [
    "MODES",
    "THEME_ACTIONS",
    "THEME_TABLE_COLUMNS",
    "ThemeModel",
    "ThemeWarning",
    "apply_theme_edits",
    "char_features",
    "check_theme_edit",
    "class_tfidf_keywords",
    "edit_theme",
    "group_specific_terms",
    "initiative_of_report",
    "mask_names",
    "plot_theme_map",
    "plot_theme_matrix",
    "plot_theme_sizes",
    "report_initiatives",
    "theme_matrix",
    "theme_ref",
    "theme_table",
    "themes",
    "with_report_columns",
]


def edit_theme(project: Any, action: str, **payload: Any) -> int:
    """Store an analyst's theme edit in the project (scope ``themes``); returns its id.

    The edit's shape is checked first (:func:`check_theme_edit`: ConfigError naming what is
    wrong). It is replayed by the pipeline after every refit (see :func:`apply_theme_edits`);
    what depends on that run's themes (a theme that no longer exists) is checked then.
    """
    check_theme_edit(action, payload)
    return int(project.add_edit("themes", action, payload))


def themes(
    rows: Sequence[dict[str, Any]],
    *,
    codebook: Any = None,
    seed: int = 0,
    embedder: Any = None,
    **params: Any,
) -> tuple[list[dict[str, Any]], ThemeModel]:
    """Each row (needs ``text``; ``report`` is the group when present) plus ``theme`` and
    ``theme_label``; also returns the fitted model (``path_`` says which path ran).

    ``initiative``, when every row has one, says which reports are one initiative (for the
    keywords); otherwise it is guessed from ``report`` (:func:`report_initiatives`).
    """
    texts = [str(r["text"]) for r in rows]
    groups = [str(r["report"]) for r in rows] if rows and all("report" in r for r in rows) else None
    known = rows and all(r.get("initiative") not in (None, "") for r in rows)
    initiatives = [str(r["initiative"]) for r in rows] if known else None
    ids = [str(r.get("id", i)) for i, r in enumerate(rows)]
    if len(set(ids)) != len(ids):
        ids = [str(i) for i in range(len(rows))]
    model = ThemeModel(codebook=codebook, seed=seed, embedder=embedder, **params)
    model.fit(texts, groups=groups, ids=ids, initiatives=initiatives)
    out = []
    for row, t in zip(rows, model.labels_.tolist(), strict=True):
        out.append({**row, "theme": int(t), "theme_label": model.theme_labels_.get(t, "overig")})
    return out, model
