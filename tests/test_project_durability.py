"""A label the API has acknowledged is on disk: killed writers, two writers at once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reportanalysis.model import Anecdote, Report
from reportanalysis.project import Project

TEXT = (
    "Anneke noemt de samenwerking ‘een warm bad’. Mehmet komt elke week op dinsdagochtend langs.\n"
    "De subsidieaanvraag liep vast bij de afdeling Financiën; niemand wist wie erover ging.\n"
    "Afspraak: Mehmet zoekt uit wie het aanspreekpunt is en belt Anneke vóór 1 mei terug.\n"
)

#: Labels in a loop; prints each label once the call has returned (acknowledged), flushed.
WRITER = textwrap.dedent(
    """
    import sys
    import time
    from reportanalysis.project import Project

    path, coder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Project.open(path) as project:
        ids = [a.id for a in project.anecdotes()]
        print("ready", flush=True)
        sys.stdin.readline()  # wait for "go", so two writers really start together
        for i in range(count):
            label = project.label(ids[i % len(ids)], f"code-{i}", coder=coder)
            print(label.anecdote_id, label.code, label.coder, sep="\\t", flush=True)
            time.sleep(0.002)  # a pause, as between an analyst's labels: lets the writers alternate
    """
)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "gedeeld.ra"
    report = Report(id="anker_1", source="anker_1.txt", format="txt", text=TEXT)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", TEXT)]
    with Project.create(path) as p:
        p.add_report(report)
        p.set_anecdotes("anker_1", [Anecdote.from_span(report, s, e) for s, e in lines])
    return path


def _writer(path: Path, coder: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), coder, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def _current(path: Path) -> set[tuple[str, str, str]]:
    with Project.open(path) as p:
        assert p.integrity_check() == "ok"
        return {(lb.anecdote_id, lb.code, lb.coder) for lb in p.labels()}


@pytest.mark.slow
def test_every_acknowledged_label_survives_sigkill(project_path: Path) -> None:
    proc = _writer(project_path, "fleur", 100_000)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    _go(proc)
    acknowledged = []
    for line in proc.stdout:
        acknowledged.append(tuple(line.rstrip("\n").split("\t")))
        if len(acknowledged) >= 300:
            break
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    acknowledged += [tuple(line.split("\t")) for line in rest.splitlines() if line]
    assert proc.returncode == -signal.SIGKILL
    stored = _current(project_path)
    missing = [a for a in acknowledged if a not in stored]
    assert missing == [], f"{len(missing)} acknowledged labels lost"
    assert len(acknowledged) >= 300
    # and the killed project opens for writing again
    with Project.open(project_path) as p:
        p.label("anker_1:0-91", "na-de-crash", coder="fleur")
        assert p.integrity_check() == "ok"


@pytest.mark.slow
def test_two_processes_label_at_once_and_nothing_is_lost(project_path: Path) -> None:
    procs = {coder: _writer(project_path, coder, 500) for coder in ("fleur", "rachid")}
    for proc in procs.values():
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs.values():
        _go(proc)
    outputs = {}
    for coder, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        outputs[coder] = [tuple(x.split("\t")) for x in out.splitlines()]
    stored = _current(project_path)
    for coder, acknowledged in outputs.items():
        assert len(acknowledged) == 500
        assert all(a in stored for a in acknowledged), coder
    assert len(stored) == 1000
    with Project.open(project_path) as p:
        history = p.label_history()
    assert len(history) == 1000 and history["id"].is_unique
    # the two really wrote at the same time: their rows interleave in the history
    coders = history["coder"].tolist()
    switches = sum(a != b for a, b in zip(coders, coders[1:], strict=False))
    assert switches > 1


def test_a_writer_held_too_long_gives_a_clear_error(project_path: Path) -> None:
    import sqlite3

    from reportanalysis.errors import ProjectError

    blocker = sqlite3.connect(project_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        with Project.open(project_path, timeout=0.2) as p:
            assert len(p.anecdotes()) == 3  # readers are not blocked (WAL)
            with pytest.raises(ProjectError, match="cannot write"):
                p.label("anker_1:0-91", "P2", coder="fleur")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Project.open(project_path) as p:
        p.label("anker_1:0-91", "P2", coder="fleur")
        assert [lb.code for lb in p.labels()] == ["P2"]
