"""The pseudonymised view of a set of reports that everything circulating shows.

The pipeline's report and the exports (and the imports that map them back) share it.
Exports circulate: they show the text the project's last run pseudonymised (the same
settings and seed give the same pseudonyms), never the original names, unless the caller asks
for the originals. :func:`project_masking` builds that view from ``project.runs()``;
:class:`Masking` gives the pseudonymised text of a span, report ids and metadata with names
masked, and maps positions in a pseudonymised text back onto the original (what an import of
a pseudonymised export needs).

:func:`unmap_span` is the inverse of :func:`reportanalysis.privacy.map_span`: a span that
touches a pseudonym covers the whole original it replaced::

    >>> from reportanalysis.privacy import Replacement
    >>> reps = [Replacement(4, 10, 4, 15, "person", "[PERSOON 1]")]
    >>> unmap_span(reps, 0, 3), unmap_span(reps, 4, 15), unmap_span(reps, 6, 17)
    ((0, 3), (4, 10), (4, 12))
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Report
    from ..project import Project
    from ._pseudonymiser import Pseudonymised, Pseudonymiser, Replacement

__all__ = ["Masking", "privacy_settings", "project_masking", "pseudonymiser_params", "unmap_span"]


def unmap_span(replacements: Sequence[Replacement], pstart: int, pend: int) -> tuple[int, int]:
    """Offsets in the pseudonymised text → offsets in the original text."""
    if pstart > pend:
        raise ValueError(f"span {pstart}-{pend}: start lies after end")
    pends = [r.pend for r in replacements]

    def back(pos: int, *, is_end: bool) -> int:
        k = bisect.bisect_left(pends, pos) if is_end else bisect.bisect_right(pends, pos)
        if k < len(replacements):
            r = replacements[k]
            if (r.pstart < pos <= r.pend) if is_end else (r.pstart <= pos < r.pend):
                return r.end if is_end else r.start
        j = bisect.bisect_right(pends, pos)
        return pos + (replacements[j - 1].end - replacements[j - 1].pend if j else 0)

    start = back(pstart, is_end=False)
    end = back(pend, is_end=True) if pend > pstart else start
    return start, max(start, end)


def pseudonymiser_params(config: Mapping[str, Any]) -> dict[str, Any] | None:
    """The Pseudonymiser's parameters in a run's configuration (as a dict: its ``privacy``
    section and ``seed``); None when it switches privacy off.

    >>> pseudonymiser_params({"seed": 3, "privacy": {"enabled": True, "keep": ["Buurtkamer"]}})
    {'keep': ['Buurtkamer'], 'seed': 3}
    """
    privacy = dict(config.get("privacy") or {})
    if not privacy.get("enabled", True):
        return None
    # a key never comes from the configuration (that is stored in the project): only its path
    params = {k: v for k, v in privacy.items() if k not in ("enabled", "key", "previous_key")}
    params.setdefault("seed", int(config.get("seed", 0) or 0))
    return params


def privacy_settings(project: Project) -> dict[str, Any] | None:
    """The Pseudonymiser's parameters of the project's last run (:func:`pseudonymiser_params`),
    the defaults when nothing ran yet; None when that run switched privacy off.

    When that run's configuration names a key file (``[privacy] key``) that exists, the key is
    read (:func:`~reportanalysis.privacy.read_key`) and passed as ``previous_key``, so exports
    show the pseudonyms the run's report shows. The project stores the path, never the key.
    """
    runs = project.runs()
    config = (runs[-1].get("config") if runs else None) or {}
    params = pseudonymiser_params(config)
    key = (config.get("privacy") or {}).get("key")
    key = Path(key).expanduser() if key else None
    if params is not None and key and key.exists():
        from ._pseudonymiser import read_key

        params["previous_key"] = read_key(key)
    return params


@dataclass
class Masking:
    """Pseudonymised reports of a project and the pseudonymiser fitted on all of them."""

    pseudonymiser: Pseudonymiser
    by_report: dict[str, Pseudonymised]
    report_ids: dict[str, str] = field(default_factory=dict)  # original id → masked id
    _masked: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def fit(cls, reports: Sequence[Report], **params: Any) -> Masking:
        """Fit a Pseudonymiser (``params`` go to it) on ``reports`` and transform each."""
        from ._pseudonymiser import Pseudonymiser

        ps = Pseudonymiser(**params).fit(reports)
        masking = cls(ps, {r.id: ps.transform(r) for r in reports})
        taken: set[str] = set()
        for r in reports:  # as the report does: ids stay unique, so tables still join
            base = masking.mask(r.id)
            masked, n = base, 2
            while masked in taken:
                masked, n = f"{base}-{n}", n + 1
            masking.report_ids[r.id] = masked
            taken.add(masked)
        return masking

    def mask(self, text: str) -> str:
        """``text`` (a heading, a metadata value) with the project's pseudonyms."""
        if text not in self._masked:
            self._masked[text] = self.pseudonymiser.transform_text(text) if text else text
        return self._masked[text]

    def mask_value(self, value: Any) -> Any:
        """A metadata value: strings masked, numbers and flags as they are."""
        return self.mask(value) if isinstance(value, str) else value

    def mask_metadata(self, metadata: Mapping[str, Any]) -> dict[str, Any]:
        """Every string value of ``metadata`` masked."""
        return {k: self.mask_value(v) for k, v in metadata.items()}

    def report_id(self, report_id: str) -> str:
        """The id a report has in everything that circulates."""
        return self.report_ids.get(report_id) or self.mask(report_id)

    def original_report_id(self, masked: str) -> str | None:
        """The project's report behind a masked id (None if no report has it)."""
        return self._originals.get(masked)

    @functools.cached_property
    def _originals(self) -> dict[str, str]:
        # masked id → original: the ids are unique, and an import asks once per row
        return {m: original for original, m in self.report_ids.items()}

    def span(self, report_id: str, start: int, end: int) -> tuple[int, int]:
        """Original offsets → offsets in the pseudonymised text of ``report_id``."""
        return self.by_report[report_id].map_span(start, end)

    def text(self, report_id: str, start: int, end: int) -> str:
        """The pseudonymised text of the original span ``start:end``."""
        return self.by_report[report_id].span_text(start, end)

    def to_original(self, report_id: str, pstart: int, pend: int) -> tuple[int, int]:
        """Offsets in the pseudonymised text of ``report_id`` → original offsets."""
        return unmap_span(self.by_report[report_id].replacements, pstart, pend)

    def by_sha256(self) -> dict[str, str]:
        """The sha256 of each pseudonymised text → its report's (original) id."""
        from ..model import content_hash

        return {content_hash(p.text): rid for rid, p in self.by_report.items()}


def project_masking(project: Project) -> Masking | None:
    """The pseudonymised view of ``project`` with its last run's privacy settings; None when
    privacy was switched off for that run."""
    params = privacy_settings(project)
    if params is None:
        return None
    return Masking.fit(project.reports(), **params)
