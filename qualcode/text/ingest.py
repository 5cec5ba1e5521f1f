"""Bringing transcript files into a project: the rules for names, participants and re-imports.

Each file is parsed by its importer, laid out as stored text, and written in the command's one
transaction. A file that cannot be read is reported and skipped, and the others still import;
a database failure rolls the whole command back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import InvalidInput, QualcodeError
from qualcode.input_limits import MAX_TRANSCRIPT_BYTES, read_input_file
from qualcode.store import Change, Project, new_guid
from qualcode.terminal_text import has_control_characters
from qualcode.text.importers import AS_FOUND, READABLE_SUFFIXES, REFUSED_SUFFIXES, SpeakerChoice, parse_file
from qualcode.text.importers.base import ParsedTurn
from qualcode.text.importers.encoding import ENCODING_NAMES
from qualcode.text.importers.speakers import interviewer_guess
from qualcode.text.pseudonyms import PseudonymMap
from qualcode.text.rewrite import CodingMove, LostCodings, apply_coding_moves, keep_version, plan_coding_moves
from qualcode.text.stored_turns import insert_turns, remove_turns, sha256_text
from qualcode.text.transcripts import LaidOut, lay_out, spoken_words

PSEUDONYM = re.compile(r"^(?:P|Participant\s*)\d+[A-Za-z]?$", re.IGNORECASE)


@dataclass
class FileResult:
    path: str
    name: str | None
    status: str  # imported | replaced | updated (interviewer only) | unchanged | skipped | failed
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    turns: int = 0
    words: int = 0
    codings: list[CodingMove] = field(default_factory=list)  # a replacement's codings, where each went
    participant: str | None = None


@dataclass
class ImportReport:
    results: list[FileResult]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def import_transcripts(
    project: Project,
    paths: Sequence[Path],
    analyst: str,
    *,
    name: str | None = None,
    participant: str | None = None,
    fmt: str | None = None,
    interviewer: str | None = None,
    replace: bool = False,
    drop_lost: bool = False,
    pseudonyms: PseudonymMap | None = None,
    speakers: SpeakerChoice = AS_FOUND,
    on_file: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import files as transcripts. With replace, a transcript of the same name gets the new text
    and its codings move with it (see rewrite.py); codings whose text is gone stop the whole
    command (LostCodings) unless drop_lost. A transcript gets a participant only when one is
    given or its only other speaker is labelled like a pseudonym (P3): none is invented. With
    pseudonyms, the map's names are replaced before anything is stored. speakers: the labels to
    take (`--speakers`), or none (`--no-speakers`), where the rules would misread a file."""

    if name and len(paths) > 1:
        raise InvalidInput("--name names one transcript; import several files without it (each takes its file name)")
    if speakers.only and speakers.none:
        raise InvalidInput("--speakers and --no-speakers contradict each other; give one of them")
    results: list[FileResult] = []
    with project.change(analyst, "transcript import") as change:
        for path in paths:
            path = Path(path)
            transcript_name = name or path.stem
            if not _utf8_name(transcript_name):
                # A file name that is not UTF-8 arrives with surrogate escapes SQLite cannot store.
                transcript_name = transcript_name.encode("utf-8", "backslashreplace").decode("utf-8")
                results.append(
                    FileResult(
                        _printable(path),
                        transcript_name,
                        "failed",
                        f"{_printable(path)}: the file name is not valid UTF-8; rename the file or give --name",
                    )
                )
                if on_file:
                    on_file(path)
                continue
            if path.name.startswith(_WORD_LOCK_PREFIX):
                results.append(FileResult(str(path), path.name, "skipped", _WORD_LOCK_MESSAGE))
                if on_file:
                    on_file(path)
                continue
            try:
                if path.is_dir():
                    raise QualcodeError(
                        f"{path}: a folder with no transcript files in it (.txt, .md, .docx, .vtt, .srt)"
                    )
                if has_control_characters(transcript_name):
                    raise QualcodeError(
                        f"{path}: the name '{transcript_name}' holds control characters; rename the file or give --name"
                    )
                source_bytes = read_input_file(path, MAX_TRANSCRIPT_BYTES, "transcript file")
                parsed = parse_file(path, fmt, speakers)
                named = _named_speaker(parsed.turns, interviewer, path) if interviewer else None
                chosen_interviewer = named or interviewer_guess(parsed.turns, parsed.interviewer_named)[0]
                laid_out = lay_out(parsed.turns, chosen_interviewer)
                if not laid_out.text.strip():
                    raise QualcodeError(f"{path}: no transcript text found")
                preamble = parsed.preamble
                if pseudonyms:
                    laid_out, _, _ = pseudonyms.apply_to_laid_out(laid_out)
                    chosen_interviewer = pseudonyms.replace_in(chosen_interviewer)
                    preamble = pseudonyms.replace_in(preamble)
                result = _store(
                    change,
                    transcript_name,
                    path,
                    hashlib.sha256(source_bytes).hexdigest(),
                    parsed.format,
                    parsed.encoding,
                    preamble,
                    chosen_interviewer,
                    laid_out,
                    participant or participant_from_speakers(laid_out, chosen_interviewer),
                    replace,
                    drop_lost,
                    participant_given=bool(participant),
                )
                if result.status in ("unchanged", "updated") and named:
                    _correct_interviewer(change, result, named)
                result.warnings = [*parsed.warnings, *result.warnings]
            except LostCodings:
                raise  # the whole command stops: nothing is changed
            except QualcodeError as error:
                result = FileResult(str(path), transcript_name, "failed", str(error))
            results.append(result)
            if on_file:
                on_file(path)
    return ImportReport(results)


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(path: Path) -> str:
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


# Word keeps "~$name.docx" beside a document while it is open; a wildcard or a folder picks it up.
_WORD_LOCK_PREFIX = "~$"
_WORD_LOCK_MESSAGE = "a lock file Word keeps while a document is open, not a transcript"


def transcript_files(paths: Sequence[Path]) -> list[Path]:
    """The files an import reads: each path given, and for a folder the transcripts in it, by name.

    Hidden files and other kinds of file in the folder (the recordings, say) are left aside; a
    folder with no transcripts stays in the list so that the import says so.
    """

    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        inside = [
            entry
            for entry in path.iterdir()
            if entry.is_file()
            and not entry.name.startswith(".")
            and entry.suffix.lower() in (*READABLE_SUFFIXES, *REFUSED_SUFFIXES)
        ]
        files.extend(sorted(inside, key=lambda entry: entry.name.casefold()) or [path])
    return files


def _correct_interviewer(change: Change, result: FileResult, interviewer: str) -> None:
    """Re-importing the same text with --interviewer sets who the interviewer is: the way to
    correct a wrong guess without replacing a transcript that may already have codings."""
    transcript_id, previous = change.db.execute(
        "SELECT id, interviewer FROM transcripts WHERE name = ?", [result.name]
    ).fetchone()
    if previous == interviewer:
        return
    change.update("transcripts", transcript_id, {"interviewer": interviewer})
    # the turns' flags follow from the transcript's interviewer, so they are not audited one by one
    change.execute(
        "UPDATE turns SET is_interviewer = (speaker IS ?) WHERE transcript_id = ?", [interviewer, transcript_id]
    )
    was = f"'{previous}'" if previous else "no one"
    result.status, result.message = "updated", f"same text; the interviewer is now '{interviewer}' (was {was})"


def _named_speaker(turns: Sequence[ParsedTurn], label: str, path: Path) -> str:
    """The speaker --interviewer names, spelled as in the file; matching ignores case and spacing."""
    speakers = list(dict.fromkeys(t.speaker for t in turns if t.speaker))
    wanted = " ".join(label.split()).casefold()
    for speaker in speakers:
        if " ".join(speaker.split()).casefold() == wanted:
            return speaker
    if not speakers:
        raise QualcodeError(f"{path}: --interviewer '{label}' names a speaker, but this file has no speaker labels")
    raise QualcodeError(
        f"{path}: no speaker '{label}' to mark as the interviewer; the speakers are "
        + ", ".join(f"'{s}'" for s in speakers)
    )


def participant_from_speakers(laid_out: LaidOut, interviewer: str | None) -> str | None:
    """A transcript whose only other speaker is labelled like a pseudonym (P3) belongs to them."""
    others = {t.speaker for t in laid_out.turns if t.speaker and t.speaker != interviewer}
    if len(others) == 1:
        (speaker,) = others
        if PSEUDONYM.match(speaker):
            return speaker.replace(" ", "")
    return None


def _store(
    change: Change,
    name: str,
    path: Path,
    source_sha: str,
    fmt: str,
    encoding: str | None,
    preamble: str | None,
    interviewer: str | None,
    laid_out: LaidOut,
    participant: str | None,
    replace: bool,
    drop_lost: bool = False,
    participant_given: bool = False,
) -> FileResult:
    db = change.db
    text_sha = sha256_text(laid_out.text)
    existing = db.execute("SELECT id, text_sha256 FROM transcripts WHERE name = ?", [name]).fetchone()
    # the words spoken: speaker labels are not counted ("P3: Yes." is one word)
    words = spoken_words(laid_out)
    result = FileResult(str(path), name, "imported", turns=len(laid_out.turns), words=words, participant=participant)
    if existing and existing[1] == text_sha:
        result.status, result.message = "unchanged", f"already imported as '{name}' with the same text; nothing to do"
        if participant_given and participant:
            _correct_participant(change, existing[0], participant, result)
        return result
    if not existing:
        twin = db.execute("SELECT name FROM transcripts WHERE text_sha256 = ?", [text_sha]).fetchone()
        if twin:
            result.status, result.message = "skipped", f"same text as transcript '{twin[0]}' already in the project"
            return result
    if existing and not replace:
        raise QualcodeError(
            f"{path}: a transcript named '{name}' already exists with different text; "
            "use --replace to replace it, or --name to import under another name"
        )
    moves: list[CodingMove] = []
    if existing:
        _refuse_guessed_encoding(change, existing[0], path, name, encoding)
        old_text = db.execute("SELECT text FROM transcripts WHERE id = ?", [existing[0]]).fetchone()[0]
        moves = plan_coding_moves(change, existing[0], old_text, laid_out.text)
        lost = [m for m in moves if m.status == "lost"]
        if lost and not drop_lost:
            raise LostCodings(name, lost)
    row = {
        "participant_id": ensure_participant(change, participant) if participant else None,
        "source_name": path.name,
        "source_sha256": source_sha,
        "format": fmt,
        "encoding": encoding,
        "interviewer": interviewer,
        "preamble": preamble,
        "text": laid_out.text,
        "text_sha256": text_sha,
        "char_count": len(laid_out.text),
        "word_count": words,
        "line_count": laid_out.text.count("\n") + 1,
        "turn_count": len(laid_out.turns),
        "imported_at": change.at,
        "imported_by": change.analyst_id,
    }
    if existing:
        transcript_id = existing[0]
        if not participant:  # a replacement keeps the participant unless the file or --participant names one
            del row["participant_id"]
        keep_version(change, transcript_id)
        remove_turns(change, transcript_id)
        change.update("transcripts", transcript_id, row)
        insert_turns(change, transcript_id, laid_out)
        apply_coding_moves(change, transcript_id, moves)
        result.status, result.codings = "replaced", moves
        return result
    transcript_id = change.insert("transcripts", {"name": name, "guid": new_guid(), **row})
    insert_turns(change, transcript_id, laid_out)
    return result


def _correct_participant(change: Change, transcript_id: int, participant: str, result: FileResult) -> None:
    """Re-importing the same text with --participant gives the transcript that participant."""
    pid = ensure_participant(change, participant)
    previous = change.db.execute(
        "SELECT p.name FROM transcripts t LEFT JOIN participants p ON p.id = t.participant_id WHERE t.id = ?",
        [transcript_id],
    ).fetchone()[0]
    if previous == participant:
        return
    change.update("transcripts", transcript_id, {"participant_id": pid})
    was = f"'{previous}'" if previous else "none"
    result.status, result.message = "updated", f"same text; the participant is now '{participant}' (was {was})"


# Encodings the importer can only guess: a file read so may not say what its writer meant.
_GUESSED_ENCODINGS = {"cp1252": "Windows-1252", "utf-8+cp1252": "partly Windows-1252"}


def _refuse_guessed_encoding(change: Change, transcript_id: int, path: Path, name: str, encoding: str | None) -> None:
    """A replacement read in a guessed encoding other than the one its transcript came in can
    garble accents and quote marks in coded passages: refuse it rather than move codings onto
    mis-read letters."""
    before = change.db.execute("SELECT encoding FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]
    if encoding in _GUESSED_ENCODINGS and before and before != encoding:
        raise QualcodeError(
            f"{path}: read as {_GUESSED_ENCODINGS[encoding]}, but '{name}' was imported from "
            f"{ENCODING_NAMES.get(before, before)}; save the new version as UTF-8 and import it again"
        )


def ensure_participant(change: Change, name: str) -> int:
    row = change.db.execute("SELECT id FROM participants WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    return change.insert("participants", {"name": name, "guid": new_guid(), "created": change.at})
