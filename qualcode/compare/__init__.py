"""Comparing analysts who coded the same transcripts.

codings reads each analyst's codings from the project and calls agreement/ for the statistics;
disagreements finds passages one analyst coded and the other did not; correspondence matches one
analyst's codes to the other's; consensus merges two analysts' codings into a consensus analyst;
figures turns results into tables for people; sheet writes the discussion sheet for the meeting.
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "codings": ["compare_agreement"],
        "consensus": ["MergeReport", "merge_codings", "rule_description"],
        "correspondence": ["CodeCorrespondence", "CodeMatch", "compare_codebooks"],
        "disagreements": ["Disagreements", "find_disagreements"],
        "figures": ["AgreementTable", "agreement_csv_rows", "agreement_table", "left_out_lines"],
        "sheet": ["disagreement_sheet", "what_each_did", "where"],
    },
)
