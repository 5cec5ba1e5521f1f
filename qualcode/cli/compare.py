"""`qualcode compare ...`: agreement, disagreements, code correspondence and consensus coding.

The commands parse, call qualcode.compare and choose the output; drawing the results in the
terminal is in qualcode.cli.compare_render."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import click

from qualcode.cli.common import (
    Settings,
    echo_path,
    force_option,
    output_options,
    pass_settings,
    print_csv,
    print_json,
    refuse_empty_out,
)
from qualcode.cli.compare_render import (
    draw_agreement,
    print_consensus,
    print_correspondence,
    print_disagreements,
)
from qualcode.cli.completion import (
    complete_analysts,
    complete_codes,
    complete_transcripts,
)

LEVEL_CHOICES = ("document", "character", "segment", "unitized", "all")


@click.group()
def compare() -> None:
    """Compare co-analysts' coding: agreement, the passages you differ on, how your codes
    correspond, and a consensus coding.

    \b
    Examples:
        qualcode compare agreement --level all
        qualcode compare disagreements Maya Tom --format md
        qualcode compare codes Maya Tom
        qualcode compare merge Maya Tom --into Consensus
    """


def reveals(fn):
    """A comparison ends blind coding: ask first (or take --yes), and once the command has
    succeeded turn blind coding off with the journal entry "codes revealed for comparison"."""

    @functools.wraps(fn)
    def run(settings: Settings, *args, yes: bool, **kwargs):
        from qualcode.analysis.blind import reveal
        from qualcode.analysis.visibility import is_blind

        project = settings.project()
        if is_blind(project.db):
            acting = settings.analyst()
            from qualcode.analysis.open_sessions import open_session_notes

            for note in open_session_notes(project.db, acting):  # revealing is allowed; say so
                click.echo(f"note: {note}", err=True)
            if not yes:
                click.confirm(
                    "Coding is blind: comparing reveals every analyst's codings and codes to all. Reveal them now?",
                    abort=True,
                    err=True,
                )
            result = fn(settings, *args, **kwargs)
            done = reveal(project, acting, "compare")
            click.echo(
                f"blind coding off: codes revealed for comparison (journal entry, memo {done.memo_id})", err=True
            )
            return result
        return fn(settings, *args, **kwargs)

    return click.option("--yes", is_flag=True, help="When coding is blind, reveal without asking.")(run)


def selection_options(fn):
    for option in reversed(
        [
            click.option(
                "--code",
                "codes",
                multiple=True,
                shell_complete=complete_codes,
                metavar="CODE",
                help="Only this code (repeat for several).",
            ),
            click.option(
                "--transcript",
                "transcripts",
                multiple=True,
                shell_complete=complete_transcripts,
                metavar="NAME",
                help="Only this transcript (repeat for several).",
            ),
            click.option(
                "--all-transcripts",
                is_flag=True,
                help="Also include transcripts that only some of the analysts coded "
                "(their uncoded text then counts as not coded).",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def _split_names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        from qualcode.errors import InvalidInput

        raise InvalidInput("--analysts names no analyst; name two or more, e.g. --analysts Maya,Tom")
    return names


@compare.command("agreement", short_help="Agreement per code and overall, with counts.")
@click.option("--analysts", metavar="A,B[,C...]", help="Analysts to compare (default: the two who have codings).")
@click.option(
    "--level",
    type=click.Choice(LEVEL_CHOICES),
    default="character",
    show_default=True,
    help="Units compared: transcripts (MAXQDA's code existence), characters (NVivo's coding "
    "comparison), coded segments (MAXQDA's segment overlap), or the text as a continuum "
    "(Krippendorff's unitizing |uα).",
)
@click.option(
    "--threshold",
    type=float,
    default=0.9,
    show_default=True,
    help="Segment level: the overlap (intersection over union) at which two segments agree.",
)
@click.option("--by-transcript", is_flag=True, help="Also one row per code and transcript.")
@click.option(
    "--domain",
    "domains",
    multiple=True,
    metavar="PARENT|A,B,C",
    help="A semantic domain: a parent code (its subcodes) or a list of codes, read as the values of one "
    "variable; gives uα, |uα, cuα, the 1995 per-code uα, and Cuα across two or more domains (repeat).",
)
@click.option(
    "--ci",
    type=float,
    metavar="LEVEL",
    help="Also bootstrap confidence intervals at this level, e.g. 0.95, for κ and α (document, "
    "character) and |uα (unitized), resampling transcripts.",
)
@click.option("--resamples", type=int, default=1000, show_default=True, help="Bootstrap resamples for --ci.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the resampling, so a run repeats.")
@selection_options
@output_options
@pass_settings
@reveals
def agreement(
    settings: Settings,
    analysts: str | None,
    level: str,
    threshold: float,
    by_transcript: bool,
    domains: tuple[str, ...],
    ci: float | None,
    resamples: int,
    seed: int,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Agreement between analysts per code and overall, with the counts behind each figure.

    Only transcripts that every compared analyst has coded are included; the output names the
    others and why they were left out. The figures are material for the team's discussion,
    not a pass mark.

    \b
    Coefficients (agreement.md's terms; the output's notes give each in full):
      κ = (P_o - P_e) / (1 - P_e): Cohen (own marginals), Fleiss, Conger (m analysts)
      α = 1 - (n-1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, nominal, over the level's units
      --domain, level unitized, unit the character continuum, l_ck observed and
      e_ck = l..(l_c. l_.k - [c=k] S_c) / (l..² - Σ S_c) expected coincidences:
        uα = 1 - (l.. - tr l) / (l.. - tr e) over the domain's codes and the gap
        |uα (α-binary): the same, coded vs not;  cuα (cu-α): only text both
        coded, S_c from pairable lengths;  Cuα (Cu-α): domains as the values
        uα 1995 per code: α_k = 1 - D_o / D_e (Krippendorff 1995, 2004 §12.4)
      --ci: percentile bootstrap, resampling transcripts with replacement
        (in --csv as NAME_lower, NAME_upper beside each coefficient)

    \b
    Examples:
        qualcode compare agreement
        qualcode compare agreement --analysts Maya,Tom,Ben --level document
        qualcode compare agreement --level segment --threshold 0.8
        qualcode compare agreement --level all --code Rupture --by-transcript
        qualcode compare agreement --domain Emotions --domain "Rupture,Repair"
        qualcode compare agreement --ci 0.95 --code Rupture --seed 7
    """
    from qualcode.agreement.levels import LEVELS
    from qualcode.compare.codings import compare_agreement

    if ci is not None:
        from qualcode.agreement.bootstrap import check_confidence

        check_confidence(ci, resamples, 2)
    if domains:
        explicit = click.get_current_context().get_parameter_source("level") != click.core.ParameterSource.DEFAULT
        if explicit and (as_json or as_csv):
            raise click.UsageError("--domain with --json or --csv gives the domains only: leave out --level")
        _domain_agreement(settings, analysts, domains, transcripts, all_transcripts, as_json, as_csv)
        if not explicit:
            return
        click.echo()

    comparisons = compare_agreement(
        settings.project(),
        _split_names(analysts),
        LEVELS if level == "all" else (level,),
        codes=codes,
        transcripts=transcripts,
        threshold=threshold,
        by_transcript=by_transcript,
        all_transcripts=all_transcripts,
        ci=ci,
        resamples=resamples,
        seed=seed,
    )
    if as_json:
        dicts = [comparison.to_dict() for comparison in comparisons]
        print_json(dicts if level == "all" else dicts[0])
        return
    if as_csv:
        from qualcode.compare.figures import agreement_csv_rows

        columns, rows = agreement_csv_rows(comparisons)
        print_csv(rows, columns)
        return
    from qualcode.compare.domain_figures import interval_table
    from qualcode.compare.figures import agreement_table

    for index, comparison in enumerate(comparisons):
        if index:
            click.echo()
        draw_agreement(agreement_table(comparison), by_transcript)
        if comparison.intervals:
            click.echo()
            draw_agreement(interval_table(comparison.intervals, comparison.result.level), False)
        elif ci is not None:
            click.echo(f"No bootstrap interval at {comparison.result.level} level: it resamples no units there.")


def _domain_agreement(settings, analysts, domains, transcripts, all_transcripts, as_json, as_csv) -> None:
    from qualcode.compare.domain_figures import domain_tables
    from qualcode.compare.domains import compare_domain_agreement

    comparison = compare_domain_agreement(
        settings.project(), _split_names(analysts), domains, transcripts=transcripts, all_transcripts=all_transcripts
    )
    if as_json:
        print_json(comparison.to_dict())
        return
    if as_csv:
        result = comparison.result
        rows = [
            {"row": "domain", "domain": row.domain, "code": "", **row.counts, **_flat(row.coefficients)}
            for row in result.rows + ([result.overall] if result.overall else [])
        ]
        rows += [
            {
                "row": "code",
                "domain": row.domain,
                "code": row.code,
                "units": row.units,
                "D_o": row.observed,
                "D_e": row.expected,
                **_flat({"krippendorff_u_alpha_1995": row.alpha}),
            }
            for row in result.code_rows
        ]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        print_csv([{c: row.get(c, "") for c in columns} for row in rows], columns)
        return
    for index, table in enumerate(domain_tables(comparison)):
        if index:
            click.echo()
        draw_agreement(table, False)


def _flat(coefficients) -> dict[str, str]:
    return {name: "undefined" if s.value is None else f"{s.value + 0.0:.3f}" for name, s in coefficients.items()}


@compare.command("disagreements", short_help="Passages two analysts coded differently.")
@click.argument("first", shell_complete=complete_analysts)
@click.argument("second", shell_complete=complete_analysts)
@click.option(
    "--group-by",
    type=click.Choice(["transcript", "code"]),
    default="transcript",
    show_default=True,
    help="Group passages by transcript then code, or by code then transcript.",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="Print to the terminal, or write a Markdown discussion sheet.",
)
@click.option(
    "--out",
    metavar="PATH",
    callback=refuse_empty_out,
    help="Where the sheet goes (default exports/PROJECT-disagreements-A-B.md; - for stdout).",
)
@force_option
@selection_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
@pass_settings
@reveals
def disagreements(
    settings: Settings,
    first: str,
    second: str,
    group_by: str,
    form: str,
    out: str | None,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
) -> None:
    """The passages one analyst coded and the other did not, or coded with other boundaries.

    Each passage comes with its text, lines, turn and speaker, and what each analyst did, so a
    team can walk through them in a meeting; --format md writes a sheet with a checkbox and
    room for the decision on each.

    \b
    Examples:
        qualcode compare disagreements Maya Tom
        qualcode compare disagreements Maya Tom --code Rupture --group-by code
        qualcode compare disagreements Maya Tom --format md --out meeting/2024-05-02.md
    """
    if out is not None and form != "md":
        raise click.UsageError("--out goes with --format md")
    from qualcode.compare.disagreements import find_disagreements

    project = settings.project()
    report = find_disagreements(
        project,
        first,
        second,
        codes=codes,
        transcripts=transcripts,
        group_by=group_by,
        all_transcripts=all_transcripts,
    )
    if as_json:
        print_json(report.to_dict())
        return
    if form == "md":
        from qualcode.compare.sheet import disagreement_sheet

        sheet = disagreement_sheet(report, project.path.stem)
        if out == "-":
            for piece in sheet:
                click.echo(piece, nl=False)
            return
        names = report.corpus.names
        default = (
            Path("exports") / f"{project.path.stem}-disagreements-{_file_part(names[0])}-{_file_part(names[1])}.md"
        )
        path = Path(out) if out else default
        from qualcode.files import write_atomically

        write_atomically(path, lambda temporary: temporary.write_text("".join(sheet), encoding="utf-8"))
        echo_path(path)
        return
    print_disagreements(report)


def _file_part(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "analyst"


@compare.command("codes", short_help="Which of two analysts' codes correspond.")
@click.argument("first", shell_complete=complete_analysts)
@click.argument("second", shell_complete=complete_analysts)
@click.option(
    "--min",
    "minimum",
    type=float,
    default=0.1,
    show_default=True,
    help="Below this Jaccard index a code's best match is shown as 'no counterpart'.",
)
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    shell_complete=complete_transcripts,
    metavar="NAME",
    help="Only this transcript (repeat for several).",
)
@click.option("--all-transcripts", is_flag=True, help="Also include transcripts that only one of them coded.")
@output_options
@pass_settings
@reveals
def codes(
    settings: Settings,
    first: str,
    second: str,
    minimum: float,
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """How two analysts' codes correspond, by the overlap of the text they coded.

    For analysts who built their own codebooks: each code's best match in the other's codebook
    (Jaccard index on characters), in both directions, and the codes with no counterpart.

    \b
    Examples:
        qualcode compare codes Maya Tom
        qualcode compare codes Maya Tom --min 0.2 --csv > correspondence.csv
    """
    from qualcode.compare.correspondence import compare_codebooks

    result = compare_codebooks(
        settings.project(), first, second, minimum=minimum, transcripts=transcripts, all_transcripts=all_transcripts
    )
    names = result.corpus.names
    if as_json:
        print_json(result.to_dict())
        return
    directions = ((names[0], names[1], result.first), (names[1], names[0], result.second))
    if as_csv:
        flat = [
            {
                "analyst": mine,
                "code": m.code,
                "characters": m.characters,
                "other_analyst": theirs,
                "best_match": m.best if m.counterpart else "",
                "jaccard": f"{m.jaccard:.3f}",
                "shared": m.shared,
                "mutual": m.mutual,
                "nearest": m.best or "",
            }
            for mine, theirs, matches in directions
            for m in matches
        ]
        print_csv(flat)
        return
    print_correspondence(result, minimum)


@compare.command("merge", short_help="Consensus codings from two analysts.")
@click.argument("first", shell_complete=complete_analysts)
@click.argument("second", shell_complete=complete_analysts)
@click.option("--into", required=True, metavar="NAME", help="The consensus analyst (created if needed).")
@click.option(
    "--rule",
    type=click.Choice(["union", "intersection", "prefer-A"], case_sensitive=False),
    default="union",
    show_default=True,
    help="union: text either coded; intersection: text both coded; prefer-A: FIRST's codings, "
    "and SECOND's for each transcript and code FIRST did not use there.",
)
@click.option("--replace", is_flag=True, help="Replace the consensus analyst's existing codings.")
@selection_options
@output_options
@pass_settings
@reveals
def merge(
    settings: Settings,
    first: str,
    second: str,
    into: str,
    rule: str,
    replace: bool,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    all_transcripts: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Make a consensus analyst's codings from two analysts' codings, and record the decision.

    Nothing of FIRST's or SECOND's work changes; the consensus is a third analyst, and a
    decision memo records the rule and what it did per code.

    \b
    Examples:
        qualcode compare merge Maya Tom --into Consensus
        qualcode compare merge Maya Tom --into Consensus --rule prefer-A --replace
    """
    from qualcode.compare.consensus import merge_codings

    report = merge_codings(
        settings.project(),
        settings.analyst(),
        first,
        second,
        into,
        rule=rule,
        codes=codes,
        transcripts=transcripts,
        all_transcripts=all_transcripts,
        replace=replace,
    )
    names = report.corpus.names
    if as_json:
        print_json(report.to_dict())
        return
    rows = [{"code": c.code, names[0]: c.first, names[1]: c.second, report.into: c.consensus} for c in report.codes]
    if as_csv:
        print_csv(rows)
        return
    print_consensus(report, rows)
