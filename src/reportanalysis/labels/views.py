"""Views over a labels DataFrame (``project.labels_frame()``): pure functions, new frames out.

A labels frame has one row per anecdote × code × coder with at least ``anecdote_id``, ``code``
and ``coder``; ``report_id``, ``source`` and ``active`` are used when present. Rejected
suggestions (source ``suggested-rejected``), open suggestions (``suggested``) and removed labels
(``active`` False) are not codings and are left out of every view.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"anecdote_id": ["anker_1:0-5", "anker_1:0-5", "groen_1:9-20"],
    ...                    "code": ["regels", "subsidie", "regels"], "coder": ["an", "an", "bo"]})
    >>> code_report_matrix(df).loc["regels"].tolist()
    [1, 1]
    >>> int(cooccurrence(df).loc["regels", "subsidie"])
    1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NOT_CODINGS", "code_report_matrix", "codings", "cooccurrence"]

#: Label sources that are not a coder's judgement that a code applies.
NOT_CODINGS: frozenset[str] = frozenset({"suggested", "suggested-rejected"})


def _report_of(anecdote_id: str) -> str:
    """The report part of an anecdote id ``report:start-end``."""
    return anecdote_id.rsplit(":", 1)[0] if ":" in anecdote_id else anecdote_id


def codings(labels_df: pd.DataFrame) -> pd.DataFrame:
    """The rows that say "this coder put this code on this anecdote", with a ``report_id``."""
    missing = {"anecdote_id", "code", "coder"} - set(labels_df.columns)
    if missing:
        raise ValueError(f"labels frame lacks column(s) {', '.join(sorted(missing))}")
    df = labels_df
    if "source" in df.columns:
        df = df[~df["source"].isin(NOT_CODINGS)]
    if "active" in df.columns:
        df = df[df["active"].astype(bool)]
    df = df.copy()
    if "report_id" not in df.columns:
        df["report_id"] = df["anecdote_id"].map(_report_of)
    else:
        df["report_id"] = df["report_id"].fillna(df["anecdote_id"].map(_report_of))
    return df.drop_duplicates(["anecdote_id", "code", "coder"])


def code_report_matrix(labels_df: pd.DataFrame) -> pd.DataFrame:
    """Code × report: how many anecdotes of the report carry the code (by any coder)."""
    df = codings(labels_df).drop_duplicates(["anecdote_id", "code"])
    table = df.groupby(["code", "report_id"]).size().unstack("report_id", fill_value=0)
    table.columns.name = "report_id"
    return table.astype(int).sort_index()


def cooccurrence(labels_df: pd.DataFrame) -> pd.DataFrame:
    """Code × code: how many anecdotes carry both codes (diagonal: the code at all)."""
    import pandas as pd

    df = codings(labels_df).drop_duplicates(["anecdote_id", "code"])
    onehot = pd.crosstab(df["anecdote_id"], df["code"]).clip(upper=1)
    matrix = onehot.T @ onehot
    matrix.index.name = matrix.columns.name = "code"
    return matrix.astype(int)
