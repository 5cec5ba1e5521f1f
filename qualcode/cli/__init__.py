"""The `qualcode` command: global options and lazily loaded command groups, one module per noun.

Modules are imported only when their command runs, so `qualcode --help` and quick commands start
fast; heavy libraries (python-docx, networkx, matplotlib) load only where they are used.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

import click

from qualcode.cli.completion import complete_analysts
from qualcode.cli.lazy import LazyGroup, missing_dependency
from qualcode.errors import QualcodeError
from qualcode.terminal_text import visible

# name -> (module, attribute, one-line help): `qualcode --help` lists these without importing them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("qualcode.cli.project", "init", "Create a project file."),
    "status": ("qualcode.cli.project", "status", "Counts, the current phase and the analysts of a project."),
    "demo": ("qualcode.cli.demo", "demo", "Build the bundled demo study and its report, map and tables."),
    "config": ("qualcode.cli.project", "config", "Show or set the project's defaults: counts, paper."),
    "migrate": ("qualcode.cli.project", "migrate", "Show or apply the project file's schema migrations."),
    "analyst": ("qualcode.cli.analyst", "analyst", "Add and list analysts."),
    "transcript": ("qualcode.cli.transcript", "transcript", "Import, list, read and search transcripts."),
    "participant": ("qualcode.cli.participant", "participant", "Participants and their attributes."),
    "code": ("qualcode.cli.code", "code", "The codebook and coding: add, apply, list, show, merge, session …"),
    "extracts": ("qualcode.cli.retrieval", "extracts", "Every passage coded with a code."),
    "matrix": ("qualcode.cli.retrieval", "matrix", "Codes by participants (or by an attribute), with counts."),
    "cooccurrence": ("qualcode.cli.retrieval", "cooccurrence", "Codes that overlap or share a turn."),
    "memo": ("qualcode.cli.memo", "memo", "Memos: familiarisation notes, reflexive and decision memos."),
    "journal": ("qualcode.cli.memo", "journal", "The reflexive journal in time order."),
    "phase": ("qualcode.cli.phase", "phase", "The six phases: where the analysis stands and what is left."),
    "log": ("qualcode.cli.history", "log", "The audit trail of every change."),
    "undo": ("qualcode.cli.history", "undo", "Revert the last change by this analyst."),
    "compare": ("qualcode.cli.compare", "compare", "Compare analysts: agreement, disagreements, code correspondence."),
    "theme": ("qualcode.cli.theme", "theme", "Themes and subthemes: build, review, define, quote."),
    "map": ("qualcode.cli.map", "map_command", "Draw the thematic map; snapshots and history."),
    "report": ("qualcode.cli.report", "report", "Write the Word report."),
    "export": ("qualcode.cli.export", "export", "Tables for papers and REFI-QDA files."),
    "import": ("qualcode.cli.exchange", "import_group", "Import REFI-QDA projects and codebooks, QualCoder projects."),
    "merge": ("qualcode.cli.merge", "merge", "Merge another copy of a project into this one."),
}


PROJECT_HELP = "Project file; a bare NAME means projects/NAME.qualcode. [env: QUALCODE_PROJECT]"
ANALYST_HELP = "Who is working; defaults to the project's default analyst. [env: QUALCODE_ANALYST]"


def _remember(setting: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback that hands a value given after the subcommand to the settings the top
    level made (and, for shell completion, which makes none, to the context's shared meta)."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.meta[f"qualcode.{setting}"] = value
            settings = ctx.find_root().obj
            if settings is not None:
                setattr(settings, setting, value)
        return value

    return callback


def with_global_options(command: click.Command) -> click.Command:
    """`-p/--project` and `-a/--analyst` on `command` and every command under it, so they may come
    after the subcommand too (`qualcode code apply X -t P1 --lines 2 -a Tom`), shown in each --help.
    A command with an --analyst of its own ("only this analyst's codings") keeps it, and -a
    becomes its short form: on a listing, the analyst named is the one whose work is shown."""
    if getattr(command, "_qualcode_global_options", False):
        return command
    command._qualcode_global_options = True  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        if isinstance(command, LazyGroup):
            command.prepare = with_global_options
        for sub in command.commands.values():
            with_global_options(sub)
        return command
    taken = {name: param for param in command.params for name in getattr(param, "opts", [])}
    if "--project" not in taken and "-p" not in taken:
        command.params.append(
            click.Option(
                ["-p", "--project", "global_project"],
                metavar="NAME|PATH",
                expose_value=False,
                callback=_remember("project_option"),
                help=PROJECT_HELP,
            )
        )
    if "--analyst" in taken:
        if "-a" not in taken:
            taken["--analyst"].opts.insert(0, "-a")
    elif "-a" not in taken:
        command.params.append(
            click.Option(
                ["-a", "--analyst", "global_analyst"],
                metavar="NAME",
                expose_value=False,
                callback=_remember("analyst_option"),
                shell_complete=complete_analysts,
                help=ANALYST_HELP,
            )
        )
    return command


# Writing to stdout fails with these when the disk (or /dev/full) is full or the terminal is gone.
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO}


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the final flush cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class QualcodeGroup(LazyGroup):
    """The `qualcode` command: lazy like every group, and the one place where what went wrong
    in the library becomes a one-line message instead of a traceback."""

    prepare = staticmethod(with_global_options)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QualcodeError as error:
            # Messages quote names and file names, which may hold control characters.
            raise click.ClickException(visible(str(error))) from None
        except ImportError as error:
            # Heavy libraries load inside commands, so a missing one shows up here, not on import.
            problem = missing_dependency(error, f"{ctx.command_path} {ctx.invoked_subcommand}")
            if problem is None:
                raise
            raise problem from None
        except sqlite3.OperationalError as error:
            if "readonly" in str(error):
                raise click.ClickException(
                    "the project is read-only (its file or folder cannot be written): it can be read, not changed"
                ) from None
            if "locked" in str(error):
                raise click.ClickException(
                    "the project file is still busy (another command has been writing to it all the while); "
                    "try again in a moment"
                ) from None
            raise click.ClickException(f"the project file could not be used: {error}") from None
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"the project file could not be read: {error}") from None
        except BrokenPipeError:
            # The reader went away (`qualcode log | head`): stop quietly, as git does, and keep
            # Python from complaining when it flushes stdout on the way out.
            _silence_stdout()
            raise SystemExit(1) from None
        except OSError as error:
            if error.errno not in _OUTPUT_ERRORS:
                raise
            _silence_stdout()
            raise click.ClickException(f"cannot write the output: {error.strerror or error}") from None
        except RecursionError:
            # Something nested thousands deep (codes in an imported file, a code tree).
            raise click.ClickException(
                "the input nests too deeply to be read (thousands of levels); nothing was changed"
            ) from None


@click.group(cls=QualcodeGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
# Given the package name, click reads the version from its metadata only when --version is asked.
@click.version_option(package_name="qualcode", prog_name="qualcode")
@click.option(
    "-p",
    "--project",
    envvar="QUALCODE_PROJECT",
    metavar="NAME|PATH",
    help=PROJECT_HELP,
)
@click.option(
    "-a",
    "--analyst",
    envvar="QUALCODE_ANALYST",
    metavar="NAME",
    shell_complete=complete_analysts,
    help=ANALYST_HELP,
)
@click.pass_context
def cli(ctx: click.Context, project: str | None, analyst: str | None) -> None:
    """qualcode: reflexive thematic analysis of interview transcripts, from the shell.

    \b
    Start with the demo study:
        qualcode demo
    Or a project of your own:
        qualcode init mystudy --analyst Maya
        qualcode -p mystudy transcript import interviews/*.docx
    """
    # Transcripts are confidential: everything qualcode writes is readable by its owner only.
    os.umask(0o077)
    from qualcode.cli.common import Settings

    ctx.obj = Settings(project_option=project, analyst_option=analyst)
