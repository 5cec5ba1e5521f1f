"""A reveal while a co-analyst's coding session is open is allowed, and says so; sessions record
their start and end, and a record left open by a crash is not reported once its process is gone
or it is older than STALE_AFTER_HOURS."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from helpers import ana_and_ben

from qualcode.analysis.blind import start_blind
from qualcode.analysis.open_sessions import STALE_AFTER_HOURS, open_sessions, record_end, record_start


@pytest.fixture
def blind_pair(tmp_path):
    project = ana_and_ben(tmp_path, {"Ana:Rupture": [(42, 62)]})
    start_blind(project, "Ana")
    yield project
    project.close()


def test_a_session_records_its_start_and_end_outside_the_trail(run, blind_pair):
    result = run("-a", "Ben", "code", "session", "P1", input="q\n")
    assert result.exit_code == 0, result.output
    rows = blind_pair.query("SELECT analyst_id, transcript_id, started, ended FROM coding_sessions")
    assert len(rows) == 1 and rows[0]["ended"] >= rows[0]["started"]
    assert open_sessions(blind_pair.db) == []
    assert "undid 'analyst blind on'" in run("undo").output  # not the session: no change to undo


def test_revealing_while_a_co_analyst_codes_says_so_and_reveals(run, blind_pair):
    ben = blind_pair.analyst_id("Ben")
    session = record_start(blind_pair, ben, 1)  # this process, still running: open
    record_start(blind_pair, blind_pair.analyst_id("Ana"), 1)  # the revealer's own is not news
    result = run("analyst", "blind", "off")
    assert result.exit_code == 0
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert re.fullmatch(
        r"note: Ben has a coding session open on P1 since \d\d:\d\d; it goes on showing only Ben's codings"
        r" until it is started again",
        notes[0],
    )
    assert "blind coding off: codes revealed for comparison" in result.output
    start_blind(blind_pair, "Ana")
    compared = run("compare", "agreement", "--yes")
    assert "note: Ben has a coding session open on P1" in compared.output
    record_end(blind_pair, session)
    start_blind(blind_pair, "Ana")
    assert "note:" not in run("analyst", "blind", "off").output


def test_a_session_left_open_by_a_crash_is_not_reported(blind_pair):
    ben = blind_pair.analyst_id("Ben")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    crashed = record_start(blind_pair, ben, 1)
    blind_pair.db.execute("UPDATE coding_sessions SET pid = ? WHERE id = ?", [int(gone.stdout), crashed])
    assert open_sessions(blind_pair.db) == []
    # Elsewhere its process cannot be checked: it counts as open until it is too old.
    blind_pair.db.execute("UPDATE coding_sessions SET host = 'another-machine' WHERE id = ?", [crashed])
    assert [s.analyst for s in open_sessions(blind_pair.db)] == ["Ben"]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=STALE_AFTER_HOURS, minutes=1)
    assert open_sessions(blind_pair.db, clock=later) == []
