"""The Word report and the tables for papers, as plain data gathered from the project.

content holds the data types the renderers draw; gather reads a report's content from the
project and has exporters/ draw it; quotes chooses illustrative extracts; prose writes the
summary and methods paragraphs; paper_tables builds the theme, codebook, extract and participant
tables; agreement_appendix the co-analysts' agreement as an appendix.
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "content": ["AgreementAppendix", "Quote", "ReportContent", "ThemeSection"],
        "gather": ["export_journal", "write_report"],
        "paper_tables": [
            "codebook_table",
            "default_export_path",
            "export_table",
            "extracts_table",
            "resolve_export_format",
            "themes_table",
            "write_themes_table",
        ],
        "prose": ["analysis_paragraph", "data_set_paragraph", "date_span", "methods_paragraph"],
        "quotes": ["Candidate", "QuotedPassages", "spread_over_participants"],
    },
)
