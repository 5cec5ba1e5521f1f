"""The tables a paper prints, built from a project: themes, participants, codebook, extracts,
audit trail. Each is a qualcode.exporters.tables.Table, so `qualcode export` and the Word report
print the same rows.

Which themes a paper reports: the final ones when any theme is final (with their subthemes),
otherwise every theme not discarded; `report_themes` says which rule applied.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from qualcode.analysis.coding import get_code
from qualcode.analysis.participants import participant_table
from qualcode.analysis.retrieval import code_tree, extracts
from qualcode.analysis.theme_extracts import participant_of_transcripts
from qualcode.analysis.theme_overview import theme_tree
from qualcode.analysis.theme_quotes import theme_quotes
from qualcode.analysis.themes import get_theme
from qualcode.errors import InvalidInput
from qualcode.exporters.table_files import render_text, write_table
from qualcode.exporters.tables import (
    FILE_SUFFIXES,
    PRINTED_FORMATS,
    SPREADSHEET_FORMATS,
    TEXT_FORMATS,
    Column,
    Table,
    check_format,
)
from qualcode.history import audit_trail
from qualcode.names import natural_key
from qualcode.report.audit_prose import what_was_done
from qualcode.report.quotes import QuotedPassages, candidate_from_extract, spread_over_participants
from qualcode.store import Project
from qualcode.wording import counted, join_names

MISSING_DEFINITION = "[definition to be written]"
ONE_LINE_WORDS = 30


def one_line(text: str | None, words: int = ONE_LINE_WORDS) -> str | None:
    """The first sentence, cut at `words` words: what fits in a table cell."""
    if not text or not text.strip():
        return None
    flat = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“(])", flat, maxsplit=1)[0]
    cut = first.split()
    return " ".join(cut[:words]) + " …" if len(cut) > words else first


def participants_total(project: Project) -> int:
    """N for 'n/N participants': every pseudonym, and each transcript without one."""

    return len(set(participant_of_transcripts(project).values()))


# -- themes ---------------------------------------------------------------------------------


def report_themes(project: Project) -> tuple[list[dict[str, Any]], str]:
    """The theme tree a paper reports and a sentence saying which themes those are."""

    # Worded to read the same under the report's heading and as a note under an exported table.
    tree = theme_tree(project)
    final = _final_branches(tree)
    if final:
        these = (
            "This is the theme" if len(final) == 1 else f"These are the {counted(len(final), 'theme', in_words=True)}"
        )
        return final, f"{these} marked final, with {'its' if len(final) == 1 else 'their'} subthemes."
    if tree:
        these = (
            "this is the one theme" if len(tree) == 1 else f"these are all {counted(len(tree), 'theme', in_words=True)}"
        )
        return tree, f"No theme is marked final yet, so {these} not discarded (candidate and reviewed ones included)."
    return [], "The project has no themes yet."


def _final_branches(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Final themes with everything under them; a final subtheme under a theme that is not
    final is reported as a theme of its own."""
    found: list[dict[str, Any]] = []
    for theme in tree:
        if theme["status"] == "final":
            found.append(theme)
        else:
            found += _final_branches(theme["subthemes"])
    return found


def themes_table(
    project: Project,
    themes: list[dict[str, Any]] | None = None,
    note: str | None = None,
    counts: bool = True,
    definition_words: int | None = None,
    quotes: int = 0,
) -> Table:
    """Theme, subthemes, definition (in full unless `definition_words` shortens it), up to
    `quotes` illustrative extracts (chosen quotes first), and with `counts` participants n/N and
    extracts: the table papers print. Spreadsheets get n and N as two numbers (a cell '5/6'
    turns into a date in Excel)."""
    if themes is None:
        themes, note = report_themes(project)
    if definition_words is not None and definition_words < 1:
        raise InvalidInput("--definition-words must be 1 or more")
    if quotes < 0:
        raise InvalidInput("--quotes must be 0 or more")
    total = participants_total(project)
    rows = []
    for theme in themes:
        definition = " ".join((theme["definition"] or "").split())
        if definition and definition_words is not None:
            definition = one_line(definition, definition_words) or definition
        rows.append(
            {
                "theme": theme["name"],
                "subthemes": [sub["name"] for sub in theme["subthemes"]] or None,
                "definition": definition or MISSING_DEFINITION,
                "extract": illustrative_extracts(project, theme, quotes) or None,
                "participants": f"{theme['participants']:,}/{total:,}",
                "participants_n": theme["participants"],
                "participants_total": total,
                "extracts": theme["extracts"],
            }
        )
    columns = [Column("theme", "Theme"), Column("subthemes", "Subthemes"), Column("definition", "Definition")]
    if quotes:
        columns.append(Column("extract", "Illustrative extract" if quotes == 1 else "Illustrative extracts"))
    if not counts:
        return Table("Themes and subthemes", columns, rows, note=note, label="themes")
    columns += [
        Column("participants", "n/N", numeric=True, formats=PRINTED_FORMATS),
        Column("participants_n", "Participants (n)", numeric=True, formats=SPREADSHEET_FORMATS),
        Column("participants_total", "Participants (N)", numeric=True, formats=SPREADSHEET_FORMATS),
        Column("extracts", "Extracts", numeric=True),
    ]
    explained = (
        f"n/N: participants whose transcripts hold extracts of the theme or its subthemes, of N = {total:,}. "
        "Extracts: distinct coded passages (a passage coded by several analysts or codes counts once)."
    )
    return Table(
        "Themes and subthemes", columns, rows, note=f"{note} {explained}" if note else explained, label="themes"
    )


def illustrative_extracts(project: Project, theme: dict[str, Any], count: int) -> list[str]:
    """Up to `count` extracts for a theme's row, each '“words” (P6)': the authors' chosen quotes
    (of the theme, then of its subthemes) first, then passages spread over participants."""
    if count <= 0:
        return []
    picked: list[tuple[str, str]] = []
    quoted = QuotedPassages()
    for node in [theme, *theme["subthemes"]]:
        for row in theme_quotes(project, node["name"]):
            if len(picked) < count and not quoted.overlaps(row["transcript"], row["start"], row["end"]):
                quoted.add(row["transcript"], row["start"], row["end"])
                picked.append((row["text"], row["participant"] or row["transcript"]))
    if len(picked) < count:
        interviewer = _interviewer_turns(project)
        rows = {row["coding_id"]: row for code in theme_code_names(theme) for row in extracts(project, code)}
        candidates = [candidate_from_extract(row, interviewer, {}) for row in rows.values()]
        for candidate in spread_over_participants(candidates, count - len(picked), quoted):
            picked.append((candidate.text, candidate.source))
    return [f"“{' '.join(text.split())}” ({source})" for text, source in picked]


# -- participants ---------------------------------------------------------------------------


def participants_table(project: Project) -> Table:
    """One row per participant in the data set (with a transcript): pseudonym, attributes,
    transcripts (when not named after the participant) and words."""

    keys, everyone = participant_table(project)
    rows = [row for row in everyone if row["transcripts"]]
    without = [row["participant"] for row in everyone if not row["transcripts"]]
    words = dict(
        project.db.execute(
            "SELECT p.name, sum(t.word_count) FROM participants p JOIN transcripts t ON t.participant_id = p.id GROUP BY p.id"
        ).fetchall()
    )
    for row in rows:
        row["words"] = words.get(row["participant"])
        if row["transcripts"] == [row["participant"]]:
            row["transcripts"] = None  # the usual case: the transcript is named after its participant
    columns = [Column("participant", "Participant")]
    columns += [Column(key, key.replace("_", " ").capitalize()) for key in keys]
    if any(row["transcripts"] for row in rows):
        columns.append(Column("transcripts", "Transcripts"))
    columns.append(Column("words", "Words", numeric=True))
    note = None
    if without:
        note = (
            f"Attributes are also recorded for {len(without)} participant{'s' if len(without) != 1 else ''} "
            f"without a transcript in the project ({', '.join(without)})."
        )
    return Table("Participants", columns, rows, note=note, label="participants")


# -- codebook -------------------------------------------------------------------------------


def codebook_table(project: Project, examples: bool = False) -> Table:
    """Active codes in hierarchy order with description, inclusion and exclusion criteria,
    counts, the themes they are in and, with `examples`, an example extract of each (its most
    quotable passage, attributed). Columns no code fills are left out."""

    in_themes: dict[str, list[str]] = defaultdict(list)
    for code, theme in project.db.execute(
        "SELECT k.name, h.name FROM theme_codes tc JOIN codes k ON k.id = tc.code_id JOIN themes h ON h.id = tc.theme_id"
        " WHERE h.status != 'discarded' ORDER BY h.position, h.name"
    ):
        in_themes[code].append(theme)
    rows = [
        {
            "code": code["name"],
            "parent": code["parent"],
            "description": code["description"],
            "inclusion": code["inclusion"],
            "exclusion": code["exclusion"],
            "example": _example_extract(project, code["name"]) if examples else None,
            "codings": code["codings"],
            "participants": code["participants"],
            "themes": in_themes.get(code["name"]) or None,
        }
        for code in code_tree(project)
    ]
    columns = [
        Column("code", "Code"),
        Column("parent", "Parent"),
        Column("description", "Description"),
        *(
            Column(key, header)
            for key, header in (("inclusion", "Include when"), ("exclusion", "Exclude when"))
            if any(row[key] for row in rows)
        ),
        *([Column("example", "Example extract")] if examples else []),
        Column("codings", "Codings", numeric=True),
        Column("participants", "Participants", numeric=True),
        Column("themes", "Themes"),
    ]
    return Table(
        "Codebook",
        columns,
        rows,
        note="Codings: every coding by every analyst. Participants: participants with at least one coding.",
        label="codebook",
        empty="The codebook has no codes yet.",
    )


def _example_extract(project: Project, code: str) -> str | None:
    interviewer = _interviewer_turns(project)
    candidates = [candidate_from_extract(row, interviewer, {}) for row in extracts(project, code)]
    picked = spread_over_participants(candidates, 1)
    return f"“{' '.join(picked[0].text.split())}” ({picked[0].source})" if picked else None


def _interviewer_turns(project: Project) -> set[tuple[str, int]]:
    return {
        (name, number)
        for name, number in project.db.execute(
            "SELECT t.name, u.number FROM turns u JOIN transcripts t ON t.id = u.transcript_id WHERE u.is_interviewer"
        )
    }


# -- extracts -------------------------------------------------------------------------------


def theme_code_names(theme: dict[str, Any]) -> list[str]:
    """The codes of a theme-tree node and of all its subthemes."""
    names = list(theme["codes"])
    for sub in theme["subthemes"]:
        names += theme_code_names(sub)
    return list(dict.fromkeys(names))


def find_theme(tree: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    for theme in tree:
        if theme["name"].lower() == name.lower():
            return theme
        found = find_theme(theme["subthemes"], name)
        if found:
            return found
    return None


def theme_extracts(project: Project, theme_name: str) -> list[dict[str, Any]]:
    """Every coding of a theme's codes (with its subthemes'), in transcript order."""

    theme = get_theme(project, theme_name)  # raises with suggestions for an unknown name
    node = find_theme(theme_tree(project, include_discarded=True), theme.name)
    rows: dict[int, dict[str, Any]] = {}
    for code in theme_code_names(node) if node else []:
        for row in extracts(project, code):
            rows[row["coding_id"]] = row
    return sorted(rows.values(), key=lambda r: (natural_key(r["transcript"]), r["start"], r["end"], r["code"].lower()))


def extracts_table(project: Project, code: str | None = None, theme: str | None = None) -> Table:
    """Coded passages with who said them and where: of one code, one theme, or all."""

    if theme:
        name = get_theme(project, theme).name
        rows, title = theme_extracts(project, name), f"Extracts of the theme '{name}'"
    elif code:
        name = get_code(project, code).name
        rows, title = extracts(project, name), f"Extracts coded '{name}'"
    else:
        rows, title = extracts(project), "Coded extracts"
    for row in rows:
        row["participant"] = row["participant"] or row["transcript"]
    columns = [
        Column("coding_id", "Coding", numeric=True, grouped=False),
        Column("code", "Code"),
        Column("participant", "Participant"),
        Column("transcript", "Transcript"),
        Column("lines", "Lines"),
        Column("speaker", "Speaker"),
        Column("analyst", "Analyst"),
        Column("text", "Extract"),
    ]
    return Table(title, columns, rows, label="extracts")


# -- audit trail ----------------------------------------------------------------------------

NAMED_ENTITIES = ("codes", "themes", "transcripts", "analysts", "participants")
NAMES_LISTED = 8


def audit_table(project: Project) -> Table:
    """The trail a methods section cites, oldest first, each row a sentence saying who did what
    to which codes, themes or transcripts (qualcode.report.audit_prose). Runs of the same command
    by the same analyst on the same day are one row (twenty `code add`s read as one step)."""

    names: dict[str, list[str]] = defaultdict(list)
    for batch, touched in project.db.execute(
        "SELECT batch,"
        f" group_concat(CASE WHEN entity IN ({', '.join('?' for _ in NAMED_ENTITIES)})"
        " THEN json_extract(coalesce(after, before), '$.name') END, char(31))"
        " FROM audit_log GROUP BY batch, action, entity ORDER BY min(id)",
        NAMED_ENTITIES,
    ):
        names[batch] += (touched or "").split("\x1f") if touched else []
    rows: list[dict[str, Any]] = []
    for step in reversed(audit_trail(project, limit=None)):
        command = step["command"]
        day, _, time = step["at"].partition(" ")
        last = rows[-1] if rows else None
        if last and (last["day"], last["analyst"], last["command"], last["undone"]) == (
            day,
            step["analyst"],
            command,
            step["undone"],
        ):
            last["times"].append(time)
            last["commands"] += 1
        else:
            last = {
                "day": day,
                "times": [time],
                "analyst": step["analyst"],
                "command": command,
                "undone": step["undone"],
                "commands": 1,
                "names": [],
            }
            rows.append(last)
        last["names"] = list(dict.fromkeys(last["names"] + names[step["batch"]]))
    table_rows: list[dict[str, Any]] = [
        {
            "at": f"{row['day']} {row['times'][0]}"
            + (f"–{row['times'][-1]}" if row["times"][-1] != row["times"][0] else ""),
            "done": what_was_done(
                row["analyst"], row["command"], row["commands"], _listed(_quoted(row["names"])), row["undone"]
            ),
        }
        for row in rows
    ]
    columns = [Column("at", "When (UTC)"), Column("done", "What was done")]
    return Table(
        "Audit trail",
        columns,
        table_rows,
        note="Consecutive runs of one command by one analyst on one day are combined into one row.",
        label="audit",
    )


def _listed(names: list[str]) -> str | None:
    if not names:
        return None
    if len(names) <= NAMES_LISTED:
        return join_names(names)
    return ", ".join(names[:NAMES_LISTED]) + f" and {len(names) - NAMES_LISTED} more"


def _quoted(names: list[str]) -> list[str]:
    return [f"‘{name}’" for name in names if name]


# -- exporting one table ----------------------------------------------------------------------

EXPORT_FORMATS = {
    "themes": ("csv", "md", "latex", "docx", "xlsx"),
    "codebook": ("csv", "md", "docx"),
    "extracts": ("csv", "xlsx", "md"),
}


def resolve_export_format(kind: str, out: str | Path | None, fmt: str | None) -> str:
    """The format asked for, else the one --out's extension implies, else the first allowed."""
    allowed = EXPORT_FORMATS[kind]
    if fmt:
        return check_format(fmt, allowed)
    if out and str(out) != "-":
        suffix = Path(out).suffix.lower()
        implied = next((name for name, ext in FILE_SUFFIXES.items() if ext == suffix and name in allowed), None)
        if implied is None:
            raise InvalidInput(f"cannot tell the format from '{Path(out).name}'; add --format ({'|'.join(allowed)})")
        return implied
    return allowed[0]


def default_export_path(project: Project, kind: str, fmt: str, about: str | None = None) -> Path:
    """exports/PROJECT-KIND.EXT, or exports/PROJECT-KIND-ABOUT.EXT for one code's or theme's table."""
    slug = "-" + re.sub(r"[^a-z0-9]+", "-", about.lower()).strip("-") if about else ""
    return Path("exports") / f"{project.path.stem}-{kind}{slug}{FILE_SUFFIXES[fmt]}"


def export_table(table: Table, fmt: str, out: str | Path, raw: bool = False) -> Path | str:
    """Write a table to a file, or return its text when `out` is '-' (text formats only); `raw`
    leaves cells a spreadsheet would run as formulas as they are."""
    if str(out) == "-":
        if fmt not in TEXT_FORMATS:
            raise InvalidInput(f"{fmt} is not a text format; write it to a file with --out PATH")
        return render_text(table, fmt, raw)
    return write_table(table, fmt, Path(out), raw)


def write_themes_table(
    project: Project, out_path: str | Path, fmt: str | None = None, counts: bool = True, quotes: int = 0
) -> Path:
    """The table of themes as a file (csv, md, latex, docx or xlsx; default from the name)."""
    chosen = resolve_export_format("themes", out_path, fmt)
    return write_table(themes_table(project, counts=counts, quotes=quotes), chosen, Path(out_path))
