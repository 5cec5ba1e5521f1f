"""The semantic-domain alphas and the bootstrap intervals as tables of text, with captions that
name every coefficient with its level and unit and give its formula (agreement.md's terms)."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.agreement.domain_alpha import BINARY_U_ALPHA, CU_ALPHA, U_ALPHA, U_ALPHA_1995
from qualcode.compare.domains import DomainComparison
from qualcode.compare.figures import STAT_HEADERS, AgreementTable, Footnotes, format_number, format_stat, left_out_lines
from qualcode.wording import join_names

DOMAIN_HEADERS = {
    BINARY_U_ALPHA: "|uα",
    U_ALPHA: "uα",
    CU_ALPHA: "cuα",
    U_ALPHA_1995: "uα 1995",
}

DOMAIN_NOTES = [
    "Level: unitized. Unit: the character continuum, each analyst's text split into valued units "
    "(their spans of the domain's codes, one value per code) and gaps; transcripts are joined end to end.",
    "With l_ck the observed coincidences (overlap lengths of one analyst's value c with another's value k, "
    "over ordered analyst pairs, / (m - 1)), l.. = m T, S_c the units' summed squared lengths (the gaps' "
    "summed length) and e_ck = l..(l_c. l_.k - [c = k] S_c) / (l..^2 - sum S_c):",
    "uα (Krippendorff et al. 2016; Krippendorff 2019 §12.6) = 1 - (l.. - tr l) / (l.. - tr e), values = "
    "the domain's codes and the gap: agreement on boundaries and codes at once.",
    "|uα (ATLAS.ti's α-binary) = the same on the 2 x 2 collapse coded / not coded with the domain: "
    "agreement on where the domain applies.",
    "cuα (ATLAS.ti's cu-α) = the same on l restricted to text two analysts both coded with the domain, "
    "with S_c replaced by each unit's pairable length squared: agreement on which code, given both coded.",
    "all domains row: each domain is one value; its cuα is ATLAS.ti's Cu-α, its |uα the global α-binary.",
    "uα 1995 (Krippendorff 1995; Content Analysis 2004 §12.4, pp. 251-256): per code, the other codes "
    "counted as gaps; D_o = 2 Σ_{i<j} Σ δ² / (m(m-1)L²), δ² = (b₁-b₂)² + (e₁-e₂)² for overlapping units "
    "and l² for a unit inside the other's gap; D_e as in the 2004 text; α_k = 1 - D_o/D_e; a domain's "
    "row is 1 - mean D_o / mean D_e.",
]


def domain_tables(comparison: DomainComparison) -> list[AgreementTable]:
    result, corpus = comparison.result, comparison.corpus
    footnotes = Footnotes()
    names = list(DOMAIN_HEADERS)

    def figures(counts, coefficients) -> list[str]:
        return [
            format_number(counts["units"]),
            format_number(counts["coded_length"]),
            *(format_stat(coefficients[n], footnotes) if n in coefficients else "" for n in names),
        ]

    rows = [[row.domain, *figures(row.counts, row.coefficients)] for row in result.rows]
    overall = []
    if result.overall is not None:
        overall = [["all domains (Cuα)", *figures(result.overall.counts, result.overall.coefficients)]]
    code_rows = [
        [
            row.domain,
            row.code,
            format_number(row.units),
            f"{row.observed:.4g}",
            f"{row.expected:.4g}",
            format_stat(row.alpha, footnotes),
        ]
        for row in result.code_rows
    ]
    caption = [f"Transcripts compared ({len(corpus.transcripts)}): {', '.join(corpus.transcripts.values())}."]
    caption += left_out_lines(corpus.left_out)
    for domain in comparison.domains:
        if domain.mixed_parents:
            parents = "; ".join(f"{code} (under {parent or 'no parent'})" for code, parent in domain.parents.items())
            caption.append(f"Domain {domain.name} joins codes of different parents: {parents}.")
    caption += footnotes.lines() + DOMAIN_NOTES + result.notes
    title = f"Agreement over semantic domains, unitized level: {join_names(corpus.names)}"
    main = AgreementTable(
        title=title,
        headers=["domain", "units", "coded chars", *DOMAIN_HEADERS.values()],
        rows=rows,
        overall=overall,
        transcript_headers=[],
        transcript_rows=[],
        caption=[],
        counts=2,
    )
    per_code = AgreementTable(
        title="Per code: Krippendorff's 1995 per-value uα (unit: the character continuum)",
        headers=["domain / code", "units", "D_o", "D_e", "α_k"],
        rows=[[r[0] + " / " + r[1], *r[2:]] for r in code_rows],
        overall=[],
        transcript_headers=[],
        transcript_rows=[],
        caption=caption,
        counts=0,
    )
    return [main, per_code]


def interval_table(intervals: Sequence, level: str) -> AgreementTable:
    """One level's bootstrap intervals: a row per code (and all codes pooled) and coefficient."""
    from qualcode.agreement.bootstrap import UNIT_OF_LEVEL

    first = intervals[0]
    percent = f"{first.confidence * 100:g}%"
    rows = [
        [
            i.row,
            STAT_HEADERS.get(i.coefficient, i.coefficient),
            "undefined" if i.value is None else f"{i.value + 0.0:.3f}",
            "undefined" if i.lower is None else f"{i.lower + 0.0:.3f}",
            "undefined" if i.upper is None else f"{i.upper + 0.0:.3f}",
            f"{i.defined:,}",
        ]
        for i in intervals
    ]
    caption = [
        f"Bootstrap {percent} intervals at {level} level ({UNIT_OF_LEVEL[level]}): {first.resamples:,} resamples "
        "of the transcripts compared (drawn with replacement, each resample as many as were compared; "
        "every figure recomputed from the drawn transcripts' counts), percentile method; 'defined' counts the "
        "resamples where the coefficient was defined. The same --seed gives the same intervals.",
    ]
    return AgreementTable(
        title=f"Bootstrap {percent} confidence intervals, {level} level",
        headers=["code", "coefficient", "value", "lower", "upper", "defined"],
        rows=rows,
        overall=[],
        transcript_headers=[],
        transcript_rows=[],
        caption=caption,
        counts=0,
    )
