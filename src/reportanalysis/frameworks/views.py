"""Views over mapped anecdotes: pure functions from frames to frames, and figures.

The anecdote frame has one row per anecdote with at least ``report_id``, ``practice``,
``kind`` and (for the theme view) ``theme``; the reports frame has ``id`` (or ``report_id``),
``initiative`` and ``visit`` (``initiatief`` and ``bezoek`` are accepted too).

    >>> import pandas as pd
    >>> a = pd.DataFrame({"report_id": ["r1", "r1", "r2"], "practice": ["P2", "P4", "P4"],
    ...                   "kind": ["succes", "knelpunt", "succes"], "theme": ["x", "y", "y"]})
    >>> practice_by_kind(a).loc["P4"].tolist()
    [1, 1, 0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KIND_ORDER",
    "PRACTICE_ORDER",
    "plot_practice_by_kind",
    "practice_by_initiative",
    "practice_by_kind",
    "practice_by_report",
    "practice_by_theme",
    "visit_changes",
]

PRACTICE_ORDER: tuple[str, ...] = ("P1", "P2", "P3", "P4", "P5", "none")
KIND_ORDER: tuple[str, ...] = ("succes", "knelpunt", "aanknopingspunt")


def _crosstab(
    frame: pd.DataFrame, rows: str, cols: str, col_order: tuple[str, ...] | None = None
) -> pd.DataFrame:
    import pandas as pd

    for c in (rows, cols):
        if c not in frame.columns:
            raise KeyError(f"the anecdote frame has no column {c!r}")
    table = pd.crosstab(frame[rows], frame[cols])
    present = [p for p in PRACTICE_ORDER if p in table.index]
    others = sorted(i for i in table.index if i not in PRACTICE_ORDER)
    table = table.reindex(present + others)
    if col_order is not None:
        extra = sorted(c for c in table.columns if c not in col_order)
        table = table.reindex(columns=list(col_order) + extra, fill_value=0)
    table.index.name, table.columns.name = rows, cols
    return table.fillna(0).astype(int)


def practice_by_kind(anecdotes: pd.DataFrame) -> pd.DataFrame:
    """Counts of practice (rows) × kind (columns: succes, knelpunt, aanknopingspunt)."""
    return _crosstab(anecdotes, "practice", "kind", KIND_ORDER)


def practice_by_theme(anecdotes: pd.DataFrame) -> pd.DataFrame:
    """Counts of practice (rows) × theme (columns)."""
    return _crosstab(anecdotes, "practice", "theme")


def practice_by_report(anecdotes: pd.DataFrame) -> pd.DataFrame:
    """Counts of practice (rows) × report (columns)."""
    return _crosstab(anecdotes, "practice", "report_id")


def _with_reports(anecdotes: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    reports = reports.rename(
        columns={"initiatief": "initiative", "bezoek": "visit", "id": "report_id"}
    )
    missing = {"report_id", "initiative", "visit"} - set(reports.columns)
    if missing:
        raise KeyError(f"the reports frame lacks column(s) {sorted(missing)}")
    return anecdotes.merge(
        reports[["report_id", "initiative", "visit"]], on="report_id", how="left"
    )


def practice_by_initiative(anecdotes: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Counts of practice (rows) × initiative (columns)."""
    return _crosstab(_with_reports(anecdotes, reports), "practice", "initiative")


def visit_changes(anecdotes: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Per initiative, practice and kind: counts at the first and the last visit, and the change.

    Columns: initiative, practice, kind, first, last, change (last − first).
    """
    import pandas as pd

    df = _with_reports(anecdotes, reports)
    df["visit"] = pd.to_numeric(df["visit"], errors="coerce")
    rows = []
    for initiative, part in df.groupby("initiative"):
        visits = sorted(part["visit"].dropna().unique())
        if not visits:
            continue
        first, last = visits[0], visits[-1]
        counts = part.groupby(["practice", "kind", "visit"]).size()
        for practice, kind in sorted({(p, k) for p, k, _ in counts.index}):
            a = int(counts.get((practice, kind, first), 0))
            b = int(counts.get((practice, kind, last), 0)) if last != first else a
            rows.append(
                {
                    "initiative": initiative,
                    "practice": practice,
                    "kind": kind,
                    "first": a,
                    "last": b,
                    "change": b - a,
                }
            )
    return pd.DataFrame(rows, columns=["initiative", "practice", "kind", "first", "last", "change"])


def plot_practice_by_kind(anecdotes: pd.DataFrame, *, ax: Any = None) -> Any:
    """A stacked bar chart of practice × kind; returns the matplotlib Figure (not shown)."""
    from matplotlib.figure import Figure

    table = practice_by_kind(anecdotes)
    if ax is None:
        fig = Figure(figsize=(7, 4))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    colours = {"succes": "#2a9d8f", "knelpunt": "#e76f51", "aanknopingspunt": "#e9c46a"}
    bottom = None
    for kind in table.columns:
        values = table[kind].to_numpy()
        ax.bar(table.index, values, bottom=bottom, label=kind, color=colours.get(kind))
        bottom = values if bottom is None else bottom + values
    ax.set_xlabel("werkpraktijk")
    ax.set_ylabel("anekdotes")
    ax.legend(frameon=False)
    return fig
