"""Views for Jupyter: pure functions over frames, returning new DataFrames or plotly figures.

The anecdote frame needs ``id`` and ``theme`` (and ``theme_label``); metadata columns such as
``report_id``, ``initiative`` or ``visit`` give the theme × metadata matrices. The pipeline's
anecdote frames carry ``initiative`` and ``visit``; for another frame pass ``reports=`` (the
pipeline's reports table or ``Project.reports_frame()``) and they are joined on ``report_id``
(:func:`with_report_columns`)::

    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "theme": [0, 0, 1],
    ...                    "theme_label": ["geld", "geld", "regels"],
    ...                    "report_id": ["r1", "r2", "r2"]})
    >>> theme_matrix(df, "report_id").to_dict()
    {'r1': {'geld': 1, 'regels': 0}, 'r2': {'geld': 1, 'regels': 1}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..model import Theme

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "THEME_TABLE_COLUMNS",
    "plot_theme_map",
    "plot_theme_matrix",
    "plot_theme_sizes",
    "theme_matrix",
    "theme_table",
    "with_report_columns",
]

#: Report metadata keys as ingest names them (Dutch), by the column the views use.
REPORT_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "initiative": ("initiatief",),
    "visit": ("bezoek",),
    "date": ("datum",),
}


def with_report_columns(
    anecdotes: pd.DataFrame,
    reports: pd.DataFrame,
    columns: Sequence[str] = ("initiative", "visit"),
) -> pd.DataFrame:
    """A new anecdote frame with report metadata ``columns`` joined on ``report_id``.

    ``reports`` has ``id`` and the columns, under their own name or the Dutch key ingest
    gives them (``initiatief``, ``bezoek``, ``datum``). Columns the anecdote frame already
    has, or the reports lack, are left alone; visit numbers stay whole numbers.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"id": ["x", "y"], "report_id": ["anker_1", "anker_2"]})
    >>> r = pd.DataFrame({"id": ["anker_1", "anker_2"], "initiatief": ["Het Anker"] * 2,
    ...                   "bezoek": [1, 2]})
    >>> with_report_columns(a, r)[["initiative", "visit"]].to_dict("list")
    {'initiative': ['Het Anker', 'Het Anker'], 'visit': [1, 2]}
    """
    import pandas as pd

    out = anecdotes.copy()
    if "report_id" not in out.columns:
        raise KeyError("the anecdote frame has no column 'report_id' to join reports on")
    if "id" not in reports.columns:  # no reports (an empty table): nothing to join
        return out
    for column in columns:
        if column in out.columns:
            continue
        source = next(
            (c for c in (column, *REPORT_COLUMN_ALIASES.get(column, ())) if c in reports), None
        )
        if source is None:
            continue
        values = dict(zip(reports["id"].astype(str), reports[source], strict=True))
        joined = out["report_id"].astype(str).map(values)
        known = joined.dropna()
        if pd.api.types.is_float_dtype(joined) and (known == known.round()).all():
            joined = joined.astype("Int64")
        out[column] = joined
    return out


THEME_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "label",
    "size",
    "share",
    "keywords",
    "representative_ids",
    "n_groups",
)


def theme_table(
    themes: Sequence[Theme],
    anecdotes: pd.DataFrame | None = None,
    *,
    by: Sequence[str] = ("report_id", "initiative", "visit"),
    reports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per theme: size, share of all anecdotes, keywords, representative anecdotes.

    With an anecdote frame (``id`` plus metadata columns), adds for each column of ``by`` that
    is present the share per value (``share_report_id=r1: 0.5, …`` as a dict) and ``n_groups``:
    the number of distinct values of the first such column the theme spans — a theme found in
    one report only is more likely an initiative than a theme. Columns of ``by`` the frame
    lacks are joined from ``reports`` when given (:func:`with_report_columns`).
    """
    import pandas as pd

    total = sum(t.size for t in themes) or 1
    rows = []
    meta = None
    present: list[str] = []
    if anecdotes is not None and reports is not None:
        anecdotes = with_report_columns(anecdotes, reports, by)
    if anecdotes is not None:
        present = [c for c in by if c in anecdotes.columns]
        meta = anecdotes.set_index("id")[present] if present else None
    for t in themes:
        row: dict[str, Any] = {
            "id": t.id,
            "label": t.label,
            "size": t.size,
            "share": round(t.size / total, 4),
            "keywords": ", ".join(t.keywords[:8]),
            "representative_ids": list(t.representative_ids),
            "n_groups": None,
        }
        if meta is not None:
            sub = meta.loc[[a for a in t.anecdote_ids if a in meta.index]]
            for col in present:
                counts = sub[col].value_counts(normalize=True).sort_index()
                row[f"share_{col}"] = {str(k): round(float(v), 3) for k, v in counts.items()}
            row["n_groups"] = int(sub[present[0]].nunique()) if len(sub) else 0
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else list(THEME_TABLE_COLUMNS))


def theme_matrix(
    anecdotes: pd.DataFrame,
    column: str,
    *,
    normalize: bool | str = False,
    theme_column: str = "theme_label",
    reports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Theme × metadata counts (or shares: ``normalize="columns"``/``"index"``/``True``).

    A ``column`` the anecdote frame lacks is joined from ``reports`` when given
    (:func:`with_report_columns`).
    """
    import pandas as pd

    if column not in anecdotes.columns and reports is not None:
        anecdotes = with_report_columns(anecdotes, reports, [column])
    if column not in anecdotes.columns:
        hint = "" if reports is not None else "; pass reports= to join it from the reports"
        raise KeyError(f"the anecdote frame has no column {column!r}{hint}")
    return pd.crosstab(anecdotes[theme_column], anecdotes[column], normalize=normalize).rename_axis(
        index=None, columns=None
    )


def plot_theme_sizes(themes: Sequence[Theme]) -> Any:
    """A horizontal plotly bar chart of theme sizes, largest on top."""
    import plotly.graph_objects as go

    ordered = sorted(themes, key=lambda t: t.size)
    fig = go.Figure(
        go.Bar(
            x=[t.size for t in ordered],
            y=[t.label for t in ordered],
            orientation="h",
            hovertext=[", ".join(t.keywords[:8]) for t in ordered],
        )
    )
    fig.update_layout(title="Thema's", xaxis_title="anekdotes", height=200 + 28 * len(themes))
    return fig


def plot_theme_matrix(matrix: pd.DataFrame, *, title: str = "") -> Any:
    """A plotly heatmap of a :func:`theme_matrix`."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[str(c) for c in matrix.columns],
            y=[str(i) for i in matrix.index],
            colorscale="Blues",
        )
    )
    fig.update_layout(title=title, height=200 + 28 * len(matrix))
    return fig


def plot_theme_map(
    embeddings: Any, anecdotes: pd.DataFrame, *, seed: int = 0, theme_column: str = "theme_label"
) -> Any:
    """Anecdotes on a 2-d PCA map of their embeddings, coloured by theme (plotly scatter)."""
    import numpy as np
    import plotly.express as px
    from sklearn.decomposition import PCA

    X = np.asarray(embeddings, dtype=np.float32)
    xy = (
        PCA(n_components=2, random_state=seed).fit_transform(X)
        if len(X) > 2
        else np.zeros((len(X), 2))
    )
    frame = anecdotes.assign(x=xy[:, 0], y=xy[:, 1])
    frame["tekst"] = frame["text"].str.slice(0, 120) if "text" in frame else ""
    return px.scatter(frame, x="x", y="y", color=theme_column, hover_data=["tekst"])
