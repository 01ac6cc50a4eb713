"""Views over a labels DataFrame (``project.labels_frame()``): pure functions, new frames out.

A labels frame has one row per anecdote × code × coder with at least ``anecdote_id``, ``code``
and ``coder``; ``report_id``, ``source`` and ``active`` are used when present. Rejected
suggestions (source ``suggested-rejected``), open suggestions (``suggested``), removed labels
(``active`` False) and rows without a code are not codings and are left out of every view.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"anecdote_id": ["anker_1:0-5", "anker_1:0-5", "groen_1:9-20"],
    ...                    "code": ["regels", "subsidie", "regels"], "coder": ["an", "an", "bo"]})
    >>> code_report_matrix(df).loc["regels"].tolist()
    [1, 1]
    >>> int(cooccurrence(df).loc["regels", "subsidie"])
    1
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NOT_CODINGS", "code_report_matrix", "codings", "cooccurrence"]

#: Label sources that are not a coder's judgement that a code applies.
NOT_CODINGS: frozenset[str] = frozenset({"suggested", "suggested-rejected"})


def _report_of(anecdote_id: str) -> str:
    """The report part of an anecdote id ``report:start-end``."""
    return anecdote_id.rsplit(":", 1)[0] if ":" in anecdote_id else anecdote_id


def _is_active(value: Any) -> bool:
    """An ``active`` cell as a flag: empty means active (the default), and the texts "False",
    "0", "nee" mean inactive, as they do in a spreadsheet.

    >>> [_is_active(v) for v in (True, False, 0, 1.0, None, float("nan"), "False", "nee", "ja")]
    [True, False, False, True, True, True, False, False, True]
    """
    from ..project import parse_flag

    return parse_flag(value) is not False  # other text: active, the default


def codings(labels_df: pd.DataFrame) -> pd.DataFrame:
    """The rows that say "this coder put this code on this anecdote", with a ``report_id``."""
    missing = {"anecdote_id", "code", "coder"} - set(labels_df.columns)
    if missing:
        raise ValueError(f"labels frame lacks column(s) {', '.join(sorted(missing))}")
    df = labels_df
    if "source" in df.columns:
        df = df[~df["source"].isin(NOT_CODINGS)]
    if "active" in df.columns:
        df = df[df["active"].map(_is_active).astype(bool)]
    df = df[df["code"].notna() & (df["code"].astype(str).str.strip() != "")]
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


def cooccurrence(labels_df: pd.DataFrame, *, per_coder: bool = True) -> pd.DataFrame:
    """Code × code: on how many anecdotes the two codes were applied together.

    With ``per_coder`` (the default) two codes co-occur on an anecdote only when one coder put
    both on it: codes one person applied together. If coder A codes an anecdote ``geld`` and
    coder B codes it ``regels``, that is a disagreement, not a co-occurrence, and is not
    counted. ``per_coder=False`` pools the codes of all coders per anecdote (the old count).
    Either way the unit is the anecdote: an anecdote on which two coders both applied a pair
    counts once. The diagonal is the number of anecdotes that carry the code at all (by any
    coder). An empty labels frame gives an empty matrix.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"anecdote_id": ["groen_1:0-9", "groen_1:0-9"],
    ...                    "code": ["geld", "regels"], "coder": ["an", "bo"]})
    >>> int(cooccurrence(df).loc["geld", "regels"])
    0
    >>> int(cooccurrence(df, per_coder=False).loc["geld", "regels"])
    1
    """
    import pandas as pd

    df = codings(labels_df)[["anecdote_id", "coder", "code"]].copy()
    if not per_coder:
        df["coder"] = ""
    df = df.drop_duplicates()
    df["code"] = df["code"].astype(str)
    codes = sorted(df["code"].unique())
    pairs = df.merge(df, on=["anecdote_id", "coder"], suffixes=("", "_with"))
    pairs = pairs.drop_duplicates(["anecdote_id", "code", "code_with"])
    counts = pairs.groupby(["code", "code_with"]).size()
    matrix = counts.unstack("code_with", fill_value=0) if len(counts) else pd.DataFrame()
    matrix = matrix.reindex(index=codes, columns=codes, fill_value=0).astype(int)
    matrix.index.name = matrix.columns.name = "code"
    return matrix
