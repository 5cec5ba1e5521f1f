"""Tables as text: CSV for scripts, a Markdown pipe table, and a LaTeX booktabs table whose text
columns share the line as the Word table's columns do."""

from __future__ import annotations

import csv
import io
import re

from qualcode.exporters.table_layout import column_widths
from qualcode.exporters.tables import Cell, Column, Table, cell_text, printed_cell
from qualcode.spreadsheet_cells import neutralised

# LaTeX: the text columns' shares are laid out on a typical article's \linewidth (6.5 in) in
# \small text, with \tabcolsep on both sides of each column.
LATEX_LINE_POINTS = 468.0
LATEX_FONT_POINTS = 9.0
LATEX_COLUMN_GAP_POINTS = 12.0


# -- CSV ------------------------------------------------------------------------------------


def to_csv(table: Table, raw: bool = False) -> str:
    """CSV with text cells a spreadsheet would run as formulas neutralised, unless `raw`."""
    columns = table.columns_for("csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(c.key), raw) for c in columns])
    return buffer.getvalue()


def _csv_cell(value: Cell, raw: bool) -> str:
    text = cell_text(value)
    return text if raw or isinstance(value, (int, float)) else neutralised(text)


# -- Markdown -------------------------------------------------------------------------------


def _markdown_cell(value: Cell) -> str:
    text = " ".join(cell_text(value).split())  # a pipe table cell is one line
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(table: Table) -> str:
    """A pipe table with a pandoc-style caption line, readable as plain text too."""
    columns = table.columns_for("md")
    lines = [f"Table: {table.title}", ""]
    lines.append("| " + " | ".join(_markdown_cell(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_markdown_cell(printed_cell(row.get(c.key), c)) for c in columns) + " |")
    if table.note:
        lines += ["", f"*Note.* {_markdown_cell(table.note)}"]
    return "\n".join(lines) + "\n"


# -- LaTeX (booktabs) -----------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


_OPENING_QUOTE = re.compile(r'(^|(?<=[\s(\[{]))"')


def latex_escape(text: str) -> str:
    """Special characters escaped, and straight double quotes as TeX's opening and closing
    quotes (a straight " prints as a closing quote on both sides)."""
    escaped = "".join(_LATEX_SPECIALS.get(ch, ch) for ch in " ".join(text.split()))
    return _OPENING_QUOTE.sub("``", escaped).replace('"', "''")


def _latex_cell(value: Cell) -> str:
    if isinstance(value, list):
        return r" \newline ".join(latex_escape(str(v)) for v in value)
    return latex_escape(cell_text(value))


def _latex_column_specs(table: Table, columns: list[Column]) -> tuple[str, bool]:
    r"""The tabular's column specification, and whether it is a tabularx one. Numbers sit in
    `r` columns at their natural width; text columns are tabularx X columns filling the rest of
    \linewidth, each with the share the Word table's layout gives it (\hsize factors adding up to
    the number of X columns), so the table fits whatever the document's text width."""
    available = LATEX_LINE_POINTS - LATEX_COLUMN_GAP_POINTS * len(columns)
    widths = column_widths(table, columns, available, LATEX_FONT_POINTS, 0.0)
    text = [width for column, width in zip(columns, widths) if not column.numeric]
    factors = [round(len(text) * width / sum(text), 3) for width in text]
    if factors:
        factors[-1] = round(len(text) - sum(factors[:-1]), 3)  # exactly the X columns' total after rounding
    remaining = iter(factors)
    specs = [
        "r" if column.numeric else rf">{{\raggedright\arraybackslash\hsize={next(remaining):.3f}\hsize}}X"
        for column in columns
    ]
    return "".join(specs), bool(factors)


def to_latex(table: Table) -> str:
    """A booktabs table (\\usepackage{booktabs, array, tabularx}) in a floating table environment."""
    columns = table.columns_for("latex")
    specs, stretched = _latex_column_specs(table, columns)
    begin, end = (
        (rf"\begin{{tabularx}}{{\linewidth}}{{{specs}}}", r"\end{tabularx}")
        if stretched
        else (rf"\begin{{tabular}}{{{specs}}}", r"\end{tabular}")
    )
    lines = [
        r"% Needs \usepackage{booktabs}, \usepackage{array} and \usepackage{tabularx} in the preamble.",
        r"\begin{table}[htbp]",
        r"\centering",
        r"\small",
        rf"\caption{{{latex_escape(table.title)}}}",
        rf"\label{{tab:{table.label}}}",
        begin,
        r"\toprule",
        " & ".join(latex_escape(c.header) for c in columns) + r" \\",
        r"\midrule",
    ]
    for row in table.rows:
        # In text mode a comma groups digits as it does in prose (14,494); {,} is for math mode.
        lines.append(" & ".join(_latex_cell(printed_cell(row.get(c.key), c)) for c in columns) + r" \\")
    lines.append(r"\bottomrule")
    lines.append(end)
    if table.note:
        lines.append(
            rf"\par\smallskip\parbox{{\linewidth}}{{\footnotesize\textit{{Note.}} {latex_escape(table.note)}}}"
        )
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"
