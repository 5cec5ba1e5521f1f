"""Check the demo's scripted analysis (study.json) against its transcripts before it ships.

`qualcode demo` replays study.json step by step through the library, so a match phrase that is
missing, ambiguous or split over two turns, a code used before it exists, or a quote that no coding
covers would only show up as a failed demo. This script replays the script's bookkeeping without
the library: it reads each transcript format directly, the way the importers lay turns out, and
tracks codes, themes, phases and codings as the steps change them.

It also prints what the demo is meant to show about the two analysts: how many codings each made,
which codes only one of them used, and how far their codings overlap.

Run: python qualcode/demo/data/check_study.py   (exit status 1 if anything is wrong)

Reading the transcripts is in study_transcripts.py beside it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Run as a script, this file's folder is first on sys.path and its neighbour imports as a plain
# module; imported from the package (python -m, or mypy reading it), it is qualcode.demo.data's.
if TYPE_CHECKING or __package__:
    from qualcode.demo.data.study_transcripts import Transcript, read_transcript
else:
    from study_transcripts import Transcript, read_transcript

DATA = Path(__file__).resolve().parent
MEMO_KINDS = {"familiarisation", "reflexive", "decision", "code", "theme"}
THEME_STATUSES = {"candidate", "reviewed", "final", "discarded"}
ATTRIBUTE_COLUMNS = [
    "participant",
    "gender",
    "age_band",
    "orientation",
    "years_practice",
    "registration",
    "setting",
]
CODINGS_PER_ANALYST = range(70, 111)
CODEBOOK_SIZE = range(25, 36)
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")

Step = dict[str, Any]  # one scripted step as read from study.json


# --- replaying the script ------------------------------------------------------------------------


@dataclass
class Coding:
    analyst: str
    transcript: str
    code: str
    start: int
    end: int
    speaker: str


@dataclass
class Theme:
    parent: str | None
    status: str
    codes: set[str] = field(default_factory=set)
    definition: str = ""


class Replay:
    def __init__(self, study: dict[str, Any]) -> None:
        self.problems: list[str] = []
        self.analysts = [analyst["name"] for analyst in study["analysts"]]
        self.transcripts: dict[str, Transcript] = {}
        self.participants: dict[str, str] = {}  # transcript -> participant
        self.interviewers: dict[str, str] = {}
        self.codes: dict[str, str | None] = {}  # name -> parent
        self.codings: list[Coding] = []
        self.themes: dict[str, Theme] = {}
        self.quotes: list[tuple[str, str, str]] = []  # theme, transcript, analyst
        self.phase = 1
        self.phase_moves: list[tuple[int, int]] = []
        self.familiarised: set[tuple[str, str]] = set()
        self.snapshot_phases: list[int] = []
        self.memo_kinds: Counter[str] = Counter()
        for number, step in enumerate(study["steps"], 1):
            handler = getattr(self, "do_" + step.get("do", "?"), None)
            if handler is None:
                self.fail(number, f"unknown step {step.get('do')!r}")
                continue
            try:
                handler(number, step)
            except KeyError as missing:
                self.fail(number, f"step lacks key {missing}")

    def fail(self, number: int, message: str) -> None:
        self.problems.append(f"step {number}: {message}")

    def _analyst(self, number: int, step: Step) -> None:
        if step["analyst"] not in self.analysts:
            self.fail(number, f"unknown analyst {step['analyst']!r}")

    def do_import(self, number: int, step: Step) -> None:
        path = DATA / step["file"]
        try:
            transcript = read_transcript(path)
        except (OSError, ValueError) as error:
            self.fail(number, f"cannot read {step['file']}: {error}")
            return
        speakers = {turn.speaker for turn in transcript.turns}
        if speakers != {step["interviewer"], step["participant"]}:
            self.fail(number, f"{step['file']}: speakers {sorted(speakers)}")
        self.transcripts[step["participant"]] = transcript
        self.participants[step["participant"]] = step["participant"]
        self.interviewers[step["participant"]] = step["interviewer"]

    def do_attributes(self, number: int, step: Step) -> None:
        with open(DATA / step["file"], encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
        if reader.fieldnames != ATTRIBUTE_COLUMNS:
            self.fail(number, f"attribute columns {reader.fieldnames}")
        listed = {row["participant"] for row in rows}
        if listed != {f"P{n}" for n in range(1, 15)} or len(rows) != 14:
            self.fail(number, "participants.csv must list P1-P14 once each")
        missing = set(self.transcripts) - listed
        if missing:
            self.fail(number, f"transcripts without attributes: {sorted(missing)}")

    def do_phase(self, number: int, step: Step) -> None:
        self._analyst(number, step)
        target = step["to"]
        if target not in range(1, 7) or target == self.phase or not step.get("note"):
            self.fail(number, f"bad phase change {self.phase} -> {target} (a note is required)")
        if self.phase == 1 and target > 1:
            for participant in self.transcripts:
                for analyst in self.analysts:
                    if (analyst, participant) not in self.familiarised:
                        self.fail(number, f"{analyst} left phase 1 without a familiarisation memo on {participant}")
        self.phase_moves.append((self.phase, target))
        self.phase = target

    def do_memo(self, number: int, step: Step) -> None:
        self._analyst(number, step)
        if step["kind"] not in MEMO_KINDS or not step["text"].strip():
            self.fail(number, f"memo kind {step['kind']!r} or empty text")
        self.memo_kinds[step["kind"]] += 1
        target = step["on"]
        if target is None:
            return
        kind, _, name = target.partition(":")
        known: dict[str, set[str]] = {
            "transcript": set(self.transcripts),
            "code": set(self.codes),
            "theme": set(self.themes),
        }
        if name not in known.get(kind, set()):
            self.fail(number, f"memo on unknown {target!r}")
        if step["kind"] == "familiarisation" and kind == "transcript":
            self.familiarised.add((step["analyst"], name))

    def do_code(self, number: int, step: Step) -> None:
        name, parent = step["name"], step["parent"]
        if name in self.codes:
            self.fail(number, f"code {name!r} already exists")
        if parent is not None and (parent not in self.codes or self.codes[parent] is not None):
            self.fail(number, f"parent {parent!r} of {name!r} must be an existing top-level code")
        if not HEX_COLOUR.match(step["color"]) or not step["description"].strip():
            self.fail(number, f"code {name!r}: colour or description")
        for key in ("inclusion", "exclusion"):
            if not step[key].strip():
                self.fail(number, f"code {name!r} has an empty {key} note")
        self.codes[name] = parent

    def _locate(self, number: int, transcript: str, phrase: str, occurrence: int | None) -> tuple[int, int, str] | None:
        if transcript not in self.transcripts:
            self.fail(number, f"transcript {transcript!r} not imported")
            return None
        source = self.transcripts[transcript]
        if "\n" in phrase or not phrase.strip():
            self.fail(number, f"{transcript}: phrase spans a line break or is empty")
            return None
        found = source.find(phrase)
        if phrase in source.outside_turns:
            self.fail(number, f"{transcript}: phrase also occurs outside the turns: {phrase[:50]!r}")
        if occurrence is None and len(found) != 1:
            self.fail(number, f"{transcript}: phrase found {len(found)} times within single turns: {phrase[:70]!r}")
            return None
        if occurrence is not None and not 1 <= occurrence <= len(found):
            self.fail(number, f"{transcript}: occurrence {occurrence} of {len(found)}: {phrase[:70]!r}")
            return None
        return found[(occurrence or 1) - 1]

    def do_apply(self, number: int, step: Step) -> None:
        self._analyst(number, step)
        place = self._locate(number, step["transcript"], step["match"], step.get("occurrence"))
        if place is None:
            return
        if not step["codes"] or len(set(step["codes"])) != len(step["codes"]):
            self.fail(number, "codes list empty or repeated")
        for code in step["codes"]:
            if code not in self.codes:
                self.fail(number, f"code {code!r} does not exist yet")
                continue
            if any(
                c.analyst == step["analyst"]
                and c.transcript == step["transcript"]
                and c.code == code
                and c.start < place[1]
                and place[0] < c.end
                for c in self.codings
            ):
                self.fail(number, f"{step['analyst']} already coded overlapping text with {code!r}")
            self.codings.append(Coding(step["analyst"], step["transcript"], code, place[0], place[1], place[2]))

    def do_theme(self, number: int, step: Step) -> None:
        name, parent = step["name"], step["parent"]
        if name in self.themes:
            self.fail(number, f"theme {name!r} already exists")
        if parent is not None and (parent not in self.themes or self.themes[parent].parent is not None):
            self.fail(number, f"parent {parent!r} must be an existing top-level theme")
        if step["status"] not in THEME_STATUSES or not step["definition"] or not step["concept"]:
            self.fail(number, f"theme {name!r}: status, definition or concept")
        self.themes[name] = Theme(parent, step["status"], definition=step["definition"])

    def _theme(self, number: int, name: str) -> Theme | None:
        if name not in self.themes:
            self.fail(number, f"theme {name!r} does not exist")
            return None
        return self.themes[name]

    def do_assign(self, number: int, step: Step) -> None:
        theme = self._theme(number, step["theme"])
        for code in step["codes"]:
            if code not in self.codes:
                self.fail(number, f"code {code!r} does not exist")
            elif theme is not None:
                theme.codes.add(code)

    def do_theme_rename(self, number: int, step: Step) -> None:
        old, new = step["theme"], step["to"]
        if self._theme(number, old) is None:
            return
        if new in self.themes:
            self.fail(number, f"theme {new!r} already exists")
            return
        self.themes[new] = self.themes.pop(old)
        for theme in self.themes.values():
            if theme.parent == old:
                theme.parent = new

    def do_theme_merge(self, number: int, step: Step) -> None:
        source, target = self._theme(number, step["theme"]), self._theme(number, step["into"])
        if source is None or target is None:
            return
        target.codes |= source.codes
        for theme in self.themes.values():
            if theme.parent == step["theme"]:
                theme.parent = step["into"]
        del self.themes[step["theme"]]

    def do_theme_status(self, number: int, step: Step) -> None:
        theme = self._theme(number, step["theme"])
        if step["status"] not in THEME_STATUSES:
            self.fail(number, f"status {step['status']!r}")
        elif theme is not None:
            theme.status = step["status"]

    def do_theme_define(self, number: int, step: Step) -> None:
        theme = self._theme(number, step["theme"])
        if not step["definition"].strip() or not step["concept"].strip():
            self.fail(number, "empty definition or concept")
        elif theme is not None:
            theme.definition = step["definition"]

    def do_link(self, number: int, step: Step) -> None:
        self._theme(number, step["from"])
        self._theme(number, step["to"])
        if not step["label"].strip() or step["from"] == step["to"]:
            self.fail(number, "link needs a label and two different themes")

    def codes_under(self, name: str) -> set[str]:
        codes = set(self.themes[name].codes)
        for theme in self.themes.values():
            if theme.parent == name:
                codes |= theme.codes
        return codes

    def do_quote(self, number: int, step: Step) -> None:
        self._analyst(number, step)
        theme = self._theme(number, step["theme"])
        place = self._locate(number, step["transcript"], step["match"], None)
        if theme is None or place is None:
            return
        if theme.status == "discarded":
            self.fail(number, f"quote on discarded theme {step['theme']!r}")
        allowed = self.codes_under(step["theme"])
        covering = [
            c
            for c in self.codings
            if c.analyst == step["analyst"]
            and c.transcript == step["transcript"]
            and c.code in allowed
            and c.start <= place[0]
            and place[1] <= c.end
        ]
        if not covering:
            self.fail(
                number,
                f"no coding by {step['analyst']} of a code in {step['theme']!r} covers {step['match'][:60]!r}",
            )
        elif len({(c.start, c.end) for c in covering}) > 1:
            self.fail(
                number,
                f"the quote {step['match'][:60]!r} lies in more than one of {step['analyst']}'s extracts",
            )
        self.quotes.append((step["theme"], step["transcript"], step["analyst"]))

    def do_narrative(self, number: int, step: Step) -> None:
        """Each [[n]] of the text names one of the step's extracts, checked as a quote would be."""
        self._analyst(number, step)
        placed = {int(n) for n in re.findall(r"\[\[(\d+)\]\]", step["text"])}
        if placed != set(range(1, len(step["extracts"]) + 1)):
            self.fail(
                number, f"narrative of {step['theme']!r} places {sorted(placed)} of {len(step['extracts'])} extracts"
            )
        for extract in step["extracts"]:
            self.do_quote(number, {**extract, "theme": step["theme"]})
            self.quotes.pop()  # an extract placed in a narrative is not a chosen quote

    def do_snapshot(self, number: int, step: Step) -> None:
        if not step["note"].strip():
            self.fail(number, "snapshot without a note")
        self.snapshot_phases.append(self.phase)

    # --- whole-script expectations ------------------------------------------------------------

    def check_totals(self) -> None:
        def fail(message: str) -> None:
            self.problems.append(f"overall: {message}")

        if len(self.codes) not in CODEBOOK_SIZE:
            fail(f"{len(self.codes)} codes; the codebook should have 25-35")
        backward = [move for move in self.phase_moves if move[1] < move[0]]
        if len(backward) != 1 or self.phase != 6:
            fail(f"phase log should go back exactly once and end at 6: {self.phase_moves}")
        if not {3, 5} <= set(self.snapshot_phases):
            fail(f"snapshots taken in phases {self.snapshot_phases}; need phase 3 and phase 5")
        for analyst in self.analysts:
            mine = [c for c in self.codings if c.analyst == analyst]
            if len(mine) not in CODINGS_PER_ANALYST:
                fail(f"{analyst} has {len(mine)} codings; expected 70-110")
            uncoded = set(self.transcripts) - {c.transcript for c in mine}
            if uncoded:
                fail(f"{analyst} did not code {sorted(uncoded)}")
        used = {analyst: {c.code for c in self.codings if c.analyst == analyst} for analyst in self.analysts}
        solo = set.symmetric_difference(*used.values())
        if not 2 <= len(solo) <= 3:
            fail(f"codes used by only one analyst: {sorted(solo)}; expected 2-3")
        finals = {name: theme for name, theme in self.themes.items() if theme.status == "final"}
        tops = [name for name, theme in finals.items() if theme.parent is None]
        if len(tops) != 6:
            fail(f"{len(tops)} final top-level themes; expected 6")
        quoted = Counter(theme for theme, _, _ in self.quotes)
        for name in tops:
            subs = [child for child, theme in finals.items() if theme.parent == name]
            if not 1 <= len(subs) <= 3:
                fail(f"final theme {name!r} has {len(subs)} final subthemes")
            family = {name, *subs}
            speakers = {transcript for theme, transcript, _ in self.quotes if theme in family}
            if len(speakers) < 3:
                fail(f"quotes for {name!r} and its subthemes come from only {sorted(speakers)}")
        for name, theme in finals.items():
            if quoted[name] < 2:
                fail(f"final theme {name!r} has {quoted[name]} quotes; expected at least 2")
            if not theme.definition:
                fail(f"final theme {name!r} has no definition")
        for name, theme in self.themes.items():
            if theme.status not in {"final", "discarded"}:
                fail(f"theme {name!r} left as {theme.status}")


# --- the overlap report --------------------------------------------------------------------------


def overlap_report(replay: Replay) -> list[str]:
    """Per analyst counts and two rough agreement figures.

    Segment agreement: the share of an analyst's codings that the other analyst matched with the same
    code on overlapping text (MAXQDA's segment overlap with no minimum). Character Jaccard: coded
    characters both analysts gave the same code, over characters either gave it, pooled over codes.
    """
    lines: list[str] = []
    first, second = replay.analysts
    by_analyst = {name: [c for c in replay.codings if c.analyst == name] for name in replay.analysts}
    used = {name: {c.code for c in codings} for name, codings in by_analyst.items()}

    def matched(coding: Coding, others: list[Coding]) -> bool:
        return any(
            o.transcript == coding.transcript
            and o.code == coding.code
            and o.start < coding.end
            and coding.start < o.end
            for o in others
        )

    def passage_matched(coding: Coding, others: list[Coding]) -> bool:
        return any(o.transcript == coding.transcript and o.start < coding.end and coding.start < o.end for o in others)

    for name, other in ((first, second), (second, first)):
        mine, theirs = by_analyst[name], by_analyst[other]
        applies = len({(c.transcript, c.start, c.end) for c in mine})
        per_transcript = Counter(c.transcript for c in mine)
        in_participant_turns = sum(c.speaker != replay.interviewers[c.transcript] for c in mine)
        lines.append(
            f"{name}: {len(mine)} codings on {applies} passages, {len(used[name])} codes used, "
            f"{in_participant_turns}/{len(mine)} in participant turns; per transcript "
            + ", ".join(f"{t} {n}" for t, n in sorted(per_transcript.items(), key=lambda item: int(item[0][1:])))
        )
        agreed = sum(matched(c, theirs) for c in mine)
        same_text = sum(passage_matched(c, theirs) for c in mine)
        lines.append(
            f"  matched by {other} with the same code: {agreed}/{len(mine)} ({agreed / len(mine):.0%}); "
            f"text also coded by {other} (any code): {same_text}/{len(mine)} ({same_text / len(mine):.0%})"
        )
        only = sorted(used[name] - used[other])
        lines.append(f"  codes only {name} used: {', '.join(only) or 'none'}")
    both = union = 0
    for code in used[first] | used[second]:
        for transcript in replay.transcripts:
            coded = {}
            for name in replay.analysts:
                chars: set[int] = set()
                for c in by_analyst[name]:
                    if c.code == code and c.transcript == transcript:
                        chars.update(range(c.start, c.end))
                coded[name] = chars
            both += len(coded[first] & coded[second])
            union += len(coded[first] | coded[second])
    lines.append(f"character-level Jaccard pooled over codes and transcripts: {both / union:.2f}")
    return lines


def main() -> int:
    study = json.loads((DATA / "study.json").read_text(encoding="utf-8"))
    replay = Replay(study)
    replay.check_totals()
    for participant, transcript in replay.transcripts.items():
        words = sum(len(p.split()) for turn in transcript.turns for p in turn.paragraphs)
        if not 2000 <= words <= 3000:
            replay.problems.append(f"overall: {participant} has {words} words of speech; expected 2,000-3,000")
        print(f"{participant}: {len(transcript.turns)} turns, {words} words")
    print(
        f"{len(study['steps'])} steps; {len(replay.codes)} codes; memos {dict(replay.memo_kinds)}; "
        f"phases {' -> '.join(str(b) for _, b in replay.phase_moves)}; snapshots in phases {replay.snapshot_phases}"
    )
    finals = [name for name, theme in replay.themes.items() if theme.status == "final"]
    print(f"{len(finals)} final themes and subthemes; {len(replay.quotes)} quotes")
    for line in overlap_report(replay):
        print(line)
    if replay.problems:
        print(f"\n{len(replay.problems)} {'problem' if len(replay.problems) == 1 else 'problems'}:")
        for problem in replay.problems:
            print("  " + problem)
        return 1
    print("\nstudy.json is consistent with the transcripts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
