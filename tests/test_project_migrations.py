"""Opening project files written by older (and newer) versions of the schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reportanalysis.errors import ProjectError
from reportanalysis.model import content_hash
from reportanalysis.project import SCHEMA_VERSION, Project

TEXT = "Verslag bezoek 1\nAnneke noemt de samenwerking ‘een warm bad’.\nDe subsidie liep vast.\n"

#: The layout version 1 wrote (reports, anecdotes, segment edits, labels without ``event``).
V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE reports (id TEXT PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL,
    text TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, metadata TEXT NOT NULL DEFAULT '{}',
    added TEXT NOT NULL);
CREATE TABLE anecdotes (id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, section TEXT, ord INTEGER NOT NULL,
    CHECK (0 <= start AND start < "end"));
CREATE INDEX anecdotes_report ON anecdotes(report_id, start);
CREATE TABLE segment_edits (id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    edit TEXT NOT NULL, time TEXT NOT NULL);
CREATE TABLE labels (id INTEGER PRIMARY KEY AUTOINCREMENT, anecdote_id TEXT NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, code TEXT NOT NULL, coder TEXT NOT NULL,
    source TEXT NOT NULL, confidence REAL, active INTEGER NOT NULL, time TEXT NOT NULL);
CREATE INDEX labels_key ON labels(anecdote_id, code, coder, id);
CREATE TABLE codebooks (name TEXT PRIMARY KEY, body TEXT NOT NULL, saved TEXT NOT NULL);
"""


def _v1_file(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript(V1)
    con.execute(
        "INSERT INTO reports VALUES ('anker_1', 'anker_1.txt', 'txt', ?, ?, "
        "'{\"bezoek\": 1}', '2024-03-01T10:00:00+00:00')",
        (TEXT, content_hash(TEXT)),
    )
    con.execute("INSERT INTO anecdotes VALUES ('anker_1:17-61', 'anker_1', 17, 61, NULL, 0)")
    con.execute("INSERT INTO anecdotes VALUES ('anker_1:62-84', 'anker_1', 62, 84, NULL, 1)")
    for active, t in ((1, "10:01"), (0, "10:02")):
        con.execute(
            'INSERT INTO labels (anecdote_id, report_id, start, "end", code, coder, source, '
            f"confidence, active, time) VALUES ('anker_1:17-61', 'anker_1', 17, 61, 'P2', "
            f"'fleur', 'manual', NULL, {active}, '2024-03-01T{t}:00+00:00')"
        )
    con.execute(
        'INSERT INTO labels (anecdote_id, report_id, start, "end", code, coder, source, '
        "confidence, active, time) VALUES ('anker_1:62-84', 'anker_1', 62, 84, 'P4', 'rachid', "
        "'suggested-accepted', 0.7, 1, '2024-03-01T10:03:00+00:00')"
    )
    con.commit()
    con.close()
    return path


def test_a_version_1_file_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = _v1_file(tmp_path / "oud.ra")
    with Project.open(path) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert p.report("anker_1").text == TEXT
        assert [a.text for a in p.anecdotes()] == [
            "Anneke noemt de samenwerking ‘een warm bad’.",
            "De subsidie liep vast.",
        ]
        assert [(lb.code, lb.coder, lb.confidence) for lb in p.labels()] == [("P4", "rachid", 0.7)]
        history = p.label_history()
        assert history["event"].tolist() == ["label", "unlabel", "label"]
        # what version 2 added works on the migrated file
        p.set_annotations("practice", {"anker_1:62-84": ("P4", 0.8)})
        p.record_run({"seed": 0})
        p.embedding_cache().put_many("m", {})
        p.label("anker_1:17-61", "P2", coder="fleur")
        assert p._con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert p.integrity_check() == "ok"
    with Project.open(path) as p:  # a second open finds nothing to do
        assert p.schema_version == SCHEMA_VERSION and len(p.labels()) == 2


def test_a_version_0_file_gets_every_table(tmp_path: Path) -> None:
    path = tmp_path / "leeg.ra"
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                      "INSERT INTO schema_version VALUES (0);")  # fmt: skip
    con.close()
    with Project.open(path) as p:
        assert p.schema_version == SCHEMA_VERSION
        assert p.reports() == [] and p.labels() == [] and p.themes() == [] and p.runs() == []


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.ra"
    Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="newer reportanalysis"):
        Project.open(path)


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = _v1_file(tmp_path / "oud.ra")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE runs (x)")  # a table in the way of migration 2
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="left as it was"):
        Project.open(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version FROM schema_version").fetchone()[0] == 1
    columns = [r[1] for r in con.execute("PRAGMA table_info(labels)")]
    assert "event" not in columns  # the ALTER of the same migration was rolled back
    con.close()
