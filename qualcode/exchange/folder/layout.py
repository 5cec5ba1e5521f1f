"""What a project folder holds, file by file, and how one record is one line.

    qualcode-project.json   {"format": "qualcode project folder", "version": 1}
    .gitattributes          "* text eol=lf": positions count "\\n" as one character; "*.jsonl
                            merge=union": records two branches add next to each other are both
                            kept, not a conflict (a record both changed is then there twice,
                            which `import folder` refuses with both lines, to be settled by hand)
    transcripts/GUID.txt    each transcript's text, exactly as stored (UTF-8, NFC, "\\n")
    analysts.jsonl  participants.jsonl  transcripts.jsonl  turns.jsonl  codes.jsonl
    codings.jsonl  themes.jsonl  theme_links.jsonl  quotes.jsonl  memos.jsonl  phase_log.jsonl

Every .jsonl line is one JSON object with its keys in a fixed order and empty fields left out;
lines are sorted by GUID (turns by transcript and number, quotes by theme and position, the phase
log by time), so an item added on one branch is one added line, and two branches that each add
items merge without conflicts. Items refer to each other by GUID; positions are code points of
the transcript's text, end exclusive, as qualcode stores them.
"""

from __future__ import annotations

import json
from typing import Any

MANIFEST = "qualcode-project.json"
FORMAT = "qualcode project folder"
VERSION = 1
GITATTRIBUTES = ".gitattributes"
GITATTRIBUTES_TEXT = (
    "# written by qualcode: transcripts and records keep \\n line ends on every system,\n"
    "# and records added on two branches are merged line by line\n"
    "* text eol=lf\n"
    "*.jsonl merge=union\n"
)
TRANSCRIPTS_DIR = "transcripts"

# file -> its fields in order: (name, type, required). Types: str, int, float, bool, dict, list.
FIELDS: dict[str, tuple[tuple[str, type, bool], ...]] = {
    "analysts.jsonl": (("guid", str, True), ("name", str, True), ("created", str, False)),
    "participants.jsonl": (("guid", str, True), ("name", str, True), ("attributes", dict, False)),
    "transcripts.jsonl": (
        ("guid", str, True),
        ("name", str, True),
        ("participant", str, False),
        ("text_sha256", str, True),
        ("source_name", str, False),
        ("source_sha256", str, False),
        ("format", str, False),
        ("encoding", str, False),
        ("interviewer", str, False),
        ("preamble", str, False),
        ("imported_at", str, False),
        ("imported_by", str, False),
    ),
    "turns.jsonl": (
        ("transcript", str, True),
        ("number", int, True),
        ("speaker", str, False),
        ("interviewer", bool, False),
        ("start", int, True),
        ("body_start", int, True),
        ("end", int, True),
        ("timestamp", float, False),
    ),
    "codes.jsonl": (
        ("guid", str, True),
        ("name", str, True),
        ("parent", str, False),
        ("color", str, False),
        ("category", bool, False),  # true: groups codes, never applied itself
        ("status", str, False),
        ("merged_into", str, False),
        ("created", str, False),
        ("description", str, False),
        ("inclusion", str, False),
        ("exclusion", str, False),
    ),
    "codings.jsonl": (
        ("guid", str, True),
        ("transcript", str, True),
        ("code", str, True),
        ("analyst", str, True),
        ("start", int, True),
        ("end", int, True),
        ("created", str, False),
    ),
    "themes.jsonl": (
        ("guid", str, True),
        ("name", str, True),
        ("parent", str, False),
        ("status", str, False),
        ("position", int, False),
        ("codes", list, False),
        ("definition", str, False),
        ("concept", str, False),
    ),
    "theme_links.jsonl": (("source", str, True), ("target", str, True), ("label", str, False)),
    "quotes.jsonl": (("theme", str, True), ("coding", str, True), ("position", int, True)),
    "memos.jsonl": (
        ("guid", str, True),
        ("analyst", str, True),
        ("kind", str, True),
        ("target_type", str, False),
        ("target", str, False),
        ("phase", int, False),
        ("created", str, False),
        ("updated", str, False),
        ("body", str, True),
    ),
    "phase_log.jsonl": (("at", str, True), ("phase", int, True), ("analyst", str, False), ("note", str, False)),
}
RECORD_FILES = tuple(FIELDS)


def record_line(file: str, values: dict[str, Any]) -> str:
    """One record as its line: keys in the file's order, empty values left out."""
    ordered = {
        name: values[name]
        for name, _, _ in FIELDS[file]
        if values.get(name) not in (None, "", [], {}) and values.get(name) is not False
    }
    return json.dumps(ordered, ensure_ascii=False, separators=(", ", ": ")) + "\n"
