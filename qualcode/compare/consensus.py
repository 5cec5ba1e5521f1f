"""A consensus analyst's codings made from two analysts' codings, with a decision memo.

The consensus is a third analyst (say "Consensus"), so the two analysts' own codings stay exactly
as they were and can still be compared with it. Per transcript and code, each analyst's spans are
merged first (overlapping spans of one code by one analyst become one), then one rule applies:

- union: every stretch of text either analyst coded with the code; where their spans overlap
  they become one span covering both.
- intersection: only the text both analysts coded with the code.
- prefer-A: the first analyst's spans; where the first analyst did not use the code in that
  transcript at all, the second analyst's spans. Within a transcript and code where both coded,
  the second analyst's spans are ignored, even those the first analyst did not overlap.

Everything is written in one audited transaction together with a decision memo that records the
rule and the per-code counts, so the methods section can say exactly how consensus was reached.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.levels import merge_intervals
from qualcode.analysis.blind import mark_consensus
from qualcode.analysis.coding import insert_coding
from qualcode.compare.codings import (
    Corpus,
    Intervals,
    check_codes,
    choose_analysts,
    coded_cells,
    natural_key,
    require_used,
    select_transcripts,
)
from qualcode.compare.figures import left_out_lines
from qualcode.errors import InvalidInput
from qualcode.names import is_meaningful_name
from qualcode.store import Change, Project, new_guid

RULES = ("union", "intersection", "prefer-A")
LISTED_TRANSCRIPTS = 20  # in the memo; the audit log has every coding


@dataclass(frozen=True)
class MergedCode:
    code: str
    first: int  # the first analyst's codings of this code on the transcripts merged
    second: int
    consensus: int  # codings the consensus analyst now has

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "first": self.first, "second": self.second, "consensus": self.consensus}


@dataclass(frozen=True)
class MergeReport:
    corpus: Corpus
    into: str
    rule: str
    created: bool  # the consensus analyst was added by this merge
    replaced: int  # codings of the consensus analyst removed first (with replace)
    codes: list[MergedCode]
    memo_id: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysts": self.corpus.names,
            "into": self.into,
            "rule": self.rule,
            "created_analyst": self.created,
            "replaced_codings": self.replaced,
            "codes": [code.to_dict() for code in self.codes],
            "memo_id": self.memo_id,
            **self.corpus.transcripts_dict(),
        }


def rule_description(rule: str, first: str, second: str) -> str:
    return {
        "union": (
            f"every stretch of text that {first} or {second} coded with a code, overlapping spans joined into one"
        ),
        "intersection": f"only the text that both {first} and {second} coded with the same code",
        "prefer-A": (
            f"{first}'s spans; for each transcript and code {first} did not use there, {second}'s spans "
            f"(where both used a code in a transcript, {second}'s spans of it were set aside)"
        ),
    }[rule]


def merge_codings(
    project: Project,
    acting_analyst: str,
    first: str,
    second: str,
    into: str,
    *,
    rule: str = "union",
    codes: Sequence[str] | None = None,
    transcripts: Sequence[str] | None = None,
    all_transcripts: bool = False,
    replace: bool = False,
) -> MergeReport:
    """Give analyst `into` (created if needed) the consensus of `first`'s and `second`'s codings.

    Refuses when `into` is one of the two, or already has codings (unless replace, which removes
    them first; undo brings them back). Everything is checked before anything is written.
    """
    if rule not in RULES:
        raise InvalidInput(f"unknown rule '{rule}'; use one of: {', '.join(RULES)}")
    into = " ".join(into.split())
    if not is_meaningful_name(into):
        raise InvalidInput(f"'{into}' is not a usable analyst name for the consensus")
    analysts = choose_analysts(project, [first, second])
    if into.casefold() in (a.name.casefold() for a in analysts):
        raise InvalidInput(
            f"the consensus needs an analyst of its own, not {into}, whose codings are being merged; "
            "try --into Consensus"
        )
    existing = project.db.execute("SELECT id, name FROM analysts WHERE name = ? COLLATE NOCASE", [into]).fetchone()
    replaced = _existing_codings(project, existing[0]) if existing else []
    if replaced and not replace:
        raise InvalidInput(
            f"{existing[1]} already has {len(replaced)} codings; pass --replace to replace them "
            "(undo restores them), or choose another --into name"
        )
    acting_id = project.analyst_id(acting_analyst)
    wanted = check_codes(project, codes)
    corpus = select_transcripts(project, analysts, transcripts, all_transcripts=all_transcripts)
    cells = coded_cells(project, corpus, wanted)
    used = {code for by_code in cells.values() for code in by_code}
    require_used(wanted, used, corpus)
    consensus, counts = _consensus(cells, rule)
    names = corpus.names
    if not consensus:
        raise InvalidInput(
            f"the {rule} of {names[0]}'s and {names[1]}'s codings is empty; nothing to merge, nothing changed"
        )
    code_ids = {name: code_id for code_id, name in project.db.execute("SELECT id, name FROM codes")}
    merged_codes = [MergedCode(code, *counts[code]) for code in sorted(counts, key=str.casefold)]
    with project.change(acting_id, "compare merge") as change:
        if existing:
            into_id, into = existing
        else:
            into_id = change.insert("analysts", {"name": into, "guid": new_guid(), "created": change.at})
        into_guid = change.db.execute("SELECT guid FROM analysts WHERE id = ?", [into_id]).fetchone()[0]
        mark_consensus(change, [into_guid])
        _remove_codings(change, replaced)
        for tid, code, start, end in consensus:
            insert_coding(change, tid, code_ids[code], into_id, start, end)
        body = _memo_body(corpus, into, rule, merged_codes)
        memo_id = change.insert(
            "memos",
            {
                "guid": new_guid(),
                "analyst_id": acting_id,
                "kind": "decision",
                "target_type": None,
                "target_id": None,
                "phase": project.current_phase(),
                "body": body,
                "created": change.at,
                "updated": change.at,
            },
        )
        change.note(
            "compare merge",
            {
                "from": names,
                "into": into,
                "rule": rule,
                "codings": len(consensus),
                "replaced": len(replaced),
                "transcripts": len(corpus.transcripts),
                "memo": memo_id,
            },
        )
    return MergeReport(corpus, into, rule, existing is None, len(replaced), merged_codes, memo_id)


def _existing_codings(project: Project, analyst_id: int) -> list[int]:
    return [r[0] for r in project.db.execute("SELECT id FROM codings WHERE analyst_id = ?", [analyst_id])]


def _remove_codings(change: Change, coding_ids: list[int]) -> None:
    for coding_id in coding_ids:
        # Quotes chosen from these codings go too (as when a coding is removed), each audited.
        quotes = change.db.execute("SELECT id FROM theme_quotes WHERE coding_id = ?", [coding_id]).fetchall()
        for (quote_id,) in quotes:
            change.delete("theme_quotes", quote_id)
        change.delete("codings", coding_id)


def _consensus(
    cells: dict[int, dict[str, list[Intervals]]], rule: str
) -> tuple[list[tuple[int, str, int, int]], dict[str, list[int]]]:
    """The consensus spans (transcript id, code, start, end) and, per code, the codings of each
    analyst and of the consensus."""
    spans: list[tuple[int, str, int, int]] = []
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for tid, by_code in cells.items():
        for code, (mine, theirs) in by_code.items():
            a, b = merge_intervals(mine), merge_intervals(theirs)
            if rule == "union":
                result = merge_intervals(a + b)
            elif rule == "intersection":
                result = _intersection(a, b)
            else:
                result = a or b
            tally = counts[code]
            tally[0] += len(mine)
            tally[1] += len(theirs)
            tally[2] += len(result)
            spans.extend((tid, code, start, end) for start, end in result)
    return spans, counts


def _intersection(a: Intervals, b: Intervals) -> Intervals:
    """The text both sorted, merged interval lists cover."""
    result: Intervals = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def _memo_body(corpus: Corpus, into: str, rule: str, codes: list[MergedCode]) -> str:
    first, second = corpus.names
    transcripts = sorted(corpus.transcripts.values(), key=natural_key)
    shown = ", ".join(transcripts[:LISTED_TRANSCRIPTS])
    if len(transcripts) > LISTED_TRANSCRIPTS:
        shown += f" and {len(transcripts) - LISTED_TRANSCRIPTS} more"
    lines = [
        (
            f"Consensus coding '{into}' made from {first}'s and {second}'s codings by the rule '{rule}': "
            f"{rule_description(rule, first, second)}."
        ),
        "Overlapping spans of one code by one analyst were merged first.",
        f"Transcripts ({len(transcripts)}): {shown}.",
        *left_out_lines(corpus.left_out),
        f"Codings per code ({first} / {second} / {into}):",
        *(f"- {code.code}: {code.first} / {code.second} / {code.consensus}" for code in codes),
        f"{first}'s and {second}'s own codings were not changed.",
    ]
    return "\n".join(lines)
