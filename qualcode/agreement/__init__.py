"""Agreement between analysts: pure functions from coded spans to statistics.

No database and no I/O: compare/ reads each analyst's spans from a project and hands them here.
levels (compare_spans at document, character, segment and unitized level) gathers the counts by
way of grouping and each level's collector (presence_levels, segment_level, unitized_level);
results holds the result types and how overall rows are formed; coefficients the statistics
(Cohen's kappa, Scott's pi, Brennan-Prediger, Gwet's AC1, Krippendorff's alpha, Fleiss, Light,
Jaccard); unitized the interval arithmetic and Krippendorff's u-alpha; domain_alpha the
unitizing alphas over a semantic domain (uα, |uα, cuα, Cuα, the 1995 per-value uα); bootstrap the
confidence intervals, resampling transcripts. ../shared/agreement.md in
the design notes is the reference for every formula.
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "coefficients": [
            "METRICS",
            "Means",
            "Stat",
            "brennan_prediger",
            "cohen_kappa",
            "conger_kappa",
            "fleiss_kappa",
            "gwet_ac1",
            "jaccard",
            "krippendorff_alpha",
            "light_kappa",
            "pairwise_cohen_kappa",
            "percent_agreement",
            "presence_coefficients",
            "scott_pi",
            "tally_units",
        ],
        "bootstrap": ["Interval", "level_intervals", "percentile_interval", "resample_weights"],
        "domain_alpha": ["DomainResult", "DomainTally", "compare_domains", "cu_alpha", "per_value_1995", "u_alpha"],
        "levels": ["LEVELS", "collector_paused", "compare_levels", "compare_spans"],
        "results": [
            "AgreementError",
            "AgreementResult",
            "AgreementRow",
            "MEAN_OVER_CELLS",
            "MEAN_OVER_CODES",
            "POOLED",
            "Span",
            "WEIGHTED_BY_LENGTH",
        ],
        "unitized": ["ContinuumTally", "binary_u_alpha", "merge_intervals"],
    },
)
