"""The recommendations report as plain frozen dataclasses: what every renderer draws from.

:class:`Recommendations` is the whole report; :meth:`Recommendations.to_dict` is its JSON form.
Anecdotes are cited by short references (``A1``, ``A2`` …, in report order) that every output
format shows the same way, each with its report id and place in the report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .i18n import strings

__all__ = [
    "Agreement",
    "AgreementRow",
    "AnecdoteRef",
    "Appendix",
    "ChangeRow",
    "Count",
    "Disagreement",
    "LabelRow",
    "Matrix",
    "Overview",
    "PracticeSection",
    "Recommendation",
    "Recommendations",
    "ReportRow",
    "ThemeSection",
    "VisitChange",
]


@dataclass(frozen=True)
class AnecdoteRef:
    """One anecdote as the report cites it: ``ref`` (``A12``) plus where it comes from."""

    ref: str
    id: str
    report_id: str
    start: int
    end: int
    line: int | None
    place: str
    text: str
    section: str | None
    theme: str | None
    theme_label: str | None
    practice: str | None
    secondary_practice: str | None
    kind: str | None
    initiative: str | None
    visit: int | None


@dataclass(frozen=True)
class Count:
    """A count and its share of a whole (``share`` in 0..1)."""

    key: str
    label: str
    count: int
    share: float


@dataclass(frozen=True)
class Recommendation:
    """A recommendation drawn from the text of the anecdotes it cites.

    ``text`` is a sentence taken verbatim from the first cited anecdote; ``cue`` says why it was
    chosen (``afspraak``: an agreement, ``voorstel``: a proposal or wish, ``knelpunt``: a
    bottleneck to address); ``audience`` is ``gemeente`` or ``initiatiefnemers``.
    """

    audience: str
    cue: str
    lead: str
    text: str
    theme_label: str
    anecdote_ids: tuple[str, ...]
    refs: tuple[str, ...]
    score: float
    #: The references as the report prints them, with the visits they come from
    #: ("A15, A16 · bezoek 1"): a point from a first visit may be settled by the second.
    cite: str = ""


@dataclass(frozen=True)
class ThemeSection:
    """One theme: its size and spread, kinds, practices, quotes and recommendations."""

    id: str
    label: str
    keywords: tuple[str, ...]
    size: int
    n_reports: int
    n_initiatives: int
    report_share: float
    initiative_share: float
    kinds: tuple[Count, ...]
    practices: tuple[Count, ...]
    successes: tuple[str, ...]
    bottlenecks: tuple[str, ...]
    improvements: tuple[str, ...]
    quotes: tuple[AnecdoteRef, ...]
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class PracticeSection:
    """One work practice: how often it shows, its strengths and its weak spots."""

    code: str
    name: str
    definition: str
    count: int
    kinds: tuple[Count, ...]
    strengths: tuple[AnecdoteRef, ...]
    weak_spots: tuple[AnecdoteRef, ...]


@dataclass(frozen=True)
class ChangeRow:
    """A category counted at the first and at the second visit (shares within each visit)."""

    key: str
    label: str
    count_first: int
    share_first: float
    count_second: int
    share_second: float
    delta: float


@dataclass(frozen=True)
class VisitChange:
    """The change between two visits; ``available`` is False when there is only one visit."""

    available: bool
    first: int | None
    second: int | None
    by_practice: tuple[ChangeRow, ...] = ()
    by_kind: tuple[ChangeRow, ...] = ()
    themes_rose: tuple[ChangeRow, ...] = ()
    themes_fell: tuple[ChangeRow, ...] = ()
    #: Anecdotes not compared (of ``total``): their report has no visit number, or is of a
    #: later visit.
    left_out: int = 0
    total: int = 0


@dataclass(frozen=True)
class ActionRow:
    """An agreement a report lists under a heading of its own ("Afspraken"): no anecdote, but
    what the second visit looks back on."""

    report_id: str
    initiative: str | None
    visit: int | None
    section: str
    text: str
    #: The initiative and visit as the report shows them ("Het Anker, bezoek 1").
    where: str = ""


@dataclass(frozen=True)
class Matrix:
    """A count table: ``values[i][j]`` anecdotes in row ``rows[i]`` and column ``columns[j]``."""

    name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class ReportRow:
    """One analysed report."""

    id: str
    source: str
    format: str
    initiative: str | None
    visit: int | None
    date: str | None
    anecdotes: int


@dataclass(frozen=True)
class LabelRow:
    """One label a coder put on an anecdote (``time`` as ISO text)."""

    ref: str
    anecdote_id: str
    code: str
    coder: str
    source: str
    confidence: float | None
    time: str | None


@dataclass(frozen=True)
class AgreementRow:
    """Agreement on one code (``code`` None: on the whole set of codes per anecdote).

    ``units`` anecdotes were coded by at least two coders; ``percent`` is a share in 0..1;
    ``kappa`` (two coders only) and ``alpha`` are None where they are undefined;
    ``disagreements`` counts the anecdotes on which the coders differ.
    """

    code: str | None
    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    disagreements: int


@dataclass(frozen=True)
class Disagreement:
    """An anecdote one coder gave ``code`` and another did not."""

    ref: str
    anecdote_id: str
    code: str
    with_code: str
    without_code: str


@dataclass(frozen=True)
class Agreement:
    """Agreement between coders: overall first, then per code, and the anecdotes to discuss."""

    coders: tuple[str, ...]
    rows: tuple[AgreementRow, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def overall(self) -> AgreementRow:
        return self.rows[0]


@dataclass(frozen=True)
class Overview:
    """The counts at the top of the report."""

    n_reports: int
    n_initiatives: int
    visits: tuple[int, ...]
    n_anecdotes: int
    n_themes: int
    coders: tuple[str, ...]
    n_labels: int
    agreement: Agreement | None
    period_start: str | None
    period_end: str | None
    pseudonymised: bool
    kinds: tuple[Count, ...]
    practices: tuple[Count, ...]


@dataclass(frozen=True)
class Appendix:
    """Method and data: the reports analysed and the settings (seed, versions, configuration)."""

    reports: tuple[ReportRow, ...]
    settings: tuple[tuple[str, str], ...]
    seed: str | None
    versions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Recommendations:
    """The whole report, in one language; renderers only format what is here."""

    language: str
    title: str
    generated: str | None
    overview: Overview
    key_recommendations: tuple[Recommendation, ...]
    themes: tuple[ThemeSection, ...]
    practices: tuple[PracticeSection, ...]
    change: VisitChange
    appendix: Appendix
    anecdotes: tuple[AnecdoteRef, ...]
    labels: tuple[LabelRow, ...]
    theme_practice: Matrix
    theme_kind: Matrix
    practice_names: dict[str, str] = field(default_factory=dict)
    actions: tuple[ActionRow, ...] = ()

    @property
    def t(self) -> Mapping[str, str]:
        """The fixed strings of :attr:`language`."""
        return strings(self.language)

    def anecdote(self, ref: str) -> AnecdoteRef:
        """The anecdote with short reference ``ref`` (``A12``) or id."""
        for a in self.anecdotes:
            if ref in (a.ref, a.id):
                return a
        raise KeyError(ref)

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready builtins (tuples become lists)."""
        return dataclasses.asdict(self)
