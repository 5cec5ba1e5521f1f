"""What every command shares: finding the project and analyst, and printing tables, JSON and CSV."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from qualcode.store import Project, choose_project_path
from qualcode.terminal_text import visible
from qualcode.wording import turns_label


@dataclass
class Settings:
    project_option: str | None
    analyst_option: str | None
    _project: Project | None = field(default=None, repr=False)

    def project_path(self) -> Path:
        return choose_project_path(self.project_option)

    def project(self) -> Project:
        if self._project is None:
            self._project = Project.open(self.project_path())
            self._project.on_wait = lambda message: click.echo(message, err=True)
            click.get_current_context().call_on_close(self._project.close)
        return self._project

    def analyst(self) -> str:
        """The acting analyst, checked against the project."""
        project = self.project()
        if self.analyst_option:
            return project.analyst_name(self.analyst_option)
        return project.default_analyst()


pass_settings = click.make_pass_decorator(Settings)


def console(**kwargs: Any):
    """A rich console that follows the terminal layout policy (qualcode/cli/screen.py)."""
    from qualcode.cli import screen

    return screen.console(**kwargs)


def output_options(fn: Callable) -> Callable:
    """--json and --csv for listing commands; the command passes its rows to `emit`."""

    @click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")
    @click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def refuse_empty_out(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """`--out ""` is a mistake (an unset variable in a script), not a request for the default path."""
    if value is not None and str(value).strip() in ("", "."):
        raise click.BadParameter("needs a file name; leave --out out for the default path", ctx, param)
    return value


def _allow_replacing(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from qualcode.output_paths import allow_replacing, stop_replacing

        token = allow_replacing()
        ctx.call_on_close(lambda: stop_replacing(token))


def force_option(fn: Callable) -> Callable:
    """--force: replace an existing file of another kind at --out (databases and special files
    are refused all the same)."""
    return click.option(
        "--force",
        is_flag=True,
        expose_value=False,
        callback=_allow_replacing,
        help="Replace an existing file at --out even if it is not of this export's kind.",
    )(fn)


def json_option(fn: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys) for scripts.")(fn)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> None:
    columns = list(columns or (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    click.echo(buffer.getvalue(), nl=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _shown(value: Any) -> str:
    """A cell for people at a terminal: control characters made visible."""
    return visible(_cell(value))


def emit(
    rows: Sequence[dict[str, Any]],
    *,
    as_json: bool = False,
    as_csv: bool = False,
    columns: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
    empty: str = "nothing to show",
) -> None:
    """Print rows as JSON, CSV, or a rich table for people."""
    if as_json:
        print_json(list(rows))
        return
    if as_csv:
        print_csv(rows, columns)
        return
    if not rows:
        click.echo(empty)
        return
    print_table(rows, columns=columns, headers=headers, title=title)


def print_table(
    rows: Sequence[dict[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
) -> None:
    """Rows as a table laid out by the terminal policy (qualcode/cli/screen.py): the first column
    is the name a row is about, columns of numbers are right-aligned."""
    from qualcode.cli import screen

    keys = list(columns or rows[0].keys())
    screen.print_table(rows, screen.columns_for(rows, keys, headers), title=title)


EDITOR_MARKER = "# ----- qualcode: write above this line; it and everything below are ignored -----"


def read_text_input(text: str | None, from_file: Path | None, what: str, initial: str = "") -> str:
    """Long text from an argument, a file, stdin ('-'), or $EDITOR, in that order."""
    from qualcode.input_limits import MAX_TEXT_INPUT_BYTES, read_at_most, read_input_file

    if text == "-":
        data = read_at_most(sys.stdin.buffer, MAX_TEXT_INPUT_BYTES, "standard input", what)
        body = _utf8(data, "standard input")
    elif text is not None:
        body = text
    elif from_file is not None:
        body = _utf8(read_input_file(from_file, MAX_TEXT_INPUT_BYTES, what), str(from_file))
    else:
        # Only the marker line and what follows are dropped, so Markdown headings (#) survive.
        edited = click.edit(f"{initial}\n\n{EDITOR_MARKER}\n# Write the {what} above.\n")
        if edited is None:
            raise click.ClickException(f"no {what} written; nothing changed")
        body = edited.split(EDITOR_MARKER, 1)[0]
    body = body.strip()
    if not body:
        raise click.ClickException(f"the {what} is empty; nothing changed")
    return body


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{visible(name)} is not UTF-8 text (byte {error.start}); save it as UTF-8 and try again"
        ) from None


def print_extracts(rows: Sequence[dict[str, Any]], indent: int = 0) -> None:
    """Coded passages under a header each (id, where, who said it, code, analyst), the passage
    wrapped at spaces two columns in (qualcode/cli/screen.py).

    Written with click rather than rich: a code can have thousands of extracts, and rich's
    per-call layout would take seconds where this takes milliseconds."""
    from qualcode.cli import screen

    width = screen.width()
    margin = " " * indent
    body_room = max(screen.NARROW // 2, width - indent - 2)
    coloured = screen.colour()
    chunks = []
    for row in rows:
        row = {key: visible(value) if isinstance(value, str) else value for key, value in row.items()}
        participant = row.get("participant")
        where = row["transcript"] + (f" ({participant})" if participant and participant != row["transcript"] else "")
        # The speaker is named only when it is not the participant the transcript already names;
        # a passage over several turns names its turns and everyone who speaks in it.
        speaker = row.get("speaker")
        said_by = f" {speaker}" if speaker and speaker not in (row["transcript"], participant) else ""
        turns = f"T{row['turn']}{said_by}"
        if row.get("last_turn") not in (None, row["turn"]):
            turns = turns_label(row["turn"], row["last_turn"], row.get("speakers") or [])
        # The id and where the passage is stay on one line; the code's name wraps after them.
        place = screen.keep_together(f"#{row['coding_id']} {where} L{row['lines']}") + " " + turns
        who = f"{row['code']} — {row['analyst']}"
        if coloured and len(place) + len(who) + indent + 1 <= width:
            header = margin + (
                screen.style(f"#{row['coding_id']}", fg="cyan")
                + " "
                + screen.style(where, bold=True)
                + f" L{row['lines']} {turns} "
                + screen.style(who, dim=True)
            )
        else:
            header = screen.paragraph(f"{place} {who}", margin + "    ", margin, width)
        lines = screen.wrap(row["text"], body_room)
        chunks.append(header + "\n" + "\n".join(f"{margin}  {line}".rstrip() for line in lines))
    click.echo("\n".join(chunks))


def short_time(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


@contextlib.contextmanager
def drawing_notes() -> Iterator[None]:
    """Characters no installed font can draw become one note on stderr instead of Python
    warnings; any other warning is shown as usual."""
    import warnings

    from qualcode.exporters.map_fonts import MissingGlyphsWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MissingGlyphsWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, MissingGlyphsWarning):
            click.echo(f"note: {warning.message}", err=True)
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)


def echo_path(path: Path) -> None:
    click.echo(f"wrote {visible(str(path))}")
