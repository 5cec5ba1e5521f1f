"""The bundled demo study: six therapists on the therapeutic alliance, analysed by two researchers.

`build_demo` imports the transcripts in their several formats, then replays the scripted analysis
in data/study.json through the same library calls the commands use (so the demo exercises the
real program), on a calendar of its own so the journal and report carry plausible dates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.participants import import_attributes
from qualcode.analysis.phases import set_phase
from qualcode.analysis.status import project_status
from qualcode.analysis.thematic_map import take_snapshot, write_map
from qualcode.analysis.theme_narrative import write_narrative
from qualcode.analysis.theme_quotes import choose_quote
from qualcode.analysis.themes import (
    add_theme,
    assign_codes,
    define_theme,
    get_theme,
    link_themes,
    merge_themes,
    rename_theme,
    set_theme_status,
    with_subthemes,
)
from qualcode.errors import InvalidInput, QualcodeError
from qualcode.output_paths import file_kind, is_sqlite_database, special_file_kind
from qualcode.report.gather import write_report
from qualcode.report.paper_tables import write_themes_table
from qualcode.store import Project, open_read_only, set_setting
from qualcode.text.corpus import load_transcript
from qualcode.text.ingest import import_transcripts
from qualcode.text.matching import find_phrase
from qualcode.text.transcripts import Location

DATA = Path(__file__).parent / "data"
STUDY_START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@dataclass
class DemoResult:
    project: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class StudyCalendar:
    """Hands out times for the replayed steps: minutes apart within a phase, and days between
    phases, so the journal reads as weeks of work rather than one second."""

    def __init__(self, start: dt.datetime):
        self.current = start

    def tick(self, minutes: int = 7) -> None:
        self.current += dt.timedelta(minutes=minutes)
        if self.current.hour >= 18:  # researchers stop in the evening and go on next morning
            self.current = (self.current + dt.timedelta(days=1)).replace(hour=9, minute=30)

    def next_phase(self) -> None:
        self.current = (self.current + dt.timedelta(days=9)).replace(hour=9, minute=30)

    def __call__(self) -> str:
        return self.current.isoformat(timespec="seconds")


def load_study() -> dict[str, Any]:
    return json.loads((DATA / "study.json").read_text(encoding="utf-8"))


def build_demo(project_path: Path, out_dir: Path, progress: Callable[[str], None] | None = None) -> DemoResult:
    """Build the demo project at `project_path` (replacing an earlier demo) and write its report,
    map and theme table to `out_dir`. The project is built under a temporary name and moved into
    place at the end, so a failure never leaves a half-built demo behind."""
    study = load_study()
    analysts = [a["name"] for a in study["analysts"]]
    default = next((a["name"] for a in study["analysts"] if a.get("default")), analysts[0])
    # Both folders are checked before the study is replayed, so a bad --out fails at once.
    ensure_writable_folder(project_path.parent, "--project-file")
    ensure_writable_folder(out_dir, "--out")
    ensure_replaceable_demo(project_path, study["title"])
    building = project_path.with_name(f".{project_path.stem}-building{project_path.suffix}")
    _remove_project_files(building)
    calendar = StudyCalendar(STUDY_START)
    project = Project.create(building, default, clock=calendar)
    try:
        set_setting(project, default, "title", study["title"])
        for name in analysts:
            if name != default:
                add_analyst(project, default, name)
        replay = Replay(project, default, calendar)
        for step in study["steps"]:
            replay.run(step)
    finally:
        project.close()
    _remove_project_files(project_path)
    os.replace(building, project_path)
    if progress:
        progress("analysis replayed")
    # Outputs are written from the project at its final path, so they name it correctly.
    project = Project.open(project_path)
    try:
        result = DemoResult(project_path)
        result.counts = _counts(project)
        result.outputs = write_outputs(project, out_dir, project_path.stem, result.warnings)
    finally:
        project.close()
    return result


def ensure_writable_folder(folder: Path, option: str) -> None:
    """Create `folder` if needed and check that files can be made in it."""

    blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise QualcodeError(f"cannot write to {folder}: {blocking} is a file, not a folder (choose another {option})")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise QualcodeError(f"cannot write to {folder}: {error.strerror or error} (choose another {option})") from None


def ensure_replaceable_demo(path: Path, title: str) -> None:
    """Refuse a --project-file that holds anything but an earlier demo: a typo must not delete a
    real project (with its -wal/-shm) or turn a document into SQLite."""
    if not os.path.lexists(path):
        return
    refusal = f"refusing to replace {path}: it is {{}}, not an earlier demo (choose another --project-file)"
    if path.is_dir():
        raise InvalidInput(refusal.format("a folder"))
    if not path.is_file():
        raise InvalidInput(refusal.format(special_file_kind(os.stat(path).st_mode)))
    if not is_sqlite_database(path):
        raise InvalidInput(refusal.format(file_kind(path)))
    try:
        with open_read_only(path) as db:
            row = db.execute("SELECT value FROM settings WHERE key = 'title'").fetchone()
    except (QualcodeError, sqlite3.Error):
        raise InvalidInput(refusal.format("an SQLite database")) from None
    if not row or row[0] != title:
        raise InvalidInput(refusal.format("a qualcode project of its own"))


def _remove_project_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class Replay:
    """Runs one study.json step at a time through the library."""

    def __init__(self, project: Project, default_analyst: str, calendar: StudyCalendar):
        self.project = project
        self.default = default_analyst
        self.calendar = calendar

    def run(self, step: dict[str, Any]) -> None:
        handler = getattr(self, f"do_{step['do']}", None)
        if handler is None:
            raise QualcodeError(f"demo study: unknown step '{step['do']}'")
        self.calendar.tick()
        try:
            handler(step, step.get("analyst") or self.default)
        except QualcodeError as error:
            raise QualcodeError(f"demo study step {step}: {error}") from None

    def do_import(self, step: dict, analyst: str) -> None:

        report = import_transcripts(
            self.project,
            [DATA / step["file"]],
            analyst,
            participant=step.get("participant"),
            interviewer=step.get("interviewer"),
        )
        if report.failed:
            raise QualcodeError(report.failed[0].message)

    def do_attributes(self, step: dict, analyst: str) -> None:

        import_attributes(self.project, analyst, DATA / step["file"])

    def do_phase(self, step: dict, analyst: str) -> None:

        self.calendar.next_phase()
        set_phase(self.project, analyst, step["to"], step.get("note"))

    def do_memo(self, step: dict, analyst: str) -> None:

        add_memo(self.project, analyst, step["text"], step.get("kind"), step.get("on"))

    def do_code(self, step: dict, analyst: str) -> None:

        add_code(
            self.project,
            analyst,
            step["name"],
            description=step.get("description"),
            parent=step.get("parent"),
            color=step.get("color"),
            inclusion=step.get("inclusion"),
            exclusion=step.get("exclusion"),
        )

    def do_apply(self, step: dict, analyst: str) -> None:

        self.calendar.tick(2)
        location = Location(match=step["match"], occurrence=step.get("occurrence"))
        apply_codes(self.project, analyst, step["codes"], step["transcript"], [location])

    def do_theme(self, step: dict, analyst: str) -> None:

        add_theme(
            self.project,
            analyst,
            step["name"],
            parent=step.get("parent"),
            definition=step.get("definition"),
            concept=step.get("concept"),
        )
        if step.get("status", "candidate") != "candidate":
            set_theme_status(self.project, analyst, step["name"], step["status"])

    def do_assign(self, step: dict, analyst: str) -> None:

        assign_codes(self.project, analyst, step["codes"], step["theme"])

    def do_theme_rename(self, step: dict, analyst: str) -> None:

        rename_theme(self.project, analyst, step["theme"], step["to"])

    def do_theme_merge(self, step: dict, analyst: str) -> None:

        merge_themes(self.project, analyst, step["theme"], step["into"])

    def do_theme_status(self, step: dict, analyst: str) -> None:

        set_theme_status(self.project, analyst, step["theme"], step["status"])

    def do_theme_define(self, step: dict, analyst: str) -> None:

        define_theme(self.project, analyst, step["theme"], step.get("definition"), step.get("concept"))

    def do_link(self, step: dict, analyst: str) -> None:

        link_themes(self.project, analyst, step["from"], step["to"], step.get("label"))

    def do_quote(self, step: dict, analyst: str) -> None:

        choose_quote(self.project, analyst, step["theme"], self._coding_containing(step, analyst))

    def do_narrative(self, step: dict, analyst: str) -> None:
        """The analytic narrative of a theme; its extracts are written [[1]], [[2]] … in the study
        and become {{CODING_ID}} (with the trim, if any) once the codings exist."""

        text = step["text"]
        for number, extract in enumerate(step["extracts"], 1):
            coding_id = self._coding_containing({**extract, "theme": step["theme"]}, extract["analyst"])
            trim = extract.get("trim")
            text = text.replace(f"[[{number}]]", f'{{{{{coding_id}: "{trim}"}}}}' if trim else f"{{{{{coding_id}}}}}")
        check = write_narrative(self.project, analyst, step["theme"], text)
        if check.problems:
            raise QualcodeError(f"narrative of '{step['theme']}': {check.problems[0]}")

    def do_snapshot(self, step: dict, analyst: str) -> None:

        take_snapshot(self.project, analyst, step.get("note"))

    def _coding_containing(self, step: dict, analyst: str) -> int:
        """The analyst's coding, in a code of the theme, whose passage contains the quoted words."""

        transcript = load_transcript(self.project, step["transcript"])
        hits = find_phrase(transcript.text, step["match"])
        if not hits:
            raise QualcodeError(f"quote not found in {step['transcript']}: {step['match']}")
        start, end = hits[0]
        theme_ids = with_subthemes(self.project, get_theme(self.project, step["theme"]).id)
        row = self.project.db.execute(
            f"""
            SELECT c.id FROM codings c JOIN theme_codes tc ON tc.code_id = c.code_id
            WHERE c.transcript_id = ? AND c.analyst_id = ? AND c.start <= ? AND c.[end] >= ?
              AND tc.theme_id IN ({",".join("?" for _ in theme_ids)})
            ORDER BY c.[end] - c.start LIMIT 1
            """,
            [transcript.id, self.project.analyst_id(analyst), start, end, *theme_ids],
        ).fetchone()
        if row is None:
            raise QualcodeError(f"no coding by {analyst} in a code of '{step['theme']}' holds: {step['match']}")
        return row[0]


def _counts(project: Project) -> dict[str, Any]:

    return project_status(project)


def write_outputs(project: Project, out_dir: Path, name: str, warnings: list[str]) -> dict[str, Path]:
    """The documents an author takes from the study: report, map and the table of themes."""

    ensure_writable_folder(out_dir, "--out")
    outputs = {
        "map": write_map(project, out_dir / f"{name}-map.png", "png", status="final"),
        "themes": write_themes_table(project, out_dir / f"{name}-themes.md", "md"),
    }
    report = write_report(
        project, out_dir / f"{name}-report.docx", include=["journal", "agreement", "codebook", "audit"]
    )
    outputs["report"] = report.path
    warnings.extend(report.warnings)
    return outputs
