"""Views over a labels frame: code × code co-occurrence within one coder's coding, empty frames."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from reportanalysis.labels import code_report_matrix, codings, cooccurrence

CODES = ["geld", "regels", "vertrouwen", "contact", "ruimte"]
COLUMNS = ["anecdote_id", "code", "coder", "source"]


def _frame(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.mark.parametrize("per_coder", [True, False])
def test_cooccurrence_of_an_empty_frame_is_an_empty_matrix(per_coder: bool) -> None:
    empty = pd.DataFrame(columns=COLUMNS)
    matrix = cooccurrence(empty, per_coder=per_coder)
    assert matrix.shape == (0, 0)
    assert matrix.index.name == matrix.columns.name == "code"
    # only open or rejected suggestions: no codings either
    only_suggested = _frame(
        [("anker_1:0-80", "geld", "reportanalysis", "suggested"),
         ("anker_1:0-80", "regels", "fleur", "suggested-rejected")]
    )  # fmt: skip
    assert cooccurrence(only_suggested, per_coder=per_coder).shape == (0, 0)
    assert code_report_matrix(empty).empty


def test_a_disagreement_between_coders_is_not_a_cooccurrence() -> None:
    df = _frame(
        [
            # coders disagree on the first anecdote
            ("groen_1:0-120", "geld", "ilse", "manual"),
            ("groen_1:0-120", "regels", "joost", "manual"),
            # ilse and joost both code the second one geld + vertrouwen
            ("groen_1:121-300", "geld", "ilse", "manual"),
            ("groen_1:121-300", "vertrouwen", "ilse", "manual"),
            ("groen_1:121-300", "geld", "joost", "manual"),
            ("groen_1:121-300", "vertrouwen", "joost", "manual"),
            # one coder applies geld + regels together on a third
            ("anker_2:40-90", "geld", "joost", "manual"),
            ("anker_2:40-90", "regels", "joost", "manual"),
        ]
    )
    co = cooccurrence(df)
    assert co.loc["geld", "regels"] == co.loc["regels", "geld"] == 1  # only anker_2
    assert co.loc["geld", "vertrouwen"] == 1  # two coders, one anecdote
    assert co.loc["geld", "geld"] == 3 and co.loc["regels", "regels"] == 2
    pooled = cooccurrence(df, per_coder=False)
    assert pooled.loc["geld", "regels"] == 2  # the disagreement counts when pooled
    assert list(co.index) == list(co.columns) == ["geld", "regels", "vertrouwen"]
    assert (pooled.values == pooled.values.T).all() and (co.values == co.values.T).all()


def _brute_force(df: pd.DataFrame, per_coder: bool) -> dict[tuple[str, str], int]:
    """Count, pair by pair, the anecdotes on which some coder (or the pooled coders) applied
    both codes."""
    applied: dict[tuple[str, str], set[str]] = {}
    for r in df.itertuples():
        key = (r.anecdote_id, r.coder if per_coder else "")
        applied.setdefault(key, set()).add(r.code)
    anecdotes: dict[tuple[str, str], set[str]] = {}
    for (anecdote, _), codes in applied.items():
        for a, b in itertools.product(codes, codes):
            anecdotes.setdefault((a, b), set()).add(anecdote)
    return {pair: len(ids) for pair, ids in anecdotes.items()}


@pytest.mark.parametrize("per_coder", [True, False])
def test_cooccurrence_matches_a_count_by_hand(per_coder: bool) -> None:
    rng = np.random.default_rng(7)
    rows = []
    for unit in range(60):
        anecdote = f"verslag_{unit % 4}:{unit * 100}-{unit * 100 + 80}"
        for coder in ("ilse", "joost", "priya"):
            for code in rng.choice(CODES, size=rng.integers(0, 4), replace=False):
                rows.append((anecdote, str(code), coder, "manual"))
    df = _frame(rows)
    co = cooccurrence(df, per_coder=per_coder)
    expected = _brute_force(codings(df), per_coder)
    for a, b in itertools.product(co.index, co.columns):
        assert co.loc[a, b] == expected.get((a, b), 0), (a, b)
    assert set(co.index) == set(df["code"])


def test_views_skip_removed_labels_written_as_text_and_rows_without_code() -> None:
    df = pd.DataFrame(
        {
            "anecdote_id": ["anker_1:0-80", "anker_1:0-80", "anker_1:0-80", "anker_1:81-200"],
            "code": ["geld", "regels", None, "geld"],
            "coder": ["fleur", "fleur", "fleur", "fleur"],
            "active": ["True", "False", "True", "nee"],
        }
    )
    co = cooccurrence(df)
    assert list(co.index) == ["geld"] and co.loc["geld", "geld"] == 1
    assert code_report_matrix(df).to_dict("index") == {"geld": {"anker_1": 1}}
