"""Comparing analysts: whom to compare, on which transcripts, and their agreement.

This module reads the compared analysts' codings from the project and hands them to
qualcode.agreement.levels, which does all the statistics. By default a comparison covers only the
transcripts that *every* compared analyst has coded: a transcript one analyst has not reached
yet would otherwise count as deliberate disagreement on every code. The transcripts left out
are reported with the reason, so nobody wonders why a figure covers fewer interviews than the
project holds.

Only text lengths are read for agreement, never the text itself, so memory follows the number
of codings, not the length of the transcripts.

The other comparisons (disagreements, code correspondence, consensus merge) build on the same
selection: see compare_disagreements, compare_codes and compare_merge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.levels import LEVELS, collector_paused, compare_levels
from qualcode.agreement.results import AgreementResult, Span
from qualcode.analysis.coding import get_active_code
from qualcode.analysis.visibility import consensus_ids
from qualcode.errors import InvalidInput
from qualcode.names import natural_key
from qualcode.store import Project
from qualcode.text.corpus import transcript_id
from qualcode.wording import join_names, shell_command, shell_word

Intervals = list[tuple[int, int]]
Coding = tuple[int, str, int, int]  # transcript id, code name, start, end


@dataclass(frozen=True)
class Analyst:
    id: int
    name: str


@dataclass(frozen=True)
class LeftOut:
    transcript: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"transcript": self.transcript, "reason": self.reason}


@dataclass(frozen=True)
class Corpus:
    """The analysts compared and the transcripts the comparison covers."""

    analysts: tuple[Analyst, ...]
    transcripts: dict[int, str]  # included transcript id -> name, in natural name order
    lengths: dict[str, int]  # included transcript name -> text length in code points
    left_out: tuple[LeftOut, ...]

    @property
    def names(self) -> list[str]:
        return [analyst.name for analyst in self.analysts]

    def transcripts_dict(self) -> dict[str, Any]:
        return {
            "included_transcripts": list(self.transcripts.values()),
            "excluded_transcripts": [item.to_dict() for item in self.left_out],
        }


# ---------------------------------------------------------------------------------------------
# Who is compared


def _analysts_with_codings(project: Project) -> dict[int, int]:
    """analyst id -> number of codings, for analysts who have any."""
    return dict(project.db.execute("SELECT analyst_id, count(*) FROM codings GROUP BY analyst_id").fetchall())


def choose_analysts(project: Project, names: Sequence[str] | None) -> tuple[Analyst, ...]:
    """The analysts to compare, checked: known, different, each with codings.

    Without names: the two analysts who have codings, when there are exactly two; a consensus
    analyst (made by `compare merge`) is not a coder and is compared only when named.
    """
    codings = _analysts_with_codings(project)
    if not names:
        consensus = consensus_ids(project.db)
        codings = {i: n for i, n in codings.items() if i not in consensus} if consensus else codings
        if len(codings) == 2:
            ids = sorted(codings)
            return tuple(Analyst(i, _analyst_name(project, i)) for i in ids)
        coders = [_analyst_name(project, i) for i in sorted(codings)]
        if len(coders) < 2:
            who = f"only {coders[0]} has" if coders else "no analyst has"
            raise InvalidInput(f"{who} coded anything yet; a comparison needs two analysts' codings")
        raise InvalidInput(
            f"{len(coders)} analysts have codings ({', '.join(coders)}): choose whom to compare, "
            f"e.g. --analysts {coders[0]},{coders[1]}"
        )
    chosen: list[Analyst] = []
    for name in names:
        analyst_id = project.analyst_id(name.strip())  # unknown names raise with suggestions
        analyst = Analyst(analyst_id, _analyst_name(project, analyst_id))
        if analyst in chosen:
            raise InvalidInput(f"{analyst.name} is named twice: compare {analyst.name} with another analyst")
        chosen.append(analyst)
    if len(chosen) < 2:
        raise InvalidInput(
            f"name at least two analysts to compare, e.g. --analysts {shell_word(chosen[0].name + ',OTHER')}"
        )
    for analyst in chosen:
        if analyst.id not in codings:
            raise InvalidInput(
                f"{analyst.name} has no codings yet, so there is nothing to compare; "
                f"code with `{shell_command('-a', analyst.name, 'code', 'apply', '...')}` first"
            )
    return tuple(chosen)


def _analyst_name(project: Project, analyst_id: int) -> str:
    return project.db.execute("SELECT name FROM analysts WHERE id = ?", [analyst_id]).fetchone()[0]


# ---------------------------------------------------------------------------------------------
# Which transcripts


def select_transcripts(
    project: Project,
    analysts: Sequence[Analyst],
    transcripts: Sequence[str] | None = None,
    *,
    all_transcripts: bool = False,
) -> Corpus:
    """The transcripts every analyst coded (or, with all_transcripts, any of them coded),
    optionally only those named; every other transcript is reported with the reason."""
    wanted = None if not transcripts else {transcript_id(project, name) for name in transcripts}
    coded_by: dict[int, set[int]] = defaultdict(set)
    ids = [analyst.id for analyst in analysts]
    for tid, aid in project.db.execute(
        f"SELECT DISTINCT transcript_id, analyst_id FROM codings WHERE analyst_id IN ({', '.join('?' * len(ids))})",
        ids,
    ):
        coded_by[tid].add(aid)
    rows = sorted(
        project.db.execute("SELECT id, name, char_count FROM transcripts").fetchall(), key=lambda r: natural_key(r[1])
    )
    included: dict[int, str] = {}
    lengths: dict[str, int] = {}
    left_out: list[LeftOut] = []
    partly_coded = False  # some transcript left out was coded by some of the analysts
    for tid, name, length in rows:
        if wanted is not None and tid not in wanted:
            continue
        missing = [a.name for a in analysts if a.id not in coded_by[tid]]
        if not missing or (all_transcripts and len(missing) < len(analysts)):
            included[tid] = name
            lengths[name] = length
        else:
            left_out.append(LeftOut(name, _reason(missing, len(analysts))))
            partly_coded = partly_coded or len(missing) < len(analysts)
    if not included:
        raise InvalidInput(_nothing_in_common(analysts, left_out, partly_coded))
    return Corpus(tuple(analysts), included, lengths, tuple(left_out))


def _reason(missing: list[str], compared: int) -> str:
    if len(missing) == compared:
        return "not coded by " + ("either analyst" if compared == 2 else "any of the analysts compared")
    return f"not coded by {join_names(missing, 'or')}"


def _nothing_in_common(analysts: Sequence[Analyst], left_out: list[LeftOut], partly_coded: bool) -> str:
    shown = "; ".join(f"{item.transcript} {item.reason}" for item in left_out[:5])
    more = f"; and {len(left_out) - 5} more" if len(left_out) > 5 else ""
    hint = (
        "code the same transcripts first, or pass --all-transcripts to count uncoded text as not coded"
        if partly_coded
        else "choose transcripts they have coded"
    )
    return f"{join_names([a.name for a in analysts])} have not coded any transcript in common ({shown}{more}); {hint}"


# ---------------------------------------------------------------------------------------------
# Their codings


def check_codes(project: Project, names: Sequence[str] | None) -> list[str] | None:
    """The codes asked for, by their stored names; unknown, merged or retired codes are refused."""
    if not names:
        return None
    return list(dict.fromkeys(get_active_code(project, name).name for name in names))


def codings_by_analyst(project: Project, corpus: Corpus, codes: Sequence[str] | None = None) -> list[list[Coding]]:
    """Per analyst, in the corpus's order: (transcript id, code name, start, end) of each coding
    on the transcripts compared, only of the codes asked for (default: all).

    Codes are named by their current name; merged codes were re-pointed when they were merged,
    so their codings arrive under the code that absorbed them.
    """
    included = corpus.transcripts
    with collector_paused():
        return [
            [
                (tid, names[code_id], start, end)
                for tid, code_id, start, end in rows
                if tid in included and code_id in names
            ]
            for _, names, rows in _coding_rows(project, corpus, codes)
        ]


def spans_by_analyst(project: Project, corpus: Corpus, codes: Sequence[str] | None = None) -> dict[str, list[Span]]:
    """codings_by_analyst as the agreement package takes them: analyst name -> Spans naming
    transcript and code, made in the one pass over the rows (a comparison reads 200,000)."""
    transcripts = corpus.transcripts
    with collector_paused():
        return {
            analyst.name: [
                Span(transcripts[tid], names[code_id], start, end)
                for tid, code_id, start, end in rows
                if tid in transcripts and code_id in names
            ]
            for analyst, names, rows in _coding_rows(project, corpus, codes)
        }


def _coding_rows(
    project: Project, corpus: Corpus, codes: Sequence[str] | None
) -> Iterator[tuple[Analyst, dict[int, str], Iterable[tuple[int, int, int, int]]]]:
    """Per analyst of the corpus: the names of the codes asked for (all: None) by id, and the rows
    (transcript id, code id, start, end) of every coding of theirs, for the caller to filter."""
    names = dict(project.db.execute("SELECT id, name FROM codes").fetchall())
    if codes is not None:
        asked = set(codes)
        names = {code_id: name for code_id, name in names.items() if name in asked}
    for analyst in corpus.analysts:
        rows = project.db.execute(
            "SELECT transcript_id, code_id, start, [end] FROM codings WHERE analyst_id = ?", [analyst.id]
        )
        yield analyst, names, rows


def coded_cells(
    project: Project, corpus: Corpus, codes: Sequence[str] | None = None
) -> dict[int, dict[str, list[Intervals]]]:
    """transcript id -> code -> one list of (start, end) per analyst, in the corpus's order."""
    m = len(corpus.analysts)
    cells: dict[int, dict[str, list[Intervals]]] = defaultdict(dict)
    for index, rows in enumerate(codings_by_analyst(project, corpus, codes)):
        for tid, code, start, end in rows:
            cell = cells[tid].get(code)
            if cell is None:
                cell = cells[tid][code] = [[] for _ in range(m)]
            cell[index].append((start, end))
    return cells


def require_used(codes: Sequence[str] | None, used: set[str], corpus: Corpus) -> None:
    """A code asked for that no compared analyst used on these transcripts has nothing to compare."""
    for code in codes or ():
        if code not in used:
            if len(corpus.analysts) == 2:
                who = "neither " + join_names(corpus.names, "nor")
            else:
                who = "none of " + join_names(corpus.names)
            count = len(corpus.transcripts)
            raise InvalidInput(
                f"{who} used code '{code}' in the {count} transcript{'s' if count != 1 else ''} compared; "
                f"drop --code {shell_word(code)}, or see who used it with `{shell_command('code', 'show', code)}`"
            )


def codebook_size(project: Project, used: set[str]) -> int:
    """q for Brennan-Prediger at segment level: the active codebook (plus any code compared that
    is no longer active, so q is never smaller than the number of codes in the table)."""
    active = {r[0] for r in project.db.execute("SELECT name FROM codes WHERE status = 'active'")}
    return len(active | used)


# ---------------------------------------------------------------------------------------------
# Agreement


@dataclass(frozen=True)
class AgreementComparison:
    result: AgreementResult
    corpus: Corpus
    # In an all-codes comparison: active codes of the codebook no compared analyst used on the
    # transcripts compared. They have no figures (nothing to agree on) but are named, not dropped.
    used_by_neither: tuple[str, ...] = ()
    # With --ci: bootstrap intervals (qualcode.agreement.bootstrap.Interval), resampling transcripts.
    intervals: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {
            **self.result.to_dict(),
            **self.corpus.transcripts_dict(),
            "used_by_neither": list(self.used_by_neither),
        }
        if self.intervals:
            data["intervals"] = [interval.to_dict() for interval in self.intervals]
        return data


def check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 1:
        # MAXQDA asks for a percentage, so 90 is most likely meant as 0.9.
        hint = f"; for {threshold:g} % write {threshold / 100:g}" if 1 < threshold <= 100 else ""
        raise InvalidInput(
            f"--threshold must be above 0 and at most 1 (the share of two segments' combined extent "
            f"that must overlap); got {threshold:g}{hint}"
        )
    return threshold


def compare_agreement(
    project: Project,
    analysts: Sequence[str] | None = None,
    levels: Sequence[str] = ("character",),
    *,
    codes: Sequence[str] | None = None,
    transcripts: Sequence[str] | None = None,
    threshold: float = 0.9,
    by_transcript: bool = False,
    all_transcripts: bool = False,
    ci: float | None = None,
    resamples: int = 1000,
    seed: int = 1,
) -> list[AgreementComparison]:
    """Agreement between analysts, per code and overall, at each level asked for.

    analysts: names (default: the two analysts with codings, when there are exactly two);
    levels: any of agreement.LEVELS; codes: only these codes (default: every code used);
    transcripts: only these transcripts; threshold: the segment level's overlap threshold;
    by_transcript: also one row per code and transcript; all_transcripts: include transcripts
    that only some of the analysts coded; ci: also bootstrap intervals at this confidence
    (qualcode.agreement.bootstrap), with this many resamples from this seed.
    """
    for level in levels:
        if level not in LEVELS:
            raise InvalidInput(f"unknown level '{level}'; use one of: {', '.join(LEVELS)}, all")
    check_threshold(threshold)
    if ci is not None:
        from qualcode.agreement.bootstrap import check_confidence

        check_confidence(ci, resamples, 2)  # the number of transcripts is checked once known
    chosen = choose_analysts(project, analysts)
    wanted = check_codes(project, codes)
    corpus = select_transcripts(project, chosen, transcripts, all_transcripts=all_transcripts)
    spans = spans_by_analyst(project, corpus, wanted)
    used = {span.code for analyst_spans in spans.values() for span in analyst_spans}
    require_used(wanted, used, corpus)
    q = codebook_size(project, used)
    # One pass over the spans for every level asked for; only the segment level's
    # Brennan-Prediger takes q from the codebook (the presence levels have q = 2).
    results = compare_levels(
        spans,
        corpus.lengths,
        list(dict.fromkeys(levels)),
        codes=wanted,
        threshold=threshold,
        codebook_size=q,
        by_transcript=by_transcript,
    )
    unused: tuple[str, ...] = ()
    if wanted is None:
        active = [r[0] for r in project.db.execute("SELECT name FROM codes WHERE status = 'active'")]
        unused = tuple(sorted((name for name in active if name not in used), key=natural_key))
    intervals: dict[str, tuple[Any, ...]] = {}
    if ci is not None:
        intervals = _intervals(spans, corpus, levels, wanted, ci, resamples, seed)
    return [AgreementComparison(results[level], corpus, unused, intervals.get(level, ())) for level in levels]


def _intervals(
    spans: dict[str, list[Span]],
    corpus: Corpus,
    levels: Sequence[str],
    codes: list[str] | None,
    ci: float,
    resamples: int,
    seed: int,
) -> dict[str, tuple[Any, ...]]:
    """Bootstrap intervals for the levels that have them (not the segment level)."""
    from qualcode.agreement.bootstrap import BOOTSTRAP_LEVELS, check_confidence, level_intervals
    from qualcode.agreement.grouping import group_into_cells, merge_cells

    check_confidence(ci, resamples, len(corpus.lengths))
    with collector_paused():
        cells = group_into_cells(spans, corpus.names, corpus.lengths, codes, [])
        merge_cells(cells)
    compared = codes if codes is not None else sorted(cells)
    return {
        level: tuple(level_intervals(cells, compared, corpus.names, corpus.lengths, level, ci, resamples, seed))
        for level in levels
        if level in BOOTSTRAP_LEVELS
    }
