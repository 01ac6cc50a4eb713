"""The project store: one SQLite file that holds a whole analysis.

A :class:`Project` keeps the reports exactly as ingested, their anecdotes, the manual segment
edits (replayed after every re-split), the labels of every coder with their full history,
codebooks, model annotations, themes, an edit log for other steps, an embedding cache and a
record of runs::

    >>> import tempfile, pathlib
    >>> from reportanalysis.model import Report, Anecdote
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with Project.create(folder / "analyse.ra") as project:
    ...     r = Report(id="anker_1", source="anker_1.txt", format="txt",
    ...                text="Mehmet komt elke week langs. De subsidie liep vast.")
    ...     project.add_report(r)
    ...     update = project.set_anecdotes("anker_1", [Anecdote.from_span(r, 0, 28),
    ...                                                Anecdote.from_span(r, 29, 51)])
    ...     label = project.label("anker_1:0-28", "P2", coder="fleur")
    ...     merged = project.merge_anecdotes("anker_1:0-28", "anker_1:29-51")
    ...     [(lb.anecdote_id, lb.code) for lb in project.labels()]
    [('anker_1:0-51', 'P2')]

Labels keep their span (report, start, end), so they follow the text: after a re-split a label
moves to the anecdote with the same span, else to the anecdote that holds most of the old span
if it covers at least half of it (:func:`reportanalysis.edits.reanchor_labels`); a label returns
to the anecdotes inside its span it was moved away from (undoing a merge gives each part its
labels back). When two labels of one coder and code meet on one anecdote, the latest decision
(label or removal) wins. A label whose text no anecdote holds any more stays in the history and
is listed by :meth:`Project.orphaned_labels`; it comes back by itself when its span does. Every
move is two rows in the history (event ``moved``): nothing is overwritten.

A report file edited and read in again (:meth:`Project.add_reports`, same source, other text)
replaces the stored report under the same id. Labels on passages that did not change follow
them to their new offsets; a label whose passage changed is orphaned (event ``outdated``) until
a coder labels the new text, and :meth:`Project.label_text` still shows what it was put on.

Durability and concurrency
--------------------------
"A label the API has acknowledged is on disk": every write method is one transaction, started
with ``BEGIN IMMEDIATE`` (so two writers queue on the write lock instead of failing halfway) and
committed before the method returns. The journal is WAL with ``synchronous=FULL``: each commit
fsyncs the WAL, so an acknowledged write survives a killed process *and* a power cut.
``NORMAL`` would also survive a killed process (the WAL is in the OS page cache) but may lose the
last commits on power loss; the fsync per commit is cheap next to an analyst's labelling pace,
so we take the safe one. ``busy_timeout`` (``timeout=``, 30 s by default) makes a second process
wait for the lock rather than fail. Foreign keys are on.

Schema changes go in :data:`MIGRATIONS`; :meth:`Project.open` applies the missing ones in one
transaction and refuses files written by a newer version.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .edits import FailedEdit, SegmentEdit, apply_edit, apply_edits, reanchor_labels
from .errors import ProjectError, UnknownItemError
from .model import LABEL_SOURCES, Anecdote, Code, Codebook, Label, Report, Theme

if TYPE_CHECKING:
    import pandas as pd

    from ._textdiff import OffsetMap
    from .ingest import IngestResult

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Project",
    "ProjectEmbeddingCache",
    "SegmentUpdate",
]

#: ``PRAGMA application_id`` of a project file ("RAP1").
APPLICATION_ID = 0x52415031

#: Each entry takes the schema from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 -> 1: reports, anecdotes, segment edits, labels, codebooks
    (
        """CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            format TEXT NOT NULL,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            metadata TEXT NOT NULL DEFAULT '{}',
            added TEXT NOT NULL
        )""",
        """CREATE TABLE anecdotes (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            section TEXT,
            ord INTEGER NOT NULL,
            CHECK (0 <= start AND start < "end")
        )""",
        "CREATE INDEX anecdotes_report ON anecdotes(report_id, start)",
        """CREATE TABLE segment_edits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            edit TEXT NOT NULL,
            time TEXT NOT NULL
        )""",
        """CREATE TABLE labels (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            anecdote_id TEXT NOT NULL,
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code TEXT NOT NULL,
            coder TEXT NOT NULL,
            source TEXT NOT NULL,
            confidence REAL,
            active INTEGER NOT NULL,
            time TEXT NOT NULL
        )""",
        "CREATE INDEX labels_key ON labels(anecdote_id, code, coder, id)",
        """CREATE TABLE codebooks (
            name TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            saved TEXT NOT NULL
        )""",
    ),
    # 1 -> 2: why a label row was written, labels by report; model outputs, themes, edit log,
    # embeddings, runs
    (
        "ALTER TABLE labels ADD COLUMN event TEXT NOT NULL DEFAULT 'label'",
        "UPDATE labels SET event = 'unlabel' WHERE active = 0",
        "CREATE INDEX labels_report ON labels(report_id, anecdote_id, code, coder, id)",
        """CREATE TABLE annotations (
            anecdote_id TEXT NOT NULL REFERENCES anecdotes(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            value TEXT,
            score REAL,
            run_id INTEGER,
            PRIMARY KEY (anecdote_id, field)
        )""",
        """CREATE TABLE themes (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            keywords TEXT NOT NULL,
            anecdote_ids TEXT NOT NULL,
            representative_ids TEXT NOT NULL
        )""",
        """CREATE TABLE edits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scope TEXT NOT NULL,
            action TEXT NOT NULL,
            payload TEXT NOT NULL,
            time TEXT NOT NULL
        )""",
        "CREATE INDEX edits_scope ON edits(scope, id)",
        """CREATE TABLE embeddings (
            model TEXT NOT NULL,
            key TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, key)
        ) WITHOUT ROWID""",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            info TEXT NOT NULL
        )""",
        """CREATE TABLE auto_segments (
            report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
            spans TEXT NOT NULL,
            time TEXT NOT NULL
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)

_LABEL_COLUMNS = (
    "anecdote_id",
    "report_id",
    "start",
    "end",
    "code",
    "coder",
    "source",
    "confidence",
    "time",
)


@dataclass(frozen=True)
class SegmentUpdate:
    """What :meth:`Project.set_anecdotes` did to one report.

    ``anecdotes``: the stored segmentation (stored edits applied); ``orphaned_labels``: current
    labels of the report whose text no anecdote holds (kept in the history);
    ``edits_failed``: stored edits that no longer apply, each with its reason.
    """

    anecdotes: list[Anecdote]
    orphaned_labels: list[Label]
    edits_failed: list[FailedEdit]


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _is_empty(value: Any) -> bool:
    """An empty spreadsheet cell: None, NaN/NaT/NA from pandas, or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    import pandas as pd  # loaded already: the cell came from a DataFrame

    try:
        return bool(pd.isna(value))  # NaN, NaT, pd.NA
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def _cell_text(value: Any) -> str | None:
    """A cell as text, None when empty; whole floats lose their ".0" (a code column of numbers
    with a gap is read by pandas as floats)."""
    if _is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_number(value: Any, where: str) -> float | None:
    """A confidence cell as a float (a Dutch decimal comma is accepted), None when empty."""
    if _is_empty(value):
        return None
    try:
        return float(value.replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ProjectError(f"{where} {value!r} is not a number between 0 and 1") from None


_TRUE_TEXT = frozenset({"true", "1", "1.0", "ja", "j", "yes", "y", "waar", "aan", "on"})
_FALSE_TEXT = frozenset({"false", "0", "0.0", "nee", "n", "no", "onwaar", "uit", "off"})


def parse_flag(value: Any) -> bool | None:
    """A yes/no cell as a spreadsheet holds it: empty is True (the default), "False", "0",
    "nee" False, "True", "1", "ja" True; None for other text. Also read by the label views.

    >>> [parse_flag(v) for v in (None, float("nan"), "False", "nee", "Ja", 0, 1.0, "misschien")]
    [True, True, False, False, True, False, True, None]
    """
    if _is_empty(value):
        return True
    if isinstance(value, str):
        text = value.strip().lower()
        return True if text in _TRUE_TEXT else False if text in _FALSE_TEXT else None
    return bool(value)


def _cell_flag(value: Any, where: str) -> bool:
    """An ``active`` cell as a flag (:func:`parse_flag`); other text is an error."""
    flag = parse_flag(value)
    if flag is None:
        raise ProjectError(f"{where} {value!r} is not true or false (use True/False or ja/nee)")
    return flag


_TABLE_FORMATS = frozenset({"csv", "xlsx"})


def _source_key(source: str) -> str:
    """A report's source as compared between ingests: ``./verslagen//a.txt`` is
    ``verslagen/a.txt`` (a zip member keeps its ``archive!member`` form)."""
    return os.path.normpath(source)


def _rows(index: Sequence[Any], limit: int = 10) -> str:
    """'row 3 has' / 'rows 3, 7 have', listing at most ``limit`` of them."""
    shown = ", ".join(str(i) for i in index[:limit])
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return f"row {shown} has" if len(index) == 1 else f"rows {shown}{more} have"


class Project:
    """One analysis in one SQLite file. Make one with :meth:`create`, reopen with :meth:`open`.

    A Project is used from one thread; several processes may open the same file at once.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        # use Project.create / Project.open
        self.path = path
        self._con = connection

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def create(cls, path: str | Path, *, timeout: float = 30.0) -> Project:
        """A new, empty project at ``path``; ProjectError if something is there already."""
        path = Path(path)
        if path.exists():
            raise ProjectError(
                f"{path}: already exists; open it with Project.open or pick a new name"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # claim the name atomically: of two processes creating it, one gets it
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError as exc:
            raise ProjectError(f"{path}: already exists; open it with Project.open") from exc
        try:
            con = cls._connect(path, timeout)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(f"PRAGMA application_id={APPLICATION_ID}")
            con.execute("BEGIN IMMEDIATE")
            con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            con.execute("INSERT INTO schema_version VALUES (0)")
            cls._migrate(con, 0)
            con.execute("COMMIT")
        except BaseException as exc:
            con.close()
            path.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                raise ProjectError(f"{path}: cannot create the project ({exc})") from exc
            raise
        return cls(path, con)

    @classmethod
    def open(cls, path: str | Path, *, timeout: float = 30.0) -> Project:
        """Open an existing project, bringing an older schema up to date.

        ProjectError if the file is missing, is not a project, or was written by a newer
        reportanalysis.
        """
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"{path}: no such project; make one with Project.create or `ingest`")
        con = cls._connect(path, timeout)
        try:
            version = cls._version(con, path)
            if version > SCHEMA_VERSION:
                raise ProjectError(
                    f"{path}: made by a newer reportanalysis (schema {version}, this version "
                    f"reads up to {SCHEMA_VERSION}); upgrade reportanalysis"
                )
            if version < SCHEMA_VERSION:
                con.execute("BEGIN IMMEDIATE")
                try:
                    version = cls._version(con, path)  # another process may have migrated
                    cls._migrate(con, version)
                    con.execute(f"PRAGMA application_id={APPLICATION_ID}")
                    con.execute("COMMIT")
                except sqlite3.Error as exc:
                    con.execute("ROLLBACK")
                    raise ProjectError(
                        f"{path}: cannot bring schema {version} up to {SCHEMA_VERSION} ({exc}); "
                        "the file was left as it was"
                    ) from exc
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    con.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            con.close()
            raise
        return cls(path, con)

    @classmethod
    def open_or_create(cls, path: str | Path, *, timeout: float = 30.0) -> Project:
        """:meth:`open` when ``path`` exists, else :meth:`create`."""
        path = Path(path)
        return (
            cls.open(path, timeout=timeout) if path.exists() else cls.create(path, timeout=timeout)
        )

    @staticmethod
    def _connect(path: Path, timeout: float) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise ProjectError(f"{path}: cannot open the project ({exc})") from exc
        try:
            con.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA synchronous=FULL")
        except sqlite3.OperationalError as exc:
            con.close()
            raise ProjectError(f"{path}: cannot open the project ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            con.close()
            raise ProjectError(f"{path}: not a reportanalysis project ({exc})") from exc
        return con

    @staticmethod
    def _version(con: sqlite3.Connection, path: Path) -> int:
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            has_table = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path}: not a reportanalysis project ({exc})") from exc
        if (app_id not in (0, APPLICATION_ID)) or not has_table:
            raise ProjectError(f"{path}: not a reportanalysis project")
        row = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    @staticmethod
    def _migrate(con: sqlite3.Connection, version: int) -> None:
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                con.execute(statement)
        con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    @property
    def schema_version(self) -> int:
        return int(self._con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0])

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        con = self._con
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectError(
                f"{self.path}: cannot write ({exc}); another process may be holding the "
                "project for longer than the timeout, try again"
            ) from exc
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise ProjectError(f"{self.path}: write failed, nothing changed ({exc})") from exc
            raise

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``'ok'`` for a healthy file."""
        return str(self._con.execute("PRAGMA integrity_check").fetchone()[0])

    # ------------------------------------------------------------------ reports

    def add_reports(
        self, paths: Any, *, on_change: str = "update", **read_options: Any
    ) -> IngestResult:
        """Read files with :func:`reportanalysis.ingest.read_reports` and store the reports.

        Reports whose text is already in the project are returned as ``duplicates`` (not added
        twice, listed as ``(source, id of the report it repeats)``). A report read from the same
        file as a stored one (same ``source``; for a table row: same file and same row id) but
        with other text is a new version of it. ``on_change`` says what to do then:

        - ``"update"`` (default): replace the stored text, format and metadata under the same id
          (see :meth:`_update_report`: the anecdotes go until the report is split again, labels
          on unchanged passages follow their text, labels on changed passages are orphaned);
          listed in ``updated`` as ``(source, id)``;
        - ``"add"``: store it beside the old version under a new id (``anker_1`` →
          ``anker_1-2``), as before;
        - ``"error"``: raise ProjectError and store nothing (a corpus that must stay frozen).

        A stored report whose text the input still holds (the file was renamed, or a table
        row moved) is never replaced. Other reports get ids made unique against the project
        the way ``read_reports`` does it. ``result.reports`` holds the reports added or updated
        now, with their final ids. With a ``metadata_table`` its values also go onto the stored
        reports whose text is unchanged (their ids in ``result.metadata_updated``).
        """
        from .ingest import read_reports

        if on_change not in ("update", "add", "error"):
            raise ValueError(f"on_change must be 'update', 'add' or 'error', not {on_change!r}")
        result = read_reports(paths, **read_options)
        stored: list[Report] = []
        duplicates = list(result.duplicates)
        updated: list[tuple[str, str]] = []
        incoming = {r.sha256 for r in result.reports}
        with self._write() as con:
            hashes = dict(con.execute("SELECT sha256, id FROM reports"))
            ids = {row[0] for row in con.execute("SELECT id FROM reports")}
            by_source: dict[str, list[tuple[str, str]]] = {}
            for rid, source, sha in con.execute(
                "SELECT id, source, sha256 FROM reports ORDER BY rowid"
            ):
                by_source.setdefault(_source_key(source), []).append((rid, sha))
            replaced: set[str] = set()
            relabelled: list[str] = []
            for report in result.reports:
                if report.sha256 in hashes:
                    duplicates.append((report.source, hashes[report.sha256]))
                    table = read_options.get("metadata_table")
                    if table is not None and self._merge_metadata(
                        con, hashes[report.sha256], report.metadata
                    ):
                        relabelled.append(hashes[report.sha256])
                    continue
                earlier = None
                if on_change != "add":
                    earlier = self._earlier_version(report, by_source, incoming, replaced)
                if earlier is not None:
                    if on_change == "error":
                        raise ProjectError(
                            f"{report.source}: changed since it was read into the project as "
                            f"report {earlier!r}; nothing was stored. Read it with "
                            "on_change='update' to replace that report, or 'add' to keep both"
                        )
                    report = dataclasses.replace(report, id=earlier)
                    self._update_report(con, report)
                    replaced.add(earlier)
                    updated.append((report.source, earlier))
                else:
                    report = self._unique_id(report, ids)
                    self._insert_report(con, report)
                    ids.add(report.id)
                hashes[report.sha256] = report.id
                stored.append(report)
        return dataclasses.replace(
            result,
            reports=stored,
            duplicates=duplicates,
            updated=updated,
            metadata_updated=relabelled,
        )

    @staticmethod
    def _merge_metadata(con: sqlite3.Connection, report_id: str, metadata: Mapping) -> bool:
        """Put ``metadata`` over a stored report's own (a metadata table read again with
        unchanged reports); whether anything changed."""
        (stored,) = con.execute(
            "SELECT metadata FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        old = json.loads(stored) if stored else {}
        new = {**old, **metadata}
        if new == old:
            return False
        con.execute("UPDATE reports SET metadata = ? WHERE id = ?", (_json(new), report_id))
        return True

    @staticmethod
    def _earlier_version(
        report: Report,
        by_source: Mapping[str, Sequence[tuple[str, str]]],
        incoming: set[str],
        replaced: set[str],
    ) -> str | None:
        """The id of the stored report ``report`` is a new version of, if any.

        Same source (paths compared after ``os.path.normpath``); a table row also needs the same
        id (a row's source is its file). A stored report whose text is still among the inputs is
        not a candidate (a renamed file, a row that moved), nor one replaced in this batch.
        Several candidates (versions added side by side with ``on_change="add"``): the latest.
        """
        candidates = [
            rid
            for rid, sha in by_source.get(_source_key(report.source), ())
            if sha not in incoming and rid not in replaced
        ]
        if report.format in _TABLE_FORMATS:
            candidates = [rid for rid in candidates if rid == report.id]
        return candidates[-1] if candidates else None

    def _update_report(self, con: sqlite3.Connection, report: Report) -> None:
        """Replace the stored report of ``report.id`` by this new version of its text.

        The old version goes to the edit log (scope ``reports``, :meth:`report_versions`). The
        report's anecdotes go (with their annotations): they point into the old text; the next
        :meth:`set_anecdotes` stores the new ones. Stored segment edits are carried over to the
        new offsets (an edit whose spans the new split lacks fails on replay, as ever). Each
        current label whose passage is unchanged moves to that passage's new span (event
        ``moved``) and lands on the new anecdote when the report is split again; a label whose
        passage changed or went is orphaned (event ``outdated``, anecdote id
        ``<report>@<old sha256[:12]>:<start>-<end>`` naming the old version): it is never put
        on new text by span, is listed by :meth:`orphaned_labels` and its text is
        :meth:`label_text`. Nothing is deleted from the label history.
        """
        from ._textdiff import OffsetMap

        old = self._report_from_row(
            con.execute(self._REPORT_SELECT + " WHERE id = ?", (report.id,)).fetchone()
        )
        now = _now()
        con.execute(
            "INSERT INTO edits (scope, action, payload, time) VALUES (?, ?, ?, ?)",
            (
                "reports",
                "update",
                _json(
                    {
                        "report_id": old.id,
                        "source": old.source,
                        "format": old.format,
                        "sha256": old.sha256,
                        "metadata": old.metadata,
                        "text": old.text,
                        "new_sha256": report.sha256,
                        "new_source": report.source,
                    }
                ),
                now,
            ),
        )
        con.execute(
            "UPDATE reports SET source = ?, format = ?, text = ?, sha256 = ?, metadata = ? "
            "WHERE id = ?",
            (
                report.source,
                report.format,
                report.text,
                report.sha256,
                _json(report.metadata),
                report.id,
            ),
        )
        offsets = OffsetMap(old.text, report.text)

        def span(s: int, e: int) -> list[int]:
            return list(offsets.span(s, e))

        for edit_id, body in con.execute(
            "SELECT id, edit FROM segment_edits WHERE report_id = ?", (report.id,)
        ).fetchall():
            edit = json.loads(body)
            edit["spans"] = [span(s, e) for s, e in edit["spans"]]
            if edit.get("offset") is not None:
                edit["offset"] = offsets.start(int(edit["offset"]))
            if edit.get("target") is not None:
                edit["target"] = span(*edit["target"])
            con.execute("UPDATE segment_edits SET edit = ? WHERE id = ?", (_json(edit), edit_id))
        self._move_theme_edits(con, report.id, offsets)
        con.execute("DELETE FROM auto_segments WHERE report_id = ?", (report.id,))
        con.execute("DELETE FROM anecdotes WHERE report_id = ?", (report.id,))
        rows = []
        for lb in self._current_labels(con, report_id=report.id):
            if lb.start is None or lb.end is None or "@" in lb.anecdote_id:
                continue  # orphaned by an earlier update: stays as it is
            new = offsets.unchanged(lb.start, lb.end)
            if new == (lb.start, lb.end):
                continue  # same text at the same place: the label stays as it is
            rows.append(self._label_row(lb, active=False, event="moved", time=now))
            if new is not None:
                anecdote_id = Anecdote.make_id(report.id, *new)
                moved = dataclasses.replace(lb, anecdote_id=anecdote_id, start=new[0], end=new[1])
                rows.append(self._label_row(moved, active=True, event="moved", time=now))
            else:
                anecdote_id = f"{report.id}@{old.sha256[:12]}:{lb.start}-{lb.end}"
                gone = dataclasses.replace(lb, anecdote_id=anecdote_id)
                rows.append(self._label_row(gone, active=True, event="outdated", time=now))
        self._insert_labels(con, rows)

    @staticmethod
    def _move_theme_edits(con: sqlite3.Connection, report_id: str, offsets: OffsetMap) -> None:
        """Theme edits name anecdotes by id (``<report>:<start>-<end>``): an anecdote of an
        updated report whose text is unchanged gets its new id there; one whose text changed
        keeps the old id, and its edit is reported as failed when replayed."""
        pattern = re.compile(rf"{re.escape(report_id)}:(\d+)-(\d+)")

        def move(value: Any) -> Any:
            if isinstance(value, str) and (m := pattern.fullmatch(value)):
                new = offsets.unchanged(int(m.group(1)), int(m.group(2)))
                return Anecdote.make_id(report_id, *new) if new is not None else value
            if isinstance(value, list):
                return [move(v) for v in value]
            if isinstance(value, dict):
                return {k: move(v) for k, v in value.items()}
            return value

        rows = con.execute("SELECT id, payload FROM edits WHERE scope = 'themes'").fetchall()
        for edit_id, body in rows:
            payload = json.loads(body)
            moved = move(payload)
            if moved != payload:
                con.execute("UPDATE edits SET payload = ? WHERE id = ?", (_json(moved), edit_id))

    def report_versions(self, report_id: str) -> list[Report]:
        """The earlier versions of a report that :meth:`add_reports` replaced, oldest first
        (the current one is :meth:`report`)."""
        self._require_report(report_id)
        out = []
        for edit in self.edits("reports"):
            body = edit["payload"]
            if edit["action"] == "update" and body.get("report_id") == report_id:
                out.append(
                    Report(
                        id=report_id,
                        source=body["source"],
                        format=body["format"],
                        text=body["text"],
                        metadata=body["metadata"],
                        sha256=body["sha256"],
                    )
                )
        return out

    def label_text(self, label: Label) -> str:
        """The passage ``label`` was put on: for a label orphaned by a new version of its
        report (:meth:`add_reports`), the text in the version it was put on."""
        if label.report_id is None or label.start is None or label.end is None:
            raise ProjectError(f"label {label.code!r} on {label.anecdote_id!r} has no span")
        head = label.anecdote_id.rpartition(":")[0]
        version = head.rpartition("@")[2] if "@" in head else None
        if version is None:
            return self.report(label.report_id).text[label.start : label.end]
        for old in self.report_versions(label.report_id):
            if old.sha256.startswith(version):
                return old.text[label.start : label.end]
        raise UnknownItemError(f"no version {version} of report {label.report_id!r} in {self.path}")

    @staticmethod
    def _unique_id(report: Report, taken: set[str]) -> Report:
        if report.id not in taken:
            return report
        n = 2
        while f"{report.id}-{n}" in taken:
            n += 1
        return dataclasses.replace(report, id=f"{report.id}-{n}")

    @staticmethod
    def _insert_report(con: sqlite3.Connection, report: Report) -> None:
        con.execute(
            "INSERT INTO reports (id, source, format, text, sha256, metadata, added) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                report.id,
                report.source,
                report.format,
                report.text,
                report.sha256,
                _json(report.metadata),
                _now(),
            ),
        )

    def add_report(self, report: Report) -> None:
        """Store one report as it is; ProjectError if its id or its text is already there."""
        with self._write() as con:
            row = con.execute(
                "SELECT id FROM reports WHERE id = ? OR sha256 = ?", (report.id, report.sha256)
            ).fetchone()
            if row is not None:
                what = "id" if row[0] == report.id else f"text (as report {row[0]!r})"
                raise ProjectError(
                    f"report {report.id!r} ({report.source}): same {what} is already in the project"
                )
            self._insert_report(con, report)

    @staticmethod
    def _report_from_row(row: Sequence[Any]) -> Report:
        return Report(
            id=row[0],
            source=row[1],
            format=row[2],
            text=row[3],
            metadata=json.loads(row[5]),
            sha256=row[4],
        )

    _REPORT_SELECT = "SELECT id, source, format, text, sha256, metadata FROM reports"

    def reports(self) -> list[Report]:
        """All reports, in the order they were added."""
        rows = self._con.execute(self._REPORT_SELECT + " ORDER BY rowid").fetchall()
        return [self._report_from_row(r) for r in rows]

    def report(self, report_id: str) -> Report:
        row = self._con.execute(self._REPORT_SELECT + " WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise UnknownItemError(f"no report {report_id!r} in {self.path}")
        return self._report_from_row(row)

    def reports_frame(self) -> pd.DataFrame:
        """One row per report: id, source, format, sha256, n_chars + one column per metadata key."""
        import pandas as pd

        rows = []
        for rid, source, fmt, sha, n_chars, meta in self._con.execute(
            "SELECT id, source, format, sha256, length(text), metadata FROM reports ORDER BY rowid"
        ):
            row = {"id": rid, "source": source, "format": fmt, "sha256": sha, "n_chars": n_chars}
            for key, value in json.loads(meta).items():
                row.setdefault(key, value)
            rows.append(row)
        base = ["id", "source", "format", "sha256", "n_chars"]
        extra = sorted({k for r in rows for k in r} - set(base))
        return pd.DataFrame(rows, columns=base + extra)

    # ------------------------------------------------------------------ anecdotes

    _ANECDOTE_SELECT = (
        'SELECT a.id, a.report_id, a.start, a."end", '
        'substr(r.text, a.start + 1, a."end" - a.start), a.section, a.ord '
        "FROM anecdotes a JOIN reports r ON r.id = a.report_id"
    )

    def anecdotes(self, report_id: str | None = None) -> list[Anecdote]:
        """The anecdotes of one report, or of all (reports in the order added, then by start)."""
        if report_id is None:
            rows = self._con.execute(self._ANECDOTE_SELECT + " ORDER BY r.rowid, a.start")
        else:
            self._require_report(report_id)
            rows = self._con.execute(
                self._ANECDOTE_SELECT + " WHERE a.report_id = ? ORDER BY a.start", (report_id,)
            )
        return [Anecdote(*row) for row in rows]

    def anecdote(self, anecdote_id: str) -> Anecdote:
        row = self._con.execute(
            self._ANECDOTE_SELECT + " WHERE a.id = ?", (anecdote_id,)
        ).fetchone()
        if row is None:
            raise UnknownItemError(f"no anecdote {anecdote_id!r} in {self.path}")
        return Anecdote(*row)

    def anecdotes_frame(self, report_id: str | None = None) -> pd.DataFrame:
        """One row per anecdote: id, report_id, start, end, text, section, order."""
        import pandas as pd

        columns = ["id", "report_id", "start", "end", "text", "section", "order"]
        return pd.DataFrame(
            [dataclasses.astuple(a) for a in self.anecdotes(report_id)], columns=columns
        )

    def _require_report(self, report_id: str) -> None:
        if self._con.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is None:
            raise UnknownItemError(f"no report {report_id!r} in {self.path}")

    def segment_edits(self, report_id: str | None = None) -> list[SegmentEdit]:
        """The stored manual segment edits, oldest first."""
        sql = "SELECT id, report_id, edit FROM segment_edits"
        args: tuple[Any, ...] = ()
        if report_id is not None:
            sql += " WHERE report_id = ?"
            args = (report_id,)
        rows = self._con.execute(sql + " ORDER BY id", args)
        return [SegmentEdit.from_dict(json.loads(e), id=i, report_id=r) for i, r, e in rows]

    def set_anecdotes(self, report_id: str, anecdotes: Sequence[Anecdote]) -> SegmentUpdate:
        """Store the automatic segmentation of one report, with the stored edits replayed.

        Labels move to the new spans; those that find no anecdote are returned as orphaned
        (and kept). ProjectError when an anecdote's text is not the slice of the report's
        original text at its span, or spans overlap.
        """
        report = self.report(report_id)
        checked = self._check_segmentation(report, anecdotes)
        spans = [[a.start, a.end, a.section] for a in checked]
        with self._write() as con:
            con.execute(
                "INSERT OR REPLACE INTO auto_segments (report_id, spans, time) VALUES (?, ?, ?)",
                (report_id, json.dumps(spans, ensure_ascii=False), _now()),
            )
            edits = self.segment_edits(report_id)
            new, failed = apply_edits(report, checked, edits)
            orphaned = self._store_segmentation(con, report, new)
        return SegmentUpdate(anecdotes=new, orphaned_labels=orphaned, edits_failed=failed)

    def undo_segment_edit(self, report_id: str, edit_id: int | None = None) -> SegmentUpdate:
        """Forget one stored edit of a report (the latest without ``edit_id``) and replay the
        others on the last automatic segmentation. Labels follow as after a re-split."""
        report = self.report(report_id)
        with self._write() as con:
            row = con.execute(
                "SELECT spans FROM auto_segments WHERE report_id = ?", (report_id,)
            ).fetchone()
            edits = self.segment_edits(report_id)
            if not edits:
                raise ProjectError(f"report {report_id!r}: no segment edits to undo")
            if row is None:
                raise ProjectError(
                    f"report {report_id!r}: the automatic segmentation is not stored; "
                    "split the report again (set_anecdotes) before undoing an edit"
                )
            target = edits[-1].id if edit_id is None else edit_id
            if target not in {e.id for e in edits}:
                raise UnknownItemError(f"report {report_id!r} has no segment edit {target}")
            con.execute("DELETE FROM segment_edits WHERE id = ?", (target,))
            base = [
                Anecdote.from_span(report, s, e, section=section, order=n)
                for n, (s, e, section) in enumerate(json.loads(row[0]))
            ]
            new, failed = apply_edits(report, base, [e for e in edits if e.id != target])
            orphaned = self._store_segmentation(con, report, new)
        return SegmentUpdate(anecdotes=new, orphaned_labels=orphaned, edits_failed=failed)

    def _check_segmentation(self, report: Report, anecdotes: Sequence[Anecdote]) -> list[Anecdote]:
        out: list[Anecdote] = []
        for a in sorted(anecdotes, key=lambda a: a.start):
            where = f"report {report.id!r}, anecdote {a.id!r}"
            if a.report_id != report.id:
                raise ProjectError(f"{where}: belongs to report {a.report_id!r}")
            if not 0 <= a.start < a.end <= len(report.text):
                raise ProjectError(f"{where}: span {a.start}-{a.end} lies outside the text")
            if a.text != report.text[a.start : a.end]:
                raise ProjectError(
                    f"{where}: text differs from the report at {a.start}-{a.end}; spans must "
                    "point into the original text (split the original, not a pseudonymised copy)"
                )
            if out and a.start < out[-1].end:
                raise ProjectError(f"{where}: overlaps anecdote {out[-1].id!r}")
            out.append(
                Anecdote.from_span(report, a.start, a.end, section=a.section, order=len(out))
            )
        return out

    def _store_segmentation(
        self, con: sqlite3.Connection, report: Report, new: Sequence[Anecdote]
    ) -> list[Label]:
        """Replace the report's anecdotes by ``new``, re-anchor its labels; return the orphans."""
        new_ids = {a.id for a in new}
        old_ids = {
            row[0]
            for row in con.execute("SELECT id FROM anecdotes WHERE report_id = ?", (report.id,))
        }
        con.executemany(
            "DELETE FROM anecdotes WHERE id = ?", [(i,) for i in sorted(old_ids - new_ids)]
        )
        con.executemany(
            'INSERT INTO anecdotes (id, report_id, start, "end", section, ord) '
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET section = excluded.section, ord = excluded.ord",
            [(a.id, a.report_id, a.start, a.end, a.section, a.order) for a in new],
        )
        # the latest row of every (anecdote, code, coder) of this report, with its row id
        latest = con.execute(
            "SELECT l.id, l.event, l.anecdote_id, l.code, l.coder, l.source, l.confidence, "
            'l.time, l.report_id, l.start, l."end", l.active FROM labels l JOIN '
            "(SELECT MAX(id) AS id FROM labels WHERE report_id = ? "
            "GROUP BY anecdote_id, code, coder) m ON m.id = l.id ORDER BY l.id",
            (report.id,),
        ).fetchall()
        state = {(r[2], r[3], r[4]): (r[0], r[1], bool(r[11])) for r in latest}
        # labels orphaned by a new version of the report keep spans into the old text: they are
        # never put on the new text by span (see _update_report)
        outdated = [self._label_from_row(r[2:]) for r in latest if r[11] and r[1] == "outdated"]
        homeless = [
            (r[0], self._label_from_row(r[2:]))
            for r in latest
            if r[11] and r[2] not in new_ids and r[1] != "outdated"
        ]
        now = _now()
        rows = []
        # a label goes back to the anecdotes inside its span it was moved away from (an undone
        # merge gives each part its label back); the others follow reanchor_labels
        returning, rest = [], []
        for row_id, lb in homeless:
            homes = [
                a
                for a in new
                if lb.start is not None
                and lb.end is not None
                and lb.start <= a.start
                and a.end <= lb.end
                and state.get((a.id, lb.code, lb.coder), (0, "", True))[1:] == ("moved", False)
            ]
            if homes:
                returning += [(row_id, lb, home) for home in homes]
                rows.append(self._label_row(lb, active=False, event="moved", time=now))
            else:
                rest.append((row_id, lb))
        for row_id, lb, home in returning:
            back = dataclasses.replace(
                lb, anecdote_id=home.id, report_id=home.report_id, start=home.start, end=home.end
            )
            state[(home.id, lb.code, lb.coder)] = (row_id, "moved", True)
            rows.append(self._label_row(back, active=True, event="moved", time=now))
        homeless = rest
        moved, orphaned = reanchor_labels([lb for _, lb in homeless], new)
        lost = {id(lb) for lb in orphaned}
        found = [(row_id, lb) for row_id, lb in homeless if id(lb) not in lost]
        for (row_id, old), lb in zip(found, moved, strict=True):  # reanchor keeps the order
            rows.append(self._label_row(old, active=False, event="moved", time=now))
            key = (lb.anecdote_id, lb.code, lb.coder)
            there = state.get(key)
            # the target keeps its own state when it holds the label already, or when its coder
            # took the label off there after this label was put on; the latest decision wins
            if there is not None and (there[2] or (there[1] == "unlabel" and there[0] > row_id)):
                continue
            state[key] = (row_id, "moved", True)
            rows.append(self._label_row(lb, active=True, event="moved", time=now))
        self._insert_labels(con, rows)
        return orphaned + outdated

    # ------------------------------------------------------------------ manual segment edits

    def _edit(self, anecdote_ids: Sequence[str], make: Any) -> list[Anecdote]:
        """Apply the edit ``make(anecdotes)`` builds to the report those anecdotes belong to.

        The edit is stored (to be replayed after a re-split) and applied in one transaction.
        """
        found = [self.anecdote(i) for i in anecdote_ids]
        if len({a.report_id for a in found}) != 1:
            raise ProjectError(f"anecdotes {', '.join(anecdote_ids)} belong to different reports")
        report = self.report(found[0].report_id)
        edit: SegmentEdit = make(found)
        with self._write() as con:
            try:
                new = apply_edit(report, self.anecdotes(report.id), edit)
            except ValueError as exc:
                raise ProjectError(
                    f"report {report.id!r}: cannot {edit.action} {', '.join(anecdote_ids)}: {exc}"
                ) from exc
            con.execute(
                "INSERT INTO segment_edits (report_id, edit, time) VALUES (?, ?, ?)",
                (report.id, _json(edit.to_dict()), _now()),
            )
            self._store_segmentation(con, report, new)
        return new

    def merge_anecdotes(self, first_id: str, second_id: str) -> Anecdote:
        """Merge two anecdotes of one report into one (text between them included)."""
        if first_id == second_id:
            raise ProjectError(f"cannot merge anecdote {first_id!r} with itself")
        new = self._edit(
            [first_id, second_id],
            lambda f: SegmentEdit("merge", ((f[0].start, f[0].end), (f[1].start, f[1].end))),
        )
        a, b = (self._span_of(i) for i in (first_id, second_id))
        start, end = min(a[0], b[0]), max(a[1], b[1])
        return next(x for x in new if x.start == start and x.end == end)

    def split_anecdote(self, anecdote_id: str, offset: int) -> tuple[Anecdote, Anecdote]:
        """Split an anecdote at ``offset`` (absolute into the report text); returns both parts.

        Whitespace around the cut belongs to neither part.
        """
        new = self._edit(
            [anecdote_id],
            lambda f: SegmentEdit("split", ((f[0].start, f[0].end),), offset=int(offset)),
        )
        start, end = self._span_of(anecdote_id)
        first, second = (x for x in new if start <= x.start and x.end <= end)
        return first, second

    def move_boundary(
        self, anecdote_id: str, *, start: int | None = None, end: int | None = None
    ) -> Anecdote:
        """Move the start and/or end of an anecdote; overlapping neighbours give way."""
        if start is None and end is None:
            raise ProjectError(f"anecdote {anecdote_id!r}: give a new start or end to move to")
        old = self.anecdote(anecdote_id)
        target = (old.start if start is None else int(start), old.end if end is None else int(end))
        new = self._edit(
            [anecdote_id],
            lambda f: SegmentEdit("move", ((f[0].start, f[0].end),), target=target),
        )
        return next(x for x in new if (x.start, x.end) == target)

    def mark_not_anecdote(self, anecdote_id: str) -> None:
        """Mark a passage as no anecdote: it leaves the list, now and after every re-split.

        Its labels stay in the history and are listed by :meth:`orphaned_labels`.
        """
        self._edit([anecdote_id], lambda f: SegmentEdit("exclude", ((f[0].start, f[0].end),)))

    @staticmethod
    def _span_of(anecdote_id: str) -> tuple[int, int]:
        span = anecdote_id.rpartition(":")[2]
        start, _, end = span.partition("-")
        return int(start), int(end)

    # ------------------------------------------------------------------ labels

    def _resolve(self, anecdote: str | Anecdote) -> Anecdote:
        anecdote_id = anecdote.id if isinstance(anecdote, Anecdote) else str(anecdote)
        return self.anecdote(anecdote_id)

    @staticmethod
    def _label_row(label: Label, *, active: bool, event: str, time: str) -> tuple[Any, ...]:
        return (
            label.anecdote_id,
            label.report_id,
            label.start,
            label.end,
            label.code,
            label.coder,
            label.source,
            label.confidence,
            int(active),
            event,
            time,
        )

    @staticmethod
    def _insert_labels(con: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        ids = []
        for row in rows:
            cur = con.execute(
                'INSERT INTO labels (anecdote_id, report_id, start, "end", code, coder, source, '
                "confidence, active, event, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            ids.append(int(cur.lastrowid or 0))
        return ids

    @staticmethod
    def _check_label(code: str, coder: str, source: str, confidence: float | None) -> None:
        if not str(code).strip():
            raise ProjectError("a label needs a code")
        if not str(coder).strip():
            raise ProjectError("a label needs a coder (who put it on)")
        if source not in LABEL_SOURCES:
            raise ProjectError(f"unknown label source {source!r}; use one of {LABEL_SOURCES}")
        if confidence is not None and not 0.0 <= float(confidence) <= 1.0:
            raise ProjectError(f"confidence {confidence!r} must lie between 0 and 1")

    def _put_label(
        self,
        anecdote: str | Anecdote,
        code: str,
        *,
        coder: str,
        source: str,
        confidence: float | None,
        active: bool,
    ) -> Label:
        self._check_label(code, coder, source, confidence)
        a = self._resolve(anecdote)
        label = Label(
            anecdote_id=a.id,
            code=str(code),
            coder=str(coder),
            source=source,  # type: ignore[arg-type]
            confidence=None if confidence is None else float(confidence),
            report_id=a.report_id,
            start=a.start,
            end=a.end,
            active=active,
        )
        event = "label" if active else "unlabel"
        with self._write() as con:
            self._insert_labels(
                con,
                [self._label_row(label, active=active, event=event, time=label.time.isoformat())],
            )
        return label

    def _known_codes(self) -> set[str] | None:
        """The code names of every stored codebook; None when the project has no codebook."""
        bodies = [json.loads(r[0]) for r in self._con.execute("SELECT body FROM codebooks")]
        if not bodies:
            return None
        return {str(c["name"]) for body in bodies for c in body["codes"]}

    def _warn_unknown_codes(self, codes: Sequence[str]) -> None:
        """Warn (once, listing them all) about ``codes`` no stored codebook holds: a typo is
        caught at once, while a new code made up during coding (an in vivo code) is still
        stored."""
        known = self._known_codes()
        if known is None:
            return
        unknown = sorted({c for c in codes if c not in known})
        if not unknown:
            return
        import difflib
        import warnings

        parts = []
        for code in unknown:
            close = difflib.get_close_matches(code, sorted(known), n=3, cutoff=0.6)
            hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
            parts.append(f"{code!r}{hint}")
        what = "code" if len(unknown) == 1 else "codes"
        warnings.warn(
            f"{what} {', '.join(parts)} not in any codebook of {self.path}; stored anyway. "
            "Fix a typo with unlabel and label again, or add a new code to the codebook "
            "with save_codebook",
            UserWarning,
            stacklevel=3,
        )

    def label(
        self,
        anecdote: str | Anecdote,
        code: str,
        *,
        coder: str,
        source: str = "manual",
        confidence: float | None = None,
    ) -> Label:
        """Put ``code`` on an anecdote for ``coder``; committed to disk before it returns.

        Every call appends a row to the history: labelling again records the new source and
        confidence, nothing is overwritten. When the project has a codebook and none of its
        codebooks holds ``code``, a :class:`UserWarning` names the code and the closest
        existing ones; the label is stored all the same (codes may be added while coding).
        """
        label = self._put_label(
            anecdote, code, coder=coder, source=source, confidence=confidence, active=True
        )
        self._warn_unknown_codes([label.code])
        return label

    def unlabel(self, anecdote: str | Anecdote, code: str, *, coder: str) -> Label:
        """Take ``code`` off an anecdote for ``coder`` (appends an inactive row)."""
        return self._put_label(
            anecdote, code, coder=coder, source="manual", confidence=None, active=False
        )

    def label_many(
        self, frame: pd.DataFrame, *, coder: str | None = None, source: str = "manual"
    ) -> int:
        """Store many labels in one transaction; returns how many rows were written.

        Columns: anecdote_id, code, and optionally coder, source, confidence and active. Empty
        cells (NaN from pandas, None, blank text) take the defaults: ``coder`` (the argument)
        for coder, ``source`` for source, no confidence, active True. ``active`` also reads the
        texts "False", "0" and "nee" (and "True", "1", "ja") as a spreadsheet holds them. A row
        without a code, or without a coder when ``coder`` is not given, is an error naming the
        rows (by the frame's index). Nothing is written when one row is wrong. Codes that no
        stored codebook holds are stored with one :class:`UserWarning` listing them.
        """
        required = {"anecdote_id", "code"} | ({"coder"} if coder is None else set())
        missing = required - set(frame.columns)
        if missing:
            raise ProjectError(f"label_many needs the columns {sorted(missing)}")
        if coder is not None and not str(coder).strip():
            raise ProjectError("label_many: coder= is empty; give the name of who coded")
        spans = {
            row[0]: row[1:]
            for row in self._con.execute('SELECT id, report_id, start, "end" FROM anecdotes')
        }
        now = _now()
        rows = []
        no_code: list[Any] = []
        no_coder: list[Any] = []
        for n, rec in zip(frame.index, frame.to_dict("records"), strict=True):
            anecdote_id = _cell_text(rec["anecdote_id"])
            if anecdote_id is None or anecdote_id not in spans:
                raise UnknownItemError(f"row {n}: no anecdote {anecdote_id!r} in {self.path}")
            code = _cell_text(rec["code"])
            who = _cell_text(rec.get("coder")) or coder
            if code is None:
                no_code.append(n)
            if who is None:
                no_coder.append(n)
            if code is None or who is None:
                continue
            where = f"row {n} ({anecdote_id})"
            what = _cell_text(rec.get("source")) or source
            confidence = _cell_number(rec.get("confidence"), f"{where}: confidence")
            active = _cell_flag(rec.get("active"), f"{where}: active")
            try:
                self._check_label(code, who, what, confidence)
            except ProjectError as exc:
                raise ProjectError(f"{where}: {exc}") from exc
            report_id, start, end = spans[anecdote_id]
            rows.append(
                (
                    anecdote_id,
                    report_id,
                    start,
                    end,
                    code,
                    who,
                    what,
                    confidence,
                    int(active),
                    "label" if active else "unlabel",
                    now,
                )
            )
        problems = []
        if no_code:
            problems.append(f"{_rows(no_code)} no code: fill in a code or drop the row(s)")
        if no_coder:
            problems.append(
                f"{_rows(no_coder)} no coder: fill in who coded, or pass coder= to label_many"
            )
        if problems:
            raise ProjectError(f"label_many wrote nothing: {'; '.join(problems)}")
        with self._write() as con:
            self._insert_labels(con, rows)
        self._warn_unknown_codes([r[4] for r in rows if r[8]])
        return len(rows)

    _LABEL_SELECT = (
        "SELECT l.anecdote_id, l.code, l.coder, l.source, l.confidence, l.time, l.report_id, "
        'l.start, l."end", l.active FROM labels l '
        "JOIN (SELECT MAX(id) AS id FROM labels WHERE {where} GROUP BY anecdote_id, code, coder) m "
        "ON m.id = l.id "
    )

    @staticmethod
    def _label_from_row(row: Sequence[Any]) -> Label:
        return Label(
            anecdote_id=row[0],
            code=row[1],
            coder=row[2],
            source=row[3],
            confidence=row[4],
            time=_time(row[5]),
            report_id=row[6],
            start=row[7],
            end=row[8],
            active=bool(row[9]),
        )

    def _current_labels(
        self,
        con: sqlite3.Connection,
        *,
        report_id: str | None = None,
        coder: str | None = None,
        include_removed: bool = False,
        placed: bool | None = None,
    ) -> list[Label]:
        """Latest row per (anecdote, code, coder). ``placed``: True only labels on existing
        anecdotes, False only orphans, None both."""
        # rows of one (anecdote, code, coder) share report and coder: filter before grouping
        where, args = ["1=1"], []
        if report_id is not None:
            where.append("report_id = ?")
            args.append(report_id)
        if coder is not None:
            where.append("coder = ?")
            args.append(coder)
        sql = self._LABEL_SELECT.format(where=" AND ".join(where))
        sql += "LEFT JOIN anecdotes a ON a.id = l.anecdote_id WHERE 1=1"
        if not include_removed:
            sql += " AND l.active = 1"
        if placed is True:
            sql += " AND a.id IS NOT NULL"
        elif placed is False:
            sql += " AND a.id IS NULL"
        sql += ' ORDER BY l.report_id, l.start, l."end", l.code, l.coder'
        return [self._label_from_row(r) for r in con.execute(sql, args)]

    def labels(self, *, coder: str | None = None, include_removed: bool = False) -> list[Label]:
        """The current labels: the latest row per (anecdote, code, coder) on existing anecdotes.

        ``include_removed`` also returns labels taken off (``active`` False).
        """
        return self._current_labels(
            self._con, coder=coder, include_removed=include_removed, placed=True
        )

    def orphaned_labels(self, report_id: str | None = None) -> list[Label]:
        """Current labels whose text no anecdote holds any more (after a re-split or edit)."""
        return self._current_labels(self._con, report_id=report_id, placed=False)

    def labels_frame(self, **kw: Any) -> pd.DataFrame:
        """:meth:`labels` as a frame: anecdote_id, report_id, start, end, code, coder, source,
        confidence, time (plus ``active`` with ``include_removed=True``)."""
        import pandas as pd

        columns = list(_LABEL_COLUMNS) + (["active"] if kw.get("include_removed") else [])
        rows = [{c: getattr(lb, c) for c in columns} for lb in self.labels(**kw)]
        return pd.DataFrame(rows, columns=columns)

    def label_history(self) -> pd.DataFrame:
        """Every label row ever written, oldest first: id, anecdote_id, report_id, start, end,
        code, coder, source, confidence, active, event (label, unlabel, moved, outdated: its
        passage changed in a new version of the report), time."""
        import pandas as pd

        columns = [
            "id",
            "anecdote_id",
            "report_id",
            "start",
            "end",
            "code",
            "coder",
            "source",
            "confidence",
            "active",
            "event",
            "time",
        ]
        rows = self._con.execute(
            'SELECT id, anecdote_id, report_id, start, "end", code, coder, source, confidence, '
            "active, event, time FROM labels ORDER BY id"
        ).fetchall()
        frame = pd.DataFrame(rows, columns=columns)
        frame["active"] = frame["active"].astype(bool)
        frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
        return frame

    # ------------------------------------------------------------------ codebooks

    def save_codebook(self, codebook: Codebook) -> None:
        """Store a codebook under its name (replacing an earlier one of that name)."""
        body = {
            "name": codebook.name,
            "codes": [dataclasses.asdict(c) for c in codebook.codes],
        }
        with self._write() as con:
            con.execute("DELETE FROM codebooks WHERE name = ?", (codebook.name,))
            con.execute(
                "INSERT INTO codebooks (name, body, saved) VALUES (?, ?, ?)",
                (codebook.name, _json(body), _now()),
            )

    def codebook(self, name: str | None = None) -> Codebook:
        """The codebook called ``name``; without a name, the one saved last."""
        if name is None:
            row = self._con.execute(
                "SELECT body FROM codebooks ORDER BY rowid DESC LIMIT 1"
            ).fetchone()
        else:
            row = self._con.execute("SELECT body FROM codebooks WHERE name = ?", (name,)).fetchone()
        if row is None:
            what = f"codebook {name!r}" if name else "codebook"
            raise UnknownItemError(f"no {what} in {self.path}; save one with save_codebook")
        body = json.loads(row[0])
        codes = tuple(
            Code(**{**c, "examples": tuple(c.get("examples", ()))}) for c in body["codes"]
        )
        return Codebook(codes, name=body["name"])

    def codebooks(self) -> list[str]:
        """Names of the stored codebooks, oldest saved first."""
        return [r[0] for r in self._con.execute("SELECT name FROM codebooks ORDER BY rowid")]

    # ------------------------------------------------------------------ annotations

    def set_annotations(
        self,
        field: str,
        values: Mapping[str, tuple[str, float | None]],
        *,
        run_id: int | None = None,
    ) -> None:
        """Store a model output per anecdote (``{anecdote_id: (value, score)}``) for ``field``
        (practice, kind, theme …), replacing earlier values of that field for those anecdotes.

        Annotations of an anecdote go when a re-split or edit removes it.
        """
        known = {r[0] for r in self._con.execute("SELECT id FROM anecdotes")}
        unknown = [k for k in values if k not in known]
        if unknown:
            raise UnknownItemError(
                f"{field}: no anecdote {unknown[0]!r} in {self.path}"
                + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            )
        rows = []
        for anecdote_id, pair in values.items():
            value, score = pair
            rows.append(
                (
                    anecdote_id,
                    field,
                    None if value is None else str(value),
                    None if score is None else float(score),
                    run_id,
                )
            )
        with self._write() as con:
            con.executemany(
                "INSERT OR REPLACE INTO annotations (anecdote_id, field, value, score, run_id) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def annotations_frame(self, field: str | None = None) -> pd.DataFrame:
        """One row per (anecdote, field): anecdote_id, field, value, score, run_id."""
        import pandas as pd

        sql = (
            "SELECT n.anecdote_id, n.field, n.value, n.score, n.run_id FROM annotations n "
            "JOIN anecdotes a ON a.id = n.anecdote_id JOIN reports r ON r.id = a.report_id"
        )
        args: tuple[Any, ...] = ()
        if field is not None:
            sql += " WHERE n.field = ?"
            args = (field,)
        rows = self._con.execute(sql + " ORDER BY r.rowid, a.start, n.field", args).fetchall()
        return pd.DataFrame(rows, columns=["anecdote_id", "field", "value", "score", "run_id"])

    # ------------------------------------------------------------------ themes

    def save_themes(self, themes: Sequence[Theme]) -> None:
        """Store a theme list, replacing the previous one."""
        with self._write() as con:
            con.execute("DELETE FROM themes")
            con.executemany(
                "INSERT INTO themes (id, label, keywords, anecdote_ids, representative_ids) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        int(t.id),
                        t.label,
                        _json(list(t.keywords)),
                        _json(list(t.anecdote_ids)),
                        _json(list(t.representative_ids)),
                    )
                    for t in themes
                ],
            )

    def themes(self) -> list[Theme]:
        rows = self._con.execute(
            "SELECT id, label, keywords, anecdote_ids, representative_ids FROM themes ORDER BY id"
        )
        return [
            Theme(
                id=i,
                label=label,
                keywords=tuple(json.loads(k)),
                anecdote_ids=tuple(json.loads(a)),
                representative_ids=tuple(json.loads(r)),
            )
            for i, label, k, a, r in rows
        ]

    # ------------------------------------------------------------------ generic edit log

    def add_edit(self, scope: str, action: str, payload: dict[str, Any]) -> int:
        """Append an edit (e.g. scope ``themes``, action ``rename``) and return its id."""
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO edits (scope, action, payload, time) VALUES (?, ?, ?, ?)",
                (scope, action, _json(payload), _now()),
            )
        return int(cur.lastrowid or 0)

    def edits(self, scope: str) -> list[dict[str, Any]]:
        """The edits of ``scope``, oldest first: each ``{id, scope, action, payload, time}``."""
        rows = self._con.execute(
            "SELECT id, scope, action, payload, time FROM edits WHERE scope = ? ORDER BY id",
            (scope,),
        )
        return [
            {"id": i, "scope": s, "action": a, "payload": json.loads(p), "time": _time(t)}
            for i, s, a, p, t in rows
        ]

    # ------------------------------------------------------------------ embeddings and runs

    def embedding_cache(self) -> ProjectEmbeddingCache:
        """A persistent :class:`reportanalysis.embed.EmbeddingCache` in this project."""
        return ProjectEmbeddingCache(self)

    def record_run(self, info: Mapping[str, Any]) -> int:
        """Store what a run did (settings, versions, figures); returns the run id."""
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO runs (time, info) VALUES (?, ?)", (_now(), _json(dict(info)))
            )
        return int(cur.lastrowid or 0)

    def runs(self) -> list[dict[str, Any]]:
        """The recorded runs, oldest first: each the stored info plus ``id`` and ``time``."""
        return [
            {**json.loads(info), "id": i, "time": _time(t)}
            for i, t, info in self._con.execute("SELECT id, time, info FROM runs ORDER BY id")
        ]


class ProjectEmbeddingCache:
    """Vectors in the project file, keyed (model, key), stored as float32 BLOBs."""

    _CHUNK = 500

    def __init__(self, project: Project) -> None:
        self.project = project

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        con = self.project._con
        out: dict[str, np.ndarray] = {}
        keys = list(keys)
        for i in range(0, len(keys), self._CHUNK):
            chunk = keys[i : i + self._CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, dim, blob in con.execute(
                f"SELECT key, dim, vector FROM embeddings WHERE model = ? AND key IN ({marks})",
                (model, *chunk),
            ):
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape[0] == dim:
                    out[key] = vector.copy()
        return out

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        rows = []
        for key, vector in vectors.items():
            v = np.ascontiguousarray(vector, dtype=np.float32).ravel()
            rows.append((model, key, int(v.shape[0]), v.tobytes()))
        with self.project._write() as con:
            con.executemany(
                "INSERT OR REPLACE INTO embeddings (model, key, dim, vector) VALUES (?, ?, ?, ?)",
                rows,
            )

    def __len__(self) -> int:
        return int(self.project._con.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
