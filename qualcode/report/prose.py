"""The report's opening prose, written from the project: the data set, who analysed it and when,
and the phase log told as a short methods paragraph an author can edit into their own."""

from __future__ import annotations

import json
from collections.abc import Sequence

from qualcode.analysis.phases import PHASES, phase_log
from qualcode.names import natural_key
from qualcode.store import Project
from qualcode.wording import counted, join_names, long_date


def missing_parts(project: Project) -> list[str]:
    """What the report cannot show yet, with the command that fills the gap."""

    def has(sql: str) -> bool:
        return project.db.execute(sql).fetchone() is not None

    missing = []
    if not has("SELECT 1 FROM transcripts LIMIT 1"):
        missing.append("no transcripts: import them with `qualcode transcript import FILES`")
    if not has("SELECT 1 FROM codes WHERE status = 'active' LIMIT 1"):
        missing.append("no codes: add them with `qualcode code add NAME` or while coding with `qualcode code apply`")
    elif not has("SELECT 1 FROM codings LIMIT 1"):
        missing.append("no coded passages: code transcripts with `qualcode code apply CODE -t TRANSCRIPT ...`")
    if not has("SELECT 1 FROM themes WHERE status != 'discarded' LIMIT 1"):
        missing.append("no themes: build them with `qualcode theme add NAME --code CODE`")
    return missing


def data_set_paragraph(project: Project) -> str | None:
    transcripts, words, first, last = project.db.execute(
        "SELECT count(*), coalesce(sum(word_count), 0), min(imported_at), max(imported_at) FROM transcripts"
    ).fetchone()
    if not transcripts:
        return None
    participants = [
        r[0]
        for r in project.db.execute(
            "SELECT DISTINCT p.name FROM transcripts t JOIN participants p ON p.id = t.participant_id"
        )
    ]
    participants.sort(key=natural_key)
    text = f"The data set holds {counted(transcripts, 'interview transcript', in_words=True)} ({words:,} words)"
    if participants:
        text += f" with {counted(len(participants), 'participant', in_words=True)} ({', '.join(participants)})"
    text += "."
    if first:
        imported = "The transcript was imported" if transcripts == 1 else "The transcripts were imported"
        text += f" {imported} {date_span(first, last)}."
    return text


def analysis_paragraph(project: Project) -> str | None:
    codings, passages, codes, first, last = project.db.execute(
        "SELECT count(*), count(DISTINCT transcript_id || ':' || start || ':' || [end]), count(DISTINCT code_id),"
        " min(created), max(created) FROM codings"
    ).fetchone()
    if not codings:
        return None
    coders = [
        r[0]
        for r in project.db.execute(
            "SELECT a.name FROM analysts a WHERE a.id IN (SELECT DISTINCT analyst_id FROM codings) ORDER BY a.id"
        )
    ]
    # A consensus made by `compare merge` is the named analysts' agreed reading, not a coder.
    consensus = consensus_analysts(project)
    merged = [name for name in coders if name in consensus]
    coders = [name for name in coders if name not in consensus] or coders
    who = f"{counted(len(coders), 'analyst', in_words=True)} ({join_names(coders)})" if len(coders) > 1 else coders[0]
    text = f"{who[0].upper()}{who[1:]} coded {counted(passages, 'passage', in_words=True)} with {counted(codes, 'code', in_words=True)}"
    if codings != passages:  # several analysts (or codes) on the same passage
        text += f" ({counted(codings, 'coding', in_words=True)} in all)"
    text += f" {date_span(first, last)}."
    if len(coders) > 1:
        text += " Each analyst's codings are kept separately, so their readings can be compared."
    for name in merged:
        text += (
            f" After comparing their coding, {join_names(consensus[name])} agreed a consensus reading,"
            f" kept as the codings of ‘{name}’."
        )
    memos = dict(project.db.execute("SELECT kind, count(*) FROM memos GROUP BY kind").fetchall())
    written = []
    if memos.get("familiarisation"):
        written.append(counted(memos["familiarisation"], "familiarisation note", in_words=True))
    # The reflexive journal holds three kinds of entry; each is named, and only reflexive memos
    # are called reflexive.
    if memos.get("reflexive"):
        written.append(counted(memos["reflexive"], "reflexive memo", in_words=True))
    if memos.get("decision"):
        written.append(counted(memos["decision"], "decision memo", in_words=True))
    if memos.get("phase"):
        written.append(counted(memos["phase"], "phase memo", in_words=True))
    others = sum(n for kind, n in memos.items() if kind in ("code", "theme", "coding"))
    if others:
        written.append(counted(others, "memo", in_words=True) + " on codes, themes and passages")
    if written:
        text += f" Alongside the coding they wrote {join_names(written)}."
    return text


def consensus_analysts(project: Project) -> dict[str, list[str]]:
    """Each analyst made by `compare merge`, with the analysts whose codings it merged."""
    found: dict[str, list[str]] = {}
    for (after,) in project.db.execute(
        "SELECT after FROM audit_log WHERE action = 'compare merge' AND undone_by IS NULL"
    ):
        details = json.loads(after or "{}")
        if details.get("into"):
            found[details["into"]] = list(details.get("from") or [])
    return found


def methods_paragraph(project: Project) -> str:
    """The phase log as prose: where the analysis began, the runs of moves forward with their
    dates, each step back with the analyst's note saying why, and where it stands now."""

    log = phase_log(project)
    text = (
        "The analysis followed the six phases of reflexive thematic analysis (Braun & Clarke, 2006, 2021), "
        "treated as recursive rather than linear."
    )
    if not log:
        return text
    sentences: list[str] = []
    forward: list[dict] = []  # moves forward since the start or the last step back

    def close_run() -> None:
        if not forward:
            return
        dated = [f"{phase} on {date}" for phase, date in _dated_phases(forward)]
        if forward[0]["direction"] == "start":
            phase, date = _dated_phases(forward)[0]
            rest = dated[1:]
            sentences.append(
                f"{phase[:1].upper()}{phase[1:]} began on {date}"
                + (f", followed by {join_names(rest)}" if rest else "")
                + "."
            )
        else:
            sentences.append(f"It then moved on to {join_names(dated)}.")
        forward.clear()

    for move in log:
        if move["direction"] != "back":
            forward.append(move)
            continue
        close_run()
        sentences.append(f"On {long_date(move['at'])} the analysis went back to {_phase(move['phase'])}.")
        if move["note"]:
            who = move["analyst"] or "The analyst"
            sentences.append(f"{who} noted: {_quoted(move['note'])}")
    close_run()
    current = log[-1]["phase"]
    sentences.append(f"At the time of this report the analysis is in phase {current}, {_phase_name(current)}.")
    return " ".join([text, *sentences])


def _phase_name(number: int) -> str:

    return PHASES[number]


def _phase(number: int) -> str:
    return f"{_phase_name(number)} (phase {number})"


def _dated_phases(moves: Sequence[dict]) -> list[tuple[str, str]]:
    """('generating initial codes (phase 2)', '11 March'), … with the year only on the last
    date when every date of the run falls in that year, as one writes a list of dates."""
    dates = [long_date(move["at"]) for move in moves]
    year = dates[-1].rsplit(" ", 1)[-1]
    if all(date.endswith(f" {year}") for date in dates):
        dates = [date.removesuffix(f" {year}") for date in dates[:-1]] + [dates[-1]]
    return [(_phase(move["phase"]), date) for move, date in zip(moves, dates)]


def _quoted(note: str) -> str:
    """An analyst's note as a quotation on one line, ending in a full stop."""
    flat = " ".join(note.split())
    return f"“{flat}”" if flat[-1:] in ".!?" else f"“{flat}.”"


def date_span(first: str, last: str) -> str:
    """'on 3 March 2024', 'between 11 and 14 March 2026', 'between 28 February and 3 March 2026'."""
    start, end = long_date(first), long_date(last)
    if start == end:
        return f"on {start}"
    start_day, start_month, start_year = start.split(" ")
    _, end_month, end_year = end.split(" ")
    if start_year == end_year:
        start = start_day if start_month == end_month else f"{start_day} {start_month}"
    return f"between {start} and {end}"


def summary_paragraphs(project: Project) -> list[str]:
    return [p for p in (data_set_paragraph(project), analysis_paragraph(project), methods_paragraph(project)) if p]


def project_name(project: Project) -> str:
    """The study's name for titles: the project's 'title' setting, else its file name."""
    name = project.setting("title") or project.path.stem.replace("_", " ").replace("-", " ")
    return f"{name[:1].upper()}{name[1:]}"


def title_of(project: Project) -> str:
    return f"{project_name(project)}: thematic analysis"


def analysts_of(project: Project) -> list[str]:
    """Everyone who coded or wrote in the project, for the author line; else every analyst."""
    active = [
        r[0]
        for r in project.db.execute(
            "SELECT name FROM analysts WHERE id IN (SELECT analyst_id FROM codings UNION SELECT analyst_id FROM memos) ORDER BY id"
        )
    ]
    return active or project.analyst_names()
