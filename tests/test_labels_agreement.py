"""Agreement between coders, cross-checked against scikit-learn and the krippendorff package;
views over a labels frame; the same on labels stored in a real Project."""

from __future__ import annotations

import math
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from reportanalysis.labels import (
    agreement,
    code_report_matrix,
    cohen_kappa,
    cooccurrence,
    krippendorff_alpha,
    percent_agreement,
)
from reportanalysis.model import Anecdote, Report
from reportanalysis.project import Project

CODES = ["vertrouwen", "regels", "subsidie", "draagvlak"]


def _random_labels(seed: int, coders: list[str], units: int, missing: float) -> pd.DataFrame:
    """Each coder codes most anecdotes with one or two codes; coders agree more than chance."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(units):
        truth = rng.choice(CODES, size=rng.integers(1, 3), replace=False)
        for coder in coders:
            if rng.random() < missing:
                continue
            chosen = {c for c in truth if rng.random() < 0.8}
            if rng.random() < 0.3:
                chosen.add(str(rng.choice(CODES)))
            for code in chosen or {str(truth[0])}:
                rows.append(
                    {"anecdote_id": f"groen_1:{u * 10}-{u * 10 + 9}", "code": code, "coder": coder}
                )
    return pd.DataFrame(rows)


def _matrix(df: pd.DataFrame, coders: list[str], code: str | None) -> np.ndarray:
    """Coders × units (all anecdotes anyone coded), NaN where the coder did not code it."""
    units = sorted(df["anecdote_id"].unique())
    values = {}
    for (coder, unit), codes in df.groupby(["coder", "anecdote_id"])["code"]:
        values[(coder, unit)] = (
            "|".join(sorted(set(codes))) if code is None else float(code in set(codes))
        )
    return np.array([[values.get((c, u), np.nan) for u in units] for c in coders], dtype=object)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_coders_match_sklearn_and_krippendorff(seed: int) -> None:
    df = _random_labels(seed, ["ilse", "joost"], units=60, missing=0.1)
    report = agreement(df)
    for code in CODES:
        m = _matrix(df, ["ilse", "joost"], code)
        both = ~pd.isna(m).any(axis=0)
        expected_kappa = cohen_kappa_score(m[0, both].astype(int), m[1, both].astype(int))
        expected_alpha = krippendorff.alpha(
            reliability_data=m.astype(float), level_of_measurement="nominal"
        )
        row = report.per_code.set_index("code").loc[code]
        assert row["kappa"] == pytest.approx(expected_kappa, abs=1e-9)
        assert row["alpha"] == pytest.approx(expected_alpha, abs=1e-9)
        assert row["percent"] == pytest.approx((m[0, both] == m[1, both]).mean())
    m = _matrix(df, ["ilse", "joost"], None)
    both = ~pd.isna(m).any(axis=0)
    assert report.overall["kappa"] == pytest.approx(
        cohen_kappa_score(m[0, both].astype(str), m[1, both].astype(str)), abs=1e-9
    )


@pytest.mark.parametrize("seed", [3, 4])
def test_three_coders_with_missing_values_match_krippendorff(seed: int) -> None:
    coders = ["ilse", "joost", "karim"]
    df = _random_labels(seed, coders, units=50, missing=0.3)
    report = agreement(df)
    assert math.isnan(report.overall["kappa"])  # κ is for two coders
    for code in CODES:
        m = _matrix(df, coders, code).astype(float)
        assert np.isnan(m).any()
        expected = krippendorff.alpha(reliability_data=m, level_of_measurement="nominal")
        assert report.per_code.set_index("code").loc[code, "alpha"] == pytest.approx(expected)
    overall = _matrix(df, coders, None)
    cats = {v: i for i, v in enumerate(sorted({v for v in overall.ravel() if isinstance(v, str)}))}
    numeric = np.array([[cats.get(v, np.nan) for v in row] for row in overall], dtype=float)
    expected = krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal")
    assert report.overall["alpha"] == pytest.approx(expected)


def test_small_case_by_hand_and_disagreement_table() -> None:
    df = pd.DataFrame(
        [
            ("anker_1:0-10", "regels", "ilse", "manual"),
            ("anker_1:0-10", "regels", "joost", "manual"),
            ("anker_1:11-20", "vertrouwen", "ilse", "manual"),
            ("anker_1:11-20", "regels", "joost", "suggested-accepted"),
            ("anker_1:11-20", "vertrouwen", "joost", "suggested-rejected"),  # not a coding
            ("anker_2:0-10", "vertrouwen", "ilse", "manual"),
        ],
        columns=["anecdote_id", "code", "coder", "source"],
    )
    report = agreement(df)
    assert report.overall["units"] == 2  # anker_2 was coded by one coder only
    assert report.overall["percent"] == 0.5
    dis = report.disagreements.set_index("code")
    assert set(dis.index) == {"regels", "vertrouwen"}
    assert dis.loc["vertrouwen", "with_code"] == "ilse"
    assert dis.loc["vertrouwen", "without_code"] == "joost"
    assert dis.loc["regels", "anecdote_id"] == "anker_1:11-20"
    frame = report.to_frame()
    assert frame["code"].tolist() == ["(overall)", "regels", "vertrouwen"]
    as_dict = report.to_dict()
    assert as_dict["overall"]["percent"] == 0.5
    assert as_dict["per_code"][0]["code"] == "regels"
    assert len(as_dict["disagreements"]) == 2


def test_functions_on_plain_matrices() -> None:
    assert percent_agreement([["a", "a", None], ["a", "b", "b"]]) == 0.5
    assert math.isnan(krippendorff_alpha([[1, 1], [1, 1]]))  # one category: undefined
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0


def test_views_count_anecdotes_not_rows() -> None:
    df = pd.DataFrame(
        [
            ("anker_1:0-10", "regels", "ilse", "manual"),
            ("anker_1:0-10", "regels", "joost", "manual"),
            ("anker_1:0-10", "subsidie", "joost", "manual"),
            ("groen_2:5-50", "regels", "ilse", "manual"),
            ("groen_2:5-50", "subsidie", "ilse", "suggested-rejected"),
        ],
        columns=["anecdote_id", "code", "coder", "source"],
    )
    matrix = code_report_matrix(df)
    assert matrix.loc["regels"].to_dict() == {"anker_1": 1, "groen_2": 1}
    assert matrix.loc["subsidie"].to_dict() == {"anker_1": 1, "groen_2": 0}
    co = cooccurrence(df)
    assert co.loc["regels", "regels"] == 2
    assert co.loc["regels", "subsidie"] == co.loc["subsidie", "regels"] == 1


def test_agreement_on_labels_stored_in_a_project(tmp_path: Path) -> None:
    text = (
        "Karin belde Thijs de dag erna om te vragen hoe het ging.\n"
        "De bakken mogen zonder aparte vergunning op de parkeerstrook staan.\n"
        "Het klimaatadaptatiefonds betaalt twaalf plantenbakken."
    )
    report = Report(id="groen_2", source="groen_2.txt", format="txt", text=text)
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append(Anecdote.from_span(report, start, start + len(line)))
        start += len(line) + 1
    with Project.create(tmp_path / "p.ra") as project:
        project.add_report(report)
        project.set_anecdotes("groen_2", spans)
        a, b, c = (s.id for s in spans)
        for coder in ("ilse", "joost"):
            project.label(a, "vertrouwen", coder=coder)
            project.label(c, "subsidie", coder=coder)
        project.label(b, "regels", coder="ilse")
        project.label(b, "subsidie", coder="joost")
        project.unlabel(b, "subsidie", coder="joost")
        project.label(b, "regels", coder="joost")
        frame = project.labels_frame()
    report_ = agreement(frame)
    assert report_.overall["percent"] == 1.0
    assert report_.disagreements.empty
    assert code_report_matrix(frame).loc["regels", "groen_2"] == 1
