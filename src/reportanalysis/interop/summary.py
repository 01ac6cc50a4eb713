"""What an import did: counts, the items skipped with their reasons, and notes on repairs."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ImportSummary"]


@dataclass
class ImportSummary:
    """Counts of what an import added to the project, what it skipped and why.

    ``skipped`` holds ``(item, reason)`` pairs: an item that was not imported. ``notes`` say
    what was repaired or interpreted on the way (positions counted in UTF-16, a label put on
    the anecdote that holds its selection …); nothing in a note was lost.

    >>> s = ImportSummary(source="project.qdpx", reports=2, labels=5)
    >>> s.skip("selection 3f2a…", "lies outside the text")
    >>> s.ok, s.lines()[0]
    (False, 'project.qdpx: 2 verslagen, 0 anekdotes, 0 codes, 5 labels, 0 gebruikers')
    >>> ImportSummary(source="x.csv", reports=1, labels=1, users=1).lines()[0]
    'x.csv: 1 verslag, 0 anekdotes, 0 codes, 1 label, 1 gebruiker'
    """

    source: str = ""
    reports: int = 0
    anecdotes: int = 0
    codes: int = 0
    labels: int = 0
    users: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def skip(self, item: str, reason: str) -> None:
        self.skipped.append((item, reason))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    @property
    def ok(self) -> bool:
        """True when nothing was skipped."""
        return not self.skipped

    def lines(self) -> list[str]:
        """A short Dutch summary for the command line, one line per item."""
        counts = (
            (self.reports, "verslag", "verslagen"),
            (self.anecdotes, "anekdote", "anekdotes"),
            (self.codes, "code", "codes"),
            (self.labels, "label", "labels"),
            (self.users, "gebruiker", "gebruikers"),
        )
        out = [
            f"{self.source}: "
            + ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
        ]
        out += [f"  let op: {n}" for n in self.notes]
        out += [f"  overgeslagen: {item}: {reason}" for item, reason in self.skipped]
        return out
