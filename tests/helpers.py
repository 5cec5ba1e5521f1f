"""What the tests share: writing files, reading results back, and a small coded study.

Fixtures live in conftest.py; plain functions and data the test modules import live here, so no
test module imports another.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.participants import set_attributes
from qualcode.analysis.phases import set_phase
from qualcode.analysis.themes import add_theme, define_theme, set_theme_status
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

SAMPLES = Path(__file__).parent / "data" / "transcripts"
# The terminal width the demo's commands run at: wide enough that the README's examples show whole
# lines. CliRunner is not a tty, so rich prints no colour.
DEMO_COLUMNS = "160"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def write_sample(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def squash(text: str) -> str:
    """Collapse runs of spaces so assertions do not depend on table column widths."""
    return re.sub(r"[ \t]+", " ", text)


def speakers(parsed) -> list[str | None]:
    return [turn.speaker for turn in parsed.turns]


def coded(project) -> list[tuple[str, str, str, str]]:
    """(analyst, code, transcript, coded words) for every coding, sorted: what a reader would
    check after an import, independent of row ids."""
    rows = project.query(
        "SELECT a.name analyst, k.name code, t.name transcript, substr(t.text, c.start + 1, c.[end] - c.start) words"
        " FROM codings c JOIN analysts a ON a.id = c.analyst_id JOIN codes k ON k.id = c.code_id"
        " JOIN transcripts t ON t.id = c.transcript_id"
    )
    return sorted(tuple(r.values()) for r in rows)


# --- a small coded study for the report and table tests ----------------------------------------
# Three interviews, two analysts, two final themes (one with two subthemes), a candidate theme,
# memos and phase moves. The counts the tests check are worked out here by hand from the passages
# coded below.

P6 = """Interviewer: Can you tell me about a rupture you remember?
P6: There was a client who went very quiet for weeks. I kept pushing the homework and she kept agreeing, vaguely, and then she stopped coming for a while without saying why.
Interviewer: What did you do when she came back?
P6: I said so. I said you're right, I've been pushing, and I think I got anxious about the outcome measures. We talked about what had been happening between us and the work changed after that.
"""

P2 = """Interviewer: What happens when things go wrong between you and a client?
P2: More often someone just goes a bit flat. They agree with everything, it is all very pleasant, and then they cancel or they simply do not come back, and you are left wondering what you missed.
Interviewer: And when you notice it in time?
P2: Then I name it, gently. I say it feels like something got lost between us last week, and could we look at it together, and usually they are relieved that I raised it first.
"""

P3 = """Interviewer: How do you notice anxiety in a session?
P3: My own shoulders go up before I have even noticed that the client is frightened. I have learnt to treat my body as information about what is happening in the room between us.
"""

# The passages coded (transcript, code, analyst, exact words).
WITHDRAWN_P6 = "There was a client who went very quiet for weeks. I kept pushing the homework and she kept agreeing, vaguely, and then she stopped coming for a while without saying why."
WITHDRAWN_P2 = "More often someone just goes a bit flat. They agree with everything, it is all very pleasant, and then they cancel or they simply do not come back, and you are left wondering what you missed."
REPAIR_P6 = "I said you're right, I've been pushing, and I think I got anxious about the outcome measures."
REPAIR_P2 = "I say it feels like something got lost between us last week, and could we look at it together, and usually they are relieved that I raised it first."
INTERVIEWER_P2 = "What happens when things go wrong between you and a client?"
BODY_P3 = "My own shoulders go up before I have even noticed that the client is frightened. I have learnt to treat my body as information about what is happening in the room between us."

RUPTURE_THEME = "Rupture as generative"
QUIET = "Quiet withdrawal"
TALKING = "Repair by talking about it"
ANXIETY_THEME = "Anxiety in the room"
CANDIDATE_THEME = "Outcome measures as pressure"
RUPTURE_DEFINITION = "Ruptures are described as unavoidable and, when repaired, as turning points in the work."


def build_study(project: Project, tmp_path: Path) -> dict[str, int]:
    """Fill `project` with the study; returns the ids of the codings the tests refer to."""
    paths = [write(tmp_path / f"{name}.txt", text) for name, text in (("P6", P6), ("P2", P2), ("P3", P3))]
    import_transcripts(project, paths, "Maya")
    add_analyst(project, "Maya", "Tom")
    set_attributes(project, "Maya", "P6", {"orientation": "psychodynamic", "years": "27"})
    set_attributes(project, "Maya", "P2", {"orientation": "integrative", "years": "16"})
    set_attributes(project, "Maya", "P3", {"orientation": "person-centred", "years": "8"})
    set_attributes(project, "Maya", "P9", {"orientation": "CBT", "years": "3"})  # recruited, not interviewed
    add_memo(project, "Maya", "Reading P6 I noticed how quickly I sided with the therapist.", kind="reflexive")
    set_phase(project, "Maya", 2)
    add_code(project, "Maya", "Rupture", description="A strain in the alliance")
    add_code(project, "Maya", "Withdrawal", description="The client goes quiet or away", parent="Rupture")
    add_code(project, "Maya", "Repair", description="Working a rupture through")
    add_code(project, "Maya", "Felt sense", description="Bodily reactions as information")
    add_code(project, "Maya", "Measures", description="Outcome measures in sessions")
    ids = {}

    def code(analyst: str, codes: list[str], transcript: str, words: str) -> int:
        return apply_codes(project, analyst, codes, transcript, [Location(match=words)])[0].coding_id

    ids["withdrawn_p6"] = code("Maya", ["Withdrawal"], "P6", WITHDRAWN_P6)
    ids["withdrawn_p6_tom"] = code("Tom", ["Withdrawal"], "P6", WITHDRAWN_P6)  # the same passage again
    ids["withdrawn_p2"] = code("Maya", ["Withdrawal"], "P2", WITHDRAWN_P2)
    ids["repair_p6"] = code("Maya", ["Repair"], "P6", REPAIR_P6)
    ids["repair_p2"] = code("Tom", ["Repair"], "P2", REPAIR_P2)
    ids["interviewer_p2"] = code("Maya", ["Rupture"], "P2", INTERVIEWER_P2)
    ids["body_p3"] = code("Maya", ["Felt sense"], "P3", BODY_P3)
    ids["measures_p6"] = code("Maya", ["Measures"], "P6", "outcome measures")
    set_phase(project, "Maya", 3)
    add_theme(project, "Maya", RUPTURE_THEME, codes=["Rupture"])
    add_theme(project, "Maya", QUIET, parent=RUPTURE_THEME, codes=["Withdrawal"])
    add_theme(project, "Maya", TALKING, parent=RUPTURE_THEME, codes=["Repair"])
    add_theme(project, "Maya", ANXIETY_THEME, codes=["Felt sense"])
    add_theme(project, "Maya", CANDIDATE_THEME, codes=["Measures"])
    set_phase(project, "Maya", 5)
    set_phase(project, "Maya", 4, note="The anxiety theme rests on one participant.")
    define_theme(
        project, "Maya", RUPTURE_THEME, RUPTURE_DEFINITION, "A rupture worked through becomes a turning point."
    )
    define_theme(project, "Maya", QUIET, "Clients withdraw rather than protest.", "Silence as the sign of a rupture.")
    define_theme(project, "Maya", TALKING, "Naming the rupture and owning one's part.", "Repair happens in words.")
    add_memo(project, "Tom", "Decided to keep Withdrawal under Rupture.", kind="decision")
    for theme in (RUPTURE_THEME, ANXIETY_THEME):
        set_theme_status(project, "Maya", theme, "final")
    return ids


def study_project(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "projects" / "study.qualcode", "Maya")
    build_study(project, tmp_path)
    return project


_CAPTION_SPEECH = "so the next bed along is where we put the early potatoes every year and then the runner beans go up"


_CAPTION_WORDS = (_CAPTION_SPEECH + " the canes at the back once the frost is over").split(" ")


def youtube_auto_captions(cues: int) -> str:
    """YouTube's automatic captions: no punctuation, no pauses, word timings in <c> tags, and each
    cue repeating the line before it, with a 10 ms cue between."""
    blocks = ["WEBVTT\nKind: captions\nLanguage: en\n"]
    previous = ""
    for n in range(cues):
        start = n * 2.7
        words = [_CAPTION_WORDS[(n * 8 + i) % len(_CAPTION_WORDS)] for i in range(8)]
        timed = words[0] + "".join(f"<{_vtt_time(start + 0.3 * (i + 1))}><c> {w}</c>" for i, w in enumerate(words[1:]))
        blocks.append(
            f"{_vtt_time(start)} --> {_vtt_time(start + 2.69)} align:start position:0%\n{previous or ' '}\n{timed}\n"
        )
        previous = " ".join(words)
        blocks.append(
            f"{_vtt_time(start + 2.69)} --> {_vtt_time(start + 2.7)} align:start position:0%\n{previous}\n \n"
        )
    return "\n".join(blocks)


def _vtt_time(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{round((seconds - whole) * 1000) % 1000:03d}"


# --- what a failed command must leave as it was ---------------------------------------------


def project_dump(path: Path) -> list[str]:
    """Every table's schema and rows, read without changing the file: compare before and after."""
    import sqlite3

    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def files_snapshot(folder: Path, leave_out: tuple[Path, ...] = ()) -> dict[str, tuple[str, bytes]]:
    """Every file under `folder` (but the ones left out) with its kind and bytes; special files
    (FIFOs) by kind only, never read."""
    import stat

    skipped = {p.resolve() for p in leave_out}
    found: dict[str, tuple[str, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        if path.resolve() in skipped:
            continue
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            found[str(path.relative_to(folder))] = ("file", path.read_bytes())
        elif not stat.S_ISDIR(mode):
            found[str(path.relative_to(folder))] = ("special", b"")
    return found


def project_files(path: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm"))


def unchanged_after(run, tmp_path: Path, project_path: Path, *args: str):
    """Run a command that must fail; return its result once the project and files are checked."""
    before_dump = project_dump(project_path)
    before_files = files_snapshot(tmp_path, project_files(project_path))
    result = run(*args)
    assert project_dump(project_path) == before_dump
    assert files_snapshot(tmp_path, project_files(project_path)) == before_files
    return result


def error_line(result) -> str:
    """The one error line (a command may have said what it was starting before it failed)."""
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.output
    return errors[0]


HOMEWORK_P1 = "Interviewer: How did it start?\nP1: I kept pushing the homework, she kept agreeing, then went silent.\n"


def ana_and_ben(tmp_path: Path, codes: dict[str, list[tuple[int, int]]], text: str = HOMEWORK_P1) -> Project:
    """A two-analyst project with P1 imported and each code (created by the analyst named before
    the colon, "Ana:Rupture") applied by that analyst at the given spans: the small co-analyst
    study the blind-coding tests share."""
    project = Project.create(tmp_path / "projects" / "study.qualcode", "Ana")
    add_analyst(project, "Ana", "Ben")
    import_transcripts(project, [write(tmp_path / "P1.txt", text)], "Ana")
    for owned, spans in codes.items():
        analyst, code = owned.split(":", 1)
        add_code(project, analyst, code)
        for span in spans:
            apply_codes(project, analyst, [code], "P1", spans=[span])
    return project
