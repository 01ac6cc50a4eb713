"""The data that flows through the pipeline: plain frozen dataclasses, no I/O.

files → :class:`Report` → :class:`Anecdote` → :class:`Label` / :class:`Theme` → recommendations.

Every collection turns into a tidy DataFrame with :func:`to_frame`, one row per item::

    >>> r = Report(id="anker_1", source="anker_1.txt", format="txt", text="Hallo.\\r\\nDag.")
    >>> a = Anecdote.from_span(r, 0, 6, order=0)
    >>> a.text, a.id
    ('Hallo.', 'anker_1:0-6')
    >>> list(to_frame([a]).columns)[:5]
    ['id', 'report_id', 'start', 'end', 'text']
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ANECDOTE_COLUMNS",
    "AnalysisTables",
    "LABEL_SOURCES",
    "Anecdote",
    "Code",
    "Codebook",
    "Label",
    "LabelSource",
    "Report",
    "Theme",
    "content_hash",
    "to_frame",
]

LabelSource = Literal["manual", "suggested", "suggested-accepted", "suggested-rejected", "imported"]
LABEL_SOURCES: tuple[str, ...] = (
    "manual",
    "suggested",
    "suggested-accepted",
    "suggested-rejected",
    "imported",
)


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text: the identity of a report's content.

    >>> content_hash("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _freeze(mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(mapping or {})


@dataclass(frozen=True)
class Report:
    """One visit report, its text exactly as decoded (line endings kept).

    ``metadata`` holds what the metadata block at the top said (``initiatief``, ``bezoek``,
    ``datum`` as ISO date, ``onderzoeksduo`` …) and what the reader knew (sheet row, encoding).
    """

    id: str
    source: str
    format: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    sha256: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", _freeze(self.metadata))
        if not self.sha256:
            object.__setattr__(self, "sha256", content_hash(self.text))


@dataclass(frozen=True)
class Anecdote:
    """A passage of a report about one episode, observation or opinion.

    ``start``/``end`` are ``str`` offsets into :attr:`Report.text` (code points, end exclusive),
    so ``report.text[start:end] == anecdote.text`` always holds. ``section`` is the heading or
    guide question the anecdote falls under; ``order`` its position in the report.
    """

    id: str
    report_id: str
    start: int
    end: int
    text: str
    section: str | None = None
    order: int = 0

    @staticmethod
    def make_id(report_id: str, start: int, end: int) -> str:
        """The stable id of a span: ``report:start-end``."""
        return f"{report_id}:{start}-{end}"

    @classmethod
    def from_span(
        cls, report: Report, start: int, end: int, *, section: str | None = None, order: int = 0
    ) -> Anecdote:
        """Cut an anecdote out of ``report`` so its text is exactly the slice."""
        if not 0 <= start < end <= len(report.text):
            raise ValueError(f"{report.id}: span {start}-{end} lies outside the text")
        return cls(
            id=cls.make_id(report.id, start, end),
            report_id=report.id,
            start=start,
            end=end,
            text=report.text[start:end],
            section=section,
            order=order,
        )


@dataclass(frozen=True)
class Code:
    """One code of a codebook; ``parent`` names the parent code for hierarchies."""

    name: str
    definition: str = ""
    parent: str | None = None
    inclusion: str = ""
    exclusion: str = ""
    examples: tuple[str, ...] = ()
    color: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "examples", tuple(self.examples))

    def description(self) -> str:
        """Definition, inclusion notes and examples as one text (for zero-shot matching)."""
        parts = [self.name, self.definition, self.inclusion, *self.examples]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Codebook:
    """An ordered set of codes with unique names.

    >>> cb = Codebook.from_mapping({"vertrouwen": "Wederzijds vertrouwen", "regels": "Regels"})
    >>> cb.names
    ('vertrouwen', 'regels')
    >>> cb["regels"].definition
    'Regels'
    """

    codes: tuple[Code, ...] = ()
    name: str = "codebook"

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(self.codes))
        seen: set[str] = set()
        for code in self.codes:
            if code.name in seen:
                raise ValueError(f"codebook {self.name!r}: code {code.name!r} appears twice")
            seen.add(code.name)
        for code in self.codes:
            if code.parent is not None and code.parent not in seen:
                raise ValueError(
                    f"codebook {self.name!r}: code {code.name!r} has unknown parent {code.parent!r}"
                )

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str], name: str = "codebook") -> Codebook:
        """A flat codebook from ``{name: definition}``."""
        return cls(tuple(Code(k, str(v)) for k, v in mapping.items()), name=name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.codes)

    def __getitem__(self, name: str) -> Code:
        for code in self.codes:
            if code.name == name:
                return code
        raise KeyError(f"codebook {self.name!r} has no code {name!r}")

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def children(self, name: str | None) -> tuple[Code, ...]:
        """Codes whose parent is ``name`` (``None``: the top level)."""
        return tuple(c for c in self.codes if c.parent == name)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Label:
    """A code put on an anecdote by a coder.

    The span (``report_id``, ``start``, ``end``) is kept with the label so a label follows its
    text when the report is split again. ``active`` is False for a removal: the history keeps it.
    """

    anecdote_id: str
    code: str
    coder: str
    source: LabelSource = "manual"
    confidence: float | None = None
    time: datetime = field(default_factory=_now)
    report_id: str | None = None
    start: int | None = None
    end: int | None = None
    active: bool = True


@dataclass(frozen=True)
class Theme:
    """A group of anecdotes about one topic of the collaboration."""

    id: int
    label: str
    keywords: tuple[str, ...] = ()
    anecdote_ids: tuple[str, ...] = ()
    representative_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "anecdote_ids", tuple(self.anecdote_ids))
        object.__setattr__(self, "representative_ids", tuple(self.representative_ids))

    @property
    def size(self) -> int:
        return len(self.anecdote_ids)


def _row(item: Any) -> dict[str, Any]:
    row = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            continue  # nested collections get their own frame
        row[f.name] = value
    return row


def to_frame(items: Iterable[Any] | Codebook, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A tidy DataFrame, one row per dataclass item, columns in field order.

    An empty collection still gets the columns, when they are given or can be derived.
    """
    import pandas as pd

    if isinstance(items, Codebook):
        items = items.codes
    rows = [_row(item) for item in items]
    if not rows and columns is None:
        return pd.DataFrame()
    return pd.DataFrame(rows, columns=list(columns) if columns else None)


#: Columns of the anecdote table the report is built from (``AnalysisTables.anecdotes``).
ANECDOTE_COLUMNS: tuple[str, ...] = (
    "id",
    "report_id",
    "start",
    "end",
    "text",
    "section",
    "order",
    "theme",
    "theme_label",
    "practice",
    "secondary_practice",
    "practice_score",
    "kind",
    "kind_score",
    "initiative",  # optional: the report's metadata, for theme × initiative/visit views
    "visit",
)


@dataclass
class AnalysisTables:
    """Everything a recommendations report is built from, as tidy DataFrames.

    Text in ``anecdotes.text`` is already the text that may circulate (pseudonymised unless
    ``pseudonymised`` is False). Columns:

    - ``reports``: id, source, format, sha256, initiative, visit, date, plus other metadata;
    - ``anecdotes``: :data:`ANECDOTE_COLUMNS` (start/end point into the original report text);
    - ``themes``: id, label, keywords (list of str), size, representative_ids (list of str);
    - ``practices``: code, name, definition — the framework the anecdotes were mapped onto;
    - ``labels``: anecdote_id, code, coder, source, confidence, time (may be empty);
    - ``agreement``: the coders' agreement figures, or None when there was one coder;
    - ``settings``: seed, versions, configuration — for the method appendix;
    - ``actions``: the agreements (afspraken) the reports list under headings of their own —
      report_id, start, end, section, text — no anecdotes, but what a second visit looks
      back on (may be None).
    """

    reports: pd.DataFrame
    anecdotes: pd.DataFrame
    themes: pd.DataFrame
    practices: pd.DataFrame
    labels: pd.DataFrame
    agreement: dict[str, Any] | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    pseudonymised: bool = True
    actions: pd.DataFrame | None = None
