"""Renderers only: they draw what report/ and the thematic map hand them and never read the project.

report_docx (the Word report), tables with table_layout, table_text, table_docx, table_xlsx and
table_files (tables as csv, Markdown, LaTeX, Word and Excel), map_drawing with map_layout,
map_labels, map_links and map_fonts (the thematic map as a figure).
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "map_drawing": ["FONTS", "draw_figure", "draw_map"],
        "map_fonts": ["MissingGlyphsWarning"],
        "report_docx": ["render_report", "save_journal_docx"],
        "table_files": ["render_text", "write_table"],
        "table_text": ["latex_escape", "to_csv", "to_latex", "to_markdown"],
        "tables": [
            "Column",
            "FILE_SUFFIXES",
            "PRINTED_FORMATS",
            "SPREADSHEET_FORMATS",
            "TEXT_FORMATS",
            "Table",
            "check_format",
        ],
    },
)
