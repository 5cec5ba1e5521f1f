"""A coding session: stepping turn by turn through one transcript, coding as you read.

`SessionState` holds where the researcher is and what they did, and writes each action through
the coding library in its own transaction, so a session that is interrupted (Ctrl-C, a closed
terminal) has already saved everything entered before. `parse_command` reads one prompt line
into a `Command`. Drawing the screen and reading keys is the CLI's job (qualcode/cli/session.py).
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from qualcode.analysis.coding import (
    Applied,
    apply_to_passages,
    code_named,
    code_names,
    delete_code,
    remove_coding,
)
from qualcode.analysis.memos import add_memo
from qualcode.analysis.visibility import EVERYTHING, Visibility, visible_to
from qualcode.errors import InvalidInput, NotFound
from qualcode.names import spelled_as_stored, unknown_name_message
from qualcode.store import Project
from qualcode.text.corpus import StoredTranscript, load_transcript
from qualcode.text.matching import find_phrase
from qualcode.text.transcripts import LineIndex, Turn
from qualcode.wording import shell_command

# "first words ... last words" codes everything from one phrase to the other, so a long
# passage need not be typed out. Spaces around the dots keep "quite... withholding" literal.
RANGE_SEPARATOR = re.compile(r"\s+(?:\.\.\.|…)\s+")
QUOTES = '"“”'


# -- what the researcher typed ------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One prompt line. `action` is code, next, back, goto, memo, undo, list, help or quit."""

    action: str
    codes: tuple[str, ...] = ()
    new_codes: tuple[str, ...] = ()  # typed with a leading '+': create without asking
    phrase: str | None = None
    turn: int | None = None
    text: str | None = None


SIMPLE_COMMANDS = {
    "": "next",
    "n": "next",
    "b": "back",
    "u": "undo",
    "l": "list",
    "?": "help",
    "h": "help",
    "help": "help",
    "q": "quit",
    "quit": "quit",
    "exit": "quit",
}


def parse_command(line: str) -> Command:
    """Read one prompt line: a command letter, codes for the whole turn, or a phrase and codes.
    A code whose name is a command word is typed with a trailing comma ("Help,")."""
    line = line.strip()
    if line.lower() in SIMPLE_COMMANDS:
        return Command(SIMPLE_COMMANDS[line.lower()])
    goto = re.fullmatch(r"g\s*(\d+)", line, flags=re.IGNORECASE)
    if goto:
        return Command("goto", turn=int(goto.group(1)))
    wrong_goto = re.fullmatch(r"g\s+(\S+)", line, flags=re.IGNORECASE)
    if wrong_goto:
        raise InvalidInput(f"g takes a turn number, as in g 12 (not '{wrong_goto.group(1)}')")
    if re.match(r"m(\s|$)", line, flags=re.IGNORECASE):
        text = line[1:].strip()
        if not text:
            raise InvalidInput("m needs the memo's text, as in: m I notice I side with the therapist here")
        return Command("memo", text=text)
    phrase = None
    if line[0] in QUOTES:
        phrase, line = _split_phrase(line)
    codes, new_codes = _code_list(line)
    if not codes:
        raise InvalidInput(
            'name the codes after the phrase, as in: "my stomach just dropped" => Anxiety'
            if phrase
            else "no code names given; type ? for help"
        )
    return Command("code", codes=codes, new_codes=new_codes, phrase=phrase)


def _split_phrase(line: str) -> tuple[str, str]:
    """'"exact words" => Code A, Code B' (the arrow may be left out) -> (phrase, codes)."""
    left, arrow, right = line.partition("=>")
    if arrow:
        left = left.strip()
        if len(left) < 2 or left[-1] not in QUOTES:
            raise InvalidInput('close the phrase with a quote before =>, as in: "exact words" => Code')
        phrase, codes = left[1:-1], right
    else:
        closing = max(line.rfind(q) for q in QUOTES)
        if closing <= 0:
            raise InvalidInput('close the phrase with a quote, as in: "exact words" => Code')
        phrase, codes = line[1:closing], line[closing + 1 :]
    if not phrase.strip():
        raise InvalidInput("the phrase between the quotes is empty; copy some words of this turn")
    return phrase.strip(), codes


def _code_list(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names: dict[str, str] = {}
    new: list[str] = []
    for part in text.split(","):
        name = " ".join(part.split())
        if name.startswith("+"):
            name = name[1:].strip()
            if name:
                new.append(name)
        if name:
            names.setdefault(name.lower(), name)  # 'Rupture, rupture' is one code
    return tuple(names.values()), tuple(new)


# -- what the session shows and remembers ---------------------------------------------------


@dataclass(frozen=True)
class TurnCoding:
    """A coding that touches the current turn, clipped to it for display."""

    coding_id: int
    code: str
    color: str | None
    analyst: str
    mine: bool
    start: int  # clipped to the turn
    end: int
    text: str
    whole_turn: bool


@dataclass(frozen=True)
class Action:
    """One coding command, kept so `undo_last` can take it back."""

    turn: int
    applied: tuple[Applied, ...]
    created_codes: tuple[str, ...]


@dataclass(frozen=True)
class ApplyResult:
    applied: list[Applied]
    already_coded: int
    created_codes: list[str]
    span: tuple[int, int]


@dataclass
class SessionState:
    """Where a researcher is in one transcript, and the codings and memos they made this session."""

    project: Project
    analyst: str
    transcript: StoredTranscript
    steps: list[Turn]  # the turns this session steps through, in order
    position: int = 0  # index into steps
    actions: list[Action] = field(default_factory=list)
    memo_ids: list[int] = field(default_factory=list)
    # What this analyst may see (blind coding), read once when the session opens.
    seen: Visibility = EVERYTHING

    @classmethod
    def open(
        cls,
        project: Project,
        analyst: str,
        transcript: str,
        *,
        from_turn: int | None = None,
        speaker: str | None = None,
        participant_only: bool = False,
    ) -> SessionState:
        project.analyst_id(analyst)  # an unknown analyst fails here, before the first screen
        stored = load_transcript(project, transcript)
        state = cls(project, analyst, stored, _select_turns(stored, speaker, participant_only))
        state.seen = visible_to(project.db, analyst)
        if from_turn is not None:
            state.goto(from_turn)
        return state

    # -- where we are -----------------------------------------------------------------------

    @property
    def turn(self) -> Turn:
        return self.steps[self.position]

    @property
    def previous_turn(self) -> Turn | None:
        """The turn just before this one in the transcript (even when the session skips it):
        usually the question being answered."""
        index = self.turn.number - 1
        return self.transcript.turns[index - 1] if index > 0 else None

    @property
    def at_last(self) -> bool:
        return self.position == len(self.steps) - 1

    @property
    def analyst_id(self) -> int:
        return self.project.analyst_id(self.analyst)

    def next(self) -> bool:
        """Move to the next turn; False when this is the last one (the session stays put)."""
        if self.at_last:
            return False
        self.position += 1
        return True

    def back(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def goto(self, number: int) -> Turn:
        """Go to turn `number`; when the session skips that turn (another speaker's), go to the
        next turn it does show, or the last one before it."""
        count = len(self.transcript.turns)
        if not 1 <= number <= count:
            raise InvalidInput(f"turn {number} is outside {self.transcript.name}, which has turns 1 to {count}")
        later = [i for i, turn in enumerate(self.steps) if turn.number >= number]
        self.position = later[0] if later else len(self.steps) - 1
        return self.turn

    def text_of(self, turn: Turn) -> str:
        return self.transcript.text[turn.start : turn.end]

    def body_span(self, turn: Turn | None = None) -> tuple[int, int]:
        """The words spoken in a turn, without its speaker label or surrounding blank space."""
        turn = turn or self.turn
        start, end = turn.body_start, turn.end
        text = self.transcript.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def lines(self, turn: Turn | None = None) -> str:
        turn = turn or self.turn
        first, last = LineIndex(self.transcript.text).lines_of(turn.start, turn.end)
        return f"{first}-{last}" if last != first else str(first)

    # -- what is coded ----------------------------------------------------------------------

    def codings(self, turn: Turn | None = None) -> list[TurnCoding]:
        """Codings that touch a turn: the acting analyst's first, then others', in text order."""
        turn = turn or self.turn
        body_start, body_end = self.body_span(turn)
        analyst_id = self.analyst_id
        # Under blind coding another analyst's codings are not shown (qualcode.analysis.visibility).
        seen_clause, seen_params = self.seen.codings_clause()
        rows = self.project.db.execute(
            f"""
            SELECT c.id, k.name, k.color, a.name, c.analyst_id, c.start, c.[end]
            FROM codings c JOIN codes k ON k.id = c.code_id JOIN analysts a ON a.id = c.analyst_id
            WHERE c.transcript_id = ? AND c.start < ? AND c.[end] > ? {seen_clause}
            ORDER BY c.analyst_id != ?, c.start, c.[end] DESC, k.name
            """,
            [self.transcript.id, turn.end, turn.start, *seen_params, analyst_id],
        ).fetchall()
        found = []
        for coding_id, code, color, analyst, coder_id, start, end in rows:
            clipped = (max(start, turn.start), min(end, turn.end))
            found.append(
                TurnCoding(
                    coding_id,
                    code,
                    color,
                    analyst,
                    coder_id == analyst_id,
                    *clipped,
                    text=self.transcript.text[clipped[0] : clipped[1]],
                    whole_turn=start <= body_start and end >= body_end,
                )
            )
        return found

    def progress(self) -> tuple[int, int]:
        """(turns of this session the acting analyst has coded, turns in this session)."""
        spans = self.project.db.execute(
            "SELECT start, [end] FROM codings WHERE transcript_id = ? AND analyst_id = ?",
            [self.transcript.id, self.analyst_id],
        ).fetchall()
        coded = sum(1 for turn in self.steps if any(s < turn.end and e > turn.start for s, e in spans))
        return coded, len(self.steps)

    def resume_turn(self) -> int | None:
        """The turn after the last one of this session the acting analyst has coded, to offer
        carrying on there; None when nothing is coded yet or the last turn is."""
        row = self.project.db.execute(
            "SELECT max(start) FROM codings WHERE transcript_id = ? AND analyst_id = ?",
            [self.transcript.id, self.analyst_id],
        ).fetchone()
        if row[0] is None:
            return None
        after = [turn.number for turn in self.steps if turn.start > row[0]]
        return after[0] if after else None

    # -- coding -----------------------------------------------------------------------------

    def code_names(self) -> list[str]:
        return code_names(self.project, seen=self.seen)

    def unknown_codes(self, names: Sequence[str]) -> list[str]:
        """The names that are not in the codebook this analyst sees (merged or retired codes are
        known: applying them explains what happened to them). Under blind coding a code hidden
        from this analyst is unknown like one that does not exist, so that typing its name tells
        them nothing; asked to create it, they take it up as a new code of theirs (names are
        unique in a project, and two analysts who name a code alike mean it to be compared)."""
        unknown = []
        for name in names:
            row = code_named(self.project, name)
            if row is None or not self.seen.sees_code(row[0]):
                unknown.append(name)
        return unknown

    def find_phrase(self, phrase: str) -> tuple[int, int]:
        """Where `phrase` lies in the current turn's words, as the phrase matcher finds words
        (matching.py); "first words ... last words" spans from one to the other."""
        within = self.body_span()
        hits = self._hits(phrase, within)
        if hits:
            return self._only_one(hits, phrase)
        parts = RANGE_SEPARATOR.split(phrase.strip())
        if len(parts) == 2:
            start = self._only_one(self._hits(parts[0], within), parts[0])
            ends = self._hits(parts[1], (start[1], within[1]))
            if not ends:
                raise InvalidInput(f'"{parts[1]}" does not come after "{parts[0]}" in turn {self.turn.number}')
            return start[0], ends[0][1]
        raise InvalidInput(
            f'"{phrase}" is not in turn {self.turn.number}; copy the words as they are shown'
            + ("" if len(parts) > 1 else ', or use "first words ... last words"')
        )

    def _hits(self, phrase: str, within: tuple[int, int]) -> list[tuple[int, int]]:
        return find_phrase(self.transcript.text, phrase, within)

    def _only_one(self, hits: list[tuple[int, int]], phrase: str) -> tuple[int, int]:
        if not hits:
            raise InvalidInput(f'"{phrase}" is not in turn {self.turn.number}; copy the words as they are shown')
        if len(hits) > 1:
            raise InvalidInput(
                f'"{phrase}" occurs {len(hits)} times in turn {self.turn.number}; add a word or two to make it unique'
            )
        return hits[0]

    def apply(self, codes: Sequence[str], phrase: str | None = None, *, create: bool = False) -> ApplyResult:
        """Code the current turn's words, or a phrase within them, in one transaction.
        With `create`, codes not yet in the codebook are added; without it they are refused.
        A passage this analyst already coded with the same code is counted, not refused."""
        start, end = self.find_phrase(phrase) if phrase else self.body_span()
        if end <= start:
            raise InvalidInput(f"turn {self.turn.number} has no words to code")
        created = self.unknown_codes(codes)
        if created and not create:
            # Worded as check_codes words it, from the names this analyst sees: a hidden code
            # is refused exactly as a code that does not exist.
            raise NotFound(
                unknown_name_message("code", created[0], self.code_names(), shell_command("code", "add", created[0]))
            )
        applied, already = apply_to_passages(
            self.project, self.analyst, codes, {self.transcript.name: [(start, end)]}, create=create, skip_existing=True
        )
        if created and self.seen.filtered:
            self.seen = visible_to(self.project.db, self.analyst)  # the new codes are this analyst's now
        if applied:
            self.actions.append(Action(self.turn.number, tuple(applied), tuple(created)))
        return ApplyResult(applied, already, created, (start, end))

    def undo_last(self) -> Action | None:
        """Take back the last coding command of this session: its codings, and any code it
        created that nothing else uses now. None when there is nothing left to undo."""
        if not self.actions:
            return None
        action = self.actions.pop()
        for applied in reversed(action.applied):
            # Already removed elsewhere (`code remove`, `undo`): nothing left to take back.
            with contextlib.suppress(NotFound):
                remove_coding(self.project, self.analyst, applied.coding_id)
        for name in action.created_codes:
            in_use = self.project.db.execute(
                "SELECT count(*) FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.name = ?", [name]
            ).fetchone()[0]
            if not in_use and not self.unknown_codes([name]):
                delete_code(self.project, self.analyst, name)
        return action

    def add_memo(self, body: str) -> int:
        """A reflexive memo on this transcript, written now in the project's current phase."""

        memo_id = add_memo(self.project, self.analyst, body, kind="reflexive", on=f"transcript:{self.transcript.name}")
        self.memo_ids.append(memo_id)
        return memo_id

    # -- the summary at the end ---------------------------------------------------------------

    def coded_this_session(self) -> list[Applied]:
        """Codings made this session that still exist (undone ones are gone from `actions`)."""
        return [applied for action in self.actions for applied in action.applied]

    def summary(self) -> SessionSummary:
        applied = self.coded_this_session()
        return SessionSummary(
            codings=len(applied),
            turns=len({action.turn for action in self.actions}),
            codes=dict(Counter(a.code for a in applied)),
            created_codes=[name for action in self.actions for name in action.created_codes],
            memos=len(self.memo_ids),
            turn=self.turn.number,
        )


@dataclass(frozen=True)
class SessionSummary:
    codings: int  # made this session and not undone
    turns: int  # turns they were made on
    codes: dict[str, int]  # codings per code, in the order first used
    created_codes: list[str]
    memos: int
    turn: int  # where the session stopped


def _select_turns(stored: StoredTranscript, speaker: str | None, participant_only: bool) -> list[Turn]:
    if speaker and participant_only:
        raise InvalidInput("use --speaker or --participant-only, not both")
    turns = stored.turns
    if speaker:
        known = sorted({t.speaker for t in turns if t.speaker})
        match = spelled_as_stored(speaker, known)  # p6 for P6, O'Neil for O’Neil
        if match is None:
            raise InvalidInput(unknown_name_message(f"speaker in {stored.name}", speaker, known))
        turns = [t for t in turns if t.speaker == match]
    elif participant_only:
        if not stored.interviewer:
            raise InvalidInput(
                f"{stored.name} has no interviewer marked, so every turn counts as the participant's;"
                " choose the speaker with --speaker LABEL"
            )
        turns = [t for t in turns if not t.is_interviewer and t.speaker]
    if not turns:
        raise InvalidInput(f"{stored.name} has no turns to step through")
    return turns
