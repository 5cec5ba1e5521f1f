"""A Markdown discussion sheet of two analysts' disagreements, for the team's meeting.

One checkbox per passage, with the text, where it is and who said it, what each analyst did,
and room to write down what the team decided. Nothing here judges who was right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qualcode.compare.disagreements import BOUNDARIES, Disagreement, Disagreements
from qualcode.compare.figures import left_out_lines

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def quote(text: str, indent: str = "  ") -> list[str]:
    """A passage as a block quote inside a list item, one quoted line per line of text."""
    return [f"{indent}> {escape(line)}".rstrip() for line in text.split("\n")]


def inline(text: str) -> str:
    """A short excerpt on one line: line breaks shown as ' / ', as in quoted verse."""
    return " / ".join(line.strip() for line in text.split("\n"))


def where(item: Disagreement) -> str:
    parts = [f"line{'s' if '-' in item.lines else ''} {item.lines}"]
    if item.turns:
        parts.append(f"turn{'s' if '-' in item.turns else ''} {item.turns}")
    if item.speakers:
        parts.append(", ".join(item.speakers))
    parts.append(f"characters {item.start}-{item.end}")
    return " · ".join(parts)


def what_each_did(item: Disagreement) -> list[str]:
    """Sentences on what each analyst did with this passage, for the sheet and the terminal."""
    sentences = []
    for name, spans in item.spans.items():
        if not spans:
            instead = item.instead.get(name) or []
            coded = f"coded it with {', '.join(instead)} instead" if instead else "did not code it"
            sentences.append(f"{name} {coded}.")
        elif item.kind == BOUNDARIES:
            ranges = ", ".join(f"{start}-{end}" for start, end in spans)
            only = [f"“{inline(item.excerpt(start, end))}”" for start, end in item.only[name]]
            if only:
                extra = f"; only {name}: " + " … ".join(only)
            else:
                others = [other for other in item.spans if other != name]
                extra = f", all of it also coded by {' and '.join(others)}" if any(item.only.values()) else ""
            sentences.append(f"{name} coded characters {ranges}{extra}.")
    if item.kind == BOUNDARIES and not any(item.only.values()):
        sentences.append("Both coded the same text, split into different segments.")
    return sentences


def disagreement_sheet(report: Disagreements, project: str) -> Iterator[str]:
    """The sheet in pieces (the preamble, then one piece per passage), so that a study with
    thousands of disagreements can be written out without holding the whole sheet in memory."""
    first, second = report.corpus.names
    compared = list(report.corpus.transcripts.values())
    preamble = [
        f"# Coding disagreements: {escape(first)} and {escape(second)}",
        "",
        (
            f"Project: {escape(project)}. Each item below is a passage that one of you coded with a "
            "code and the other did not, or that you both coded with different boundaries. Talk each "
            "one through, tick it, and note what you decided."
        ),
        "",
        escape(f"Transcripts compared ({len(compared)}): {', '.join(compared)}."),
        *(escape(line) for line in left_out_lines(report.corpus.left_out)),
        "",
    ]
    if not report.items:
        preamble.append(escape(f"{first} and {second} coded these transcripts identically: nothing to discuss."))
        yield "\n".join(preamble) + "\n"
        return
    summary = report.summary()
    headers = list(summary[0])
    preamble.append("| " + " | ".join(escape(h) for h in headers) + " |")
    preamble.append("|---" + "|---:" * (len(headers) - 1) + "|")
    preamble += ["| " + " | ".join(escape(str(row[h])) for h in headers) + " |" for row in summary]
    if len(summary) > 1:
        totals = [str(sum(row[h] for row in summary)) for h in headers[1:]]
        preamble.append(f"| **all codes ({len(report.items)} passages)** | " + " | ".join(totals) + " |")
    yield "\n".join(preamble) + "\n"
    outer, inner = ("transcript", "code") if report.group_by == "transcript" else ("code", "transcript")
    current: tuple[str | None, str | None] = (None, None)
    for item in report.items:
        lines = [""]
        heading = (getattr(item, outer), getattr(item, inner))
        if heading[0] != current[0]:
            lines += [f"## {escape(heading[0])}", ""]
        if heading != current:
            lines += [f"### {escape(heading[1])}", ""]
        current = heading
        kind = item.kind[0].upper() + item.kind[1:]
        lines += [f"- [ ] **{item.number}. {escape(kind)}** · {escape(where(item))}", "", *quote(item.text), ""]
        lines += [f"  {escape(sentence)}" for sentence in what_each_did(item)]
        lines += ["", "  **Decision:**", ""]  # the blank line is the room for the decision
        yield "\n".join(lines) + "\n"
