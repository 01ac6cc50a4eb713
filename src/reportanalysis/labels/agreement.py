"""Agreement between coders at the anecdote level: percentage, Cohen's κ, Krippendorff's α.

The unit is an anecdote. A coder has coded an anecdote when they put at least one code on it;
anecdotes a coder never coded are *missing* for that coder (α handles that, κ and the
percentage use the anecdotes both coders coded).

- **per code**: each code is a present/absent decision per anecdote;
- **overall**: the set of codes a coder put on an anecdote is one nominal value (two coders
  agree when they chose exactly the same codes).

All figures are computed here with numpy (the tests check them against scikit-learn's
``cohen_kappa_score`` and the ``krippendorff`` package)::

    >>> import numpy as np
    >>> round(krippendorff_alpha([[0, 1, 1, np.nan], [0, 1, 0, 1], [0, 1, 1, 1]]), 3)
    0.643
    >>> round(cohen_kappa([0, 1, 1, 0], [0, 1, 0, 0]), 3)
    0.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from .views import codings

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AgreementReport",
    "agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "percent_agreement",
]

NAN = float("nan")


def _as_codes(matrix: Any) -> np.ndarray:
    """Coders × units as integer categories, -1 where missing (None or NaN)."""
    rows = [list(r) for r in matrix]
    flat = [v for r in rows for v in r if not _missing(v)]
    cats = {v: i for i, v in enumerate(sorted(set(flat), key=repr))}
    out = np.full((len(rows), max((len(r) for r in rows), default=0)), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if not _missing(v):
                out[i, j] = cats[v]
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent_agreement(matrix: Any) -> float:
    """Share of agreeing pairs among all pairs of coders who both coded a unit.

    >>> percent_agreement([["a", "b", None], ["a", "c", "c"]])
    0.5
    """
    codes = _as_codes(matrix)
    agree = total = 0
    for i, j in combinations(range(codes.shape[0]), 2):
        both = (codes[i] >= 0) & (codes[j] >= 0)
        total += int(both.sum())
        agree += int((codes[i][both] == codes[j][both]).sum())
    return agree / total if total else NAN


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cohen's κ of two coders over the units both coded (None/NaN: not coded).

    NaN when the chance agreement is 1 (both coders used a single, identical category).
    """
    codes = _as_codes([list(a), list(b)])
    both = (codes[0] >= 0) & (codes[1] >= 0)
    x, y = codes[0][both], codes[1][both]
    n = len(x)
    if n == 0:
        return NAN
    k = int(max(x.max(), y.max())) + 1
    confusion = np.zeros((k, k))
    np.add.at(confusion, (x, y), 1)
    p_o = np.trace(confusion) / n
    p_e = float((confusion.sum(0) * confusion.sum(1)).sum()) / n**2
    if p_e >= 1.0:
        return NAN
    return float((p_o - p_e) / (1 - p_e))


def krippendorff_alpha(matrix: Any) -> float:
    """Krippendorff's α for nominal data; coders × units, None/NaN for missing values.

    Units coded by fewer than two coders are not pairable and are ignored. NaN when fewer
    than two values are pairable or all pairable values are the same category.
    """
    codes = _as_codes(matrix)
    if codes.size == 0:
        return NAN
    k = int(codes.max()) + 1
    coincidence = np.zeros((k, k))
    for u in range(codes.shape[1]):
        values = codes[:, u][codes[:, u] >= 0]
        m = len(values)
        if m < 2:
            continue
        counts = np.bincount(values, minlength=k).astype(float)
        # pairs of values from different coders: n_c * n_k, minus the self-pairs on the diagonal
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = coincidence.sum(1)
    n = n_c.sum()
    if n < 2:
        return NAN
    disagree_observed = n - np.trace(coincidence)
    disagree_expected = (n**2 - (n_c**2).sum()) / (n - 1)
    if disagree_expected == 0:
        return NAN
    return float(1 - disagree_observed / disagree_expected)


@dataclass
class AgreementReport:
    """Agreement figures overall and per code, and the anecdotes the coders should discuss.

    ``overall`` has ``percent``, ``kappa`` (NaN unless exactly two coders), ``alpha``,
    ``units`` (anecdotes coded by at least two coders) and ``coders``; ``per_code`` one row per
    code with the same figures plus ``positives`` (anecdotes any coder put the code on);
    ``disagreements`` one row per anecdote × code on which the coders differ.
    """

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    overall: dict[str, float]
    per_code: pd.DataFrame
    disagreements: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """Per-code figures with an ``(overall)`` row on top."""
        import pandas as pd

        top = pd.DataFrame([{"code": "(overall)", **self.overall}])
        cols = ["code", "units", "positives", "percent", "kappa", "alpha"]
        return pd.concat([top, self.per_code], ignore_index=True).reindex(columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: figures as floats (NaN as None), frames as lists of records."""

        def clean(value: Any) -> Any:
            if isinstance(value, float | np.floating):
                return None if math.isnan(value) else float(value)
            if isinstance(value, np.integer):
                return int(value)
            return value

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: clean(v) for k, v in row.items()} for row in df.to_dict("records")]

        return {
            "coders": list(self.coders),
            "codes": list(self.codes),
            "overall": {k: clean(v) for k, v in self.overall.items()},
            "per_code": records(self.per_code),
            "disagreements": records(self.disagreements),
            "notes": list(self.notes),
        }


def _figures(matrix: list[list[Any]]) -> dict[str, float]:
    arr = _as_codes(matrix)
    pairable = int(((arr >= 0).sum(0) >= 2).sum()) if arr.size else 0
    return {
        "units": pairable,
        "percent": percent_agreement(matrix),
        "kappa": cohen_kappa(matrix[0], matrix[1]) if len(matrix) == 2 else NAN,
        "alpha": krippendorff_alpha(matrix),
    }


def agreement(
    labels_df: pd.DataFrame,
    *,
    coders: Iterable[str] | None = None,
    codes: Iterable[str] | None = None,
) -> AgreementReport:
    """Agreement of ``coders`` (default: all) on ``codes`` (default: all used) per anecdote.

    ``labels_df`` is a labels frame as :meth:`Project.labels_frame` returns it (``anecdote_id``,
    ``code``, ``coder``; rejected and open suggestions are ignored).
    """
    import pandas as pd

    df = codings(labels_df)
    coder_list = tuple(coders) if coders is not None else tuple(sorted(df["coder"].unique()))
    df = df[df["coder"].isin(coder_list)]
    code_list = tuple(codes) if codes is not None else tuple(sorted(df["code"].unique()))
    notes = []
    if len(coder_list) < 2:
        notes.append("agreement needs at least two coders")
    units = sorted(df["anecdote_id"].unique())
    sets = df.groupby(["coder", "anecdote_id"])["code"].agg(lambda s: frozenset(s))
    coded = {(c, u): sets[(c, u)] for c, u in sets.index}

    def value(coder: str, unit: str, code: str | None) -> Any:
        chosen = coded.get((coder, unit))
        if chosen is None:
            return None
        if code is None:
            return "|".join(sorted(chosen & set(code_list))) or "(geen)"
        return int(code in chosen)

    overall = {**_figures([[value(c, u, None) for u in units] for c in coder_list])}
    overall["coders"] = len(coder_list)
    rows, disagreements = [], []
    for code in code_list:
        matrix = [[value(c, u, code) for u in units] for c in coder_list]
        positives = sum(any(m[j] == 1 for m in matrix) for j in range(len(units)))
        rows.append({"code": code, "positives": positives, **_figures(matrix)})
        for j, unit in enumerate(units):
            present = [c for c, m in zip(coder_list, matrix, strict=True) if m[j] == 1]
            absent = [c for c, m in zip(coder_list, matrix, strict=True) if m[j] == 0]
            if present and absent:
                disagreements.append(
                    {
                        "anecdote_id": unit,
                        "report_id": df.loc[df["anecdote_id"] == unit, "report_id"].iloc[0],
                        "code": code,
                        "with_code": ", ".join(present),
                        "without_code": ", ".join(absent),
                    }
                )
    per_code = pd.DataFrame(
        rows, columns=["code", "units", "positives", "percent", "kappa", "alpha"]
    )
    dis = pd.DataFrame(
        disagreements, columns=["anecdote_id", "report_id", "code", "with_code", "without_code"]
    )
    return AgreementReport(coder_list, code_list, overall, per_code, dis, notes)
