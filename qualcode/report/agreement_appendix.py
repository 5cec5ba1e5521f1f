"""The report's agreement appendix: the co-analysts' agreement per code, as tables with their
explanations, framed as reflexive thematic analysis frames it (material for discussion, not a
test the coding passes or fails)."""

from __future__ import annotations

from qualcode.compare.codings import compare_agreement
from qualcode.compare.figures import agreement_table
from qualcode.errors import InvalidInput
from qualcode.exporters.tables import Cell, Column, Table
from qualcode.report.content import AgreementAppendix
from qualcode.store import Project
from qualcode.wording import join_names

REPORT_LEVELS = ("document", "character")

FRAMING = (
    "In reflexive thematic analysis, coding is an interpretive act and analysts are not expected to "
    "converge on one correct coding. The figures below are therefore offered as material for the "
    "analysts' discussion of where and why their readings differ, not as a measure of reliability "
    "that the analysis has to pass."
)


def agreement_appendix(project: Project) -> AgreementAppendix:
    """Agreement at document and character level between every analyst who coded, or a
    sentence saying why there is nothing to compare."""

    coders = [
        r[0]
        for r in project.db.execute(
            "SELECT name FROM analysts WHERE id IN (SELECT DISTINCT analyst_id FROM codings) ORDER BY id"
        )
    ]
    if len(coders) < 2:
        who = f"Only {coders[0]} has" if coders else "No analyst has"
        return AgreementAppendix([f"{who} coded the transcripts, so there is no agreement between analysts to report."])
    try:
        comparisons = compare_agreement(project, coders, REPORT_LEVELS)
    except InvalidInput as error:  # e.g. no transcript coded by all of them
        return AgreementAppendix([FRAMING, f"No comparison could be made: {error}."])
    appendix = AgreementAppendix(
        [
            FRAMING,
            (
                f"The comparison covers {join_names(coders)}, at two levels: whether each analyst used a code in a "
                "transcript at all (document level) and which characters of the text each analyst coded with it "
                "(character level)."
            ),
        ]
    )
    for comparison in comparisons:
        drawn = agreement_table(comparison)
        columns = [Column("c0", _capitalised(drawn.headers[0]))] + [
            Column(f"c{i}", _capitalised(header), numeric=True) for i, header in enumerate(drawn.headers[1:], start=1)
        ]
        rows: list[dict[str, Cell]] = [{f"c{i}": cell for i, cell in enumerate(row)} for row in drawn.rows]
        rows += [
            {"c0": _capitalised(row[0]), **{f"c{i}": cell for i, cell in enumerate(row[1:], start=1)}}
            for row in drawn.overall
        ]
        note = " ".join(_as_sentence(line.replace("`", "")) for line in drawn.caption)
        appendix.tables.append(
            Table(drawn.title, columns, rows, note=note, label=f"agreement-{comparison.result.level}")
        )
    return appendix


def _capitalised(label: str) -> str:
    """'agreement' -> 'Agreement', as the other headers and the code names are; a one-letter
    symbol the note explains ('a (both)', 'α') stays as it is."""
    first = label.split(" ", 1)[0]
    return label[:1].upper() + label[1:] if len(first) > 1 and first.isascii() else label


def _as_sentence(line: str) -> str:
    """The terminal prints each caption line on its own; run together as one note, each needs its full stop."""
    line = line.strip()
    return line if line[-1:] in ".!?" else f"{line}."
