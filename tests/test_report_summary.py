"""The report's opening prose (data set, coding, methods), read as an author would paste it.

The project runs on a clock the test sets, so the dates are known; every time is at noon UTC,
so the dates read the same in any time zone the tests run in."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import write

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import apply_codes
from qualcode.analysis.phases import set_phase
from qualcode.report.prose import (
    analysis_paragraph,
    data_set_paragraph,
    date_span,
    methods_paragraph,
)
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

OPENING = (
    "The analysis followed the six phases of reflexive thematic analysis (Braun & Clarke, 2006, 2021), "
    "treated as recursive rather than linear."
)


class Clock:
    """Noon UTC on the day last set."""

    def __init__(self, day: str):
        self.day = day

    def __call__(self) -> str:
        return f"{self.day}T12:00:00+00:00"


@pytest.fixture
def clock():
    return Clock("2026-03-02")


@pytest.fixture
def dated(tmp_path, clock):
    project = Project.create(tmp_path / "projects" / "dated.qualcode", "Maya", clock=clock)
    yield project
    project.close()


def move(project: Project, clock: Clock, day: str, phase: int, note: str | None = None) -> None:
    clock.day = day
    set_phase(project, "Maya", phase, note)


def test_methods_tell_runs_of_moves_forward_the_step_back_with_its_note_and_where_it_stands(dated, clock):
    move(dated, clock, "2026-03-11", 2)
    move(dated, clock, "2026-03-23", 3)
    move(dated, clock, "2026-04-01", 4)
    move(dated, clock, "2026-04-10", 3, note="Two candidate themes rest on the same extracts")
    move(dated, clock, "2026-04-19", 4)
    move(dated, clock, "2026-04-28", 5)
    move(dated, clock, "2026-05-08", 6)
    assert methods_paragraph(dated) == (
        f"{OPENING} Familiarisation (phase 1) began on 2 March, followed by generating initial codes (phase 2)"
        " on 11 March, constructing candidate themes (phase 3) on 23 March and reviewing themes (phase 4) on"
        " 1 April 2026. On 10 April 2026 the analysis went back to constructing candidate themes (phase 3)."
        " Maya noted: “Two candidate themes rest on the same extracts.” It then moved on to reviewing themes"
        " (phase 4) on 19 April, defining and naming themes (phase 5) on 28 April and writing up (phase 6) on"
        " 8 May 2026. At the time of this report the analysis is in phase 6, writing up."
    )


def test_a_run_across_the_new_year_keeps_each_year_and_a_last_step_back_ends_the_story(tmp_path):
    clock = Clock("2025-12-20")
    project = Project.create(tmp_path / "winter.qualcode", "Maya", clock=clock)
    try:
        move(project, clock, "2026-01-05", 2)
        move(project, clock, "2026-01-09", 1, note="Re-read P4.\n\nThe codes missed her irony!")
        assert methods_paragraph(project) == (
            f"{OPENING} Familiarisation (phase 1) began on 20 December 2025, followed by generating initial"
            " codes (phase 2) on 5 January 2026. On 9 January 2026 the analysis went back to familiarisation"
            " (phase 1). Maya noted: “Re-read P4. The codes missed her irony!” At the time of this report the"
            " analysis is in phase 1, familiarisation."
        )
    finally:
        project.close()


def test_a_new_project_says_where_it_began(dated):
    assert methods_paragraph(dated) == (
        f"{OPENING} Familiarisation (phase 1) began on 2 March 2026. At the time of this report the analysis"
        " is in phase 1, familiarisation."
    )


def test_data_set_and_coding_read_as_sentences_with_small_numbers_in_words(dated, clock, tmp_path):
    transcript = write(tmp_path / "P1.txt", "Interviewer: How was it?\nP1: I was nervous at first and then relieved.\n")
    import_transcripts(dated, [transcript], "Maya")
    assert data_set_paragraph(dated) == (  # 11 words: three in the question, eight in the answer
        "The data set holds one interview transcript (11 words) with one participant (P1)."
        " The transcript was imported on 2 March 2026."
    )
    clock.day = "2026-03-11"
    apply_codes(dated, "Maya", ["Nerves"], "P1", [Location(match="I was nervous at first")], create=True)
    apply_codes(dated, "Maya", ["Relief"], "P1", [Location(match="then relieved")], create=True)
    assert analysis_paragraph(dated) == "Maya coded two passages with two codes on 11 March 2026."
    add_analyst(dated, "Maya", "Tom")
    clock.day = "2026-03-14"
    apply_codes(dated, "Tom", ["Nerves"], "P1", [Location(match="I was nervous at first")])
    assert analysis_paragraph(dated).startswith(
        "Two analysts (Maya and Tom) coded two passages with two codes (three codings in all)"
        " between 11 and 14 March 2026."
    )


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2026-03-11", "2026-03-11", "on 11 March 2026"),
        ("2026-03-11", "2026-03-14", "between 11 and 14 March 2026"),
        ("2026-02-28", "2026-03-03", "between 28 February and 3 March 2026"),
        ("2025-12-30", "2026-01-02", "between 30 December 2025 and 2 January 2026"),
    ],
)
def test_date_spans_name_a_month_and_year_once_where_they_are_shared(first, last, expected):
    noon = dt.time(12, tzinfo=dt.UTC)
    assert (
        date_span(
            dt.datetime.combine(dt.date.fromisoformat(first), noon).isoformat(),
            dt.datetime.combine(dt.date.fromisoformat(last), noon).isoformat(),
        )
        == expected
    )
