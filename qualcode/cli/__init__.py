"""The `qualcode` command: global options and lazily loaded command groups, one module per noun.

Modules are imported only when their command runs, so `qualcode --help` and quick commands start
fast; heavy libraries (python-docx, networkx, matplotlib) load only where they are used.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sqlite3

import click

from qualcode.cli.completion import complete_analysts
from qualcode.errors import QualcodeError

# name -> (module, attribute, one-line help shown by `qualcode --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("project", "init", "Create a project file."),
    "status": ("project", "status", "Counts, the current phase and the analysts of a project."),
    "demo": ("demo", "demo", "Build the bundled demo study and its report, map and tables."),
    "migrate": ("project", "migrate", "Show or apply the project file's schema migrations."),
    "analyst": ("analyst", "analyst", "Add and list analysts."),
    "transcript": ("transcript", "transcript", "Import, list, read and search transcripts."),
    "participant": ("participant", "participant", "Participants and their attributes."),
    "code": ("code", "code", "The codebook and coding: add, apply, list, show, merge, session …"),
    "extracts": ("retrieval", "extracts", "Every passage coded with a code."),
    "matrix": ("retrieval", "matrix", "Codes by participants (or by an attribute), with counts."),
    "cooccurrence": ("retrieval", "cooccurrence", "Codes that overlap or share a turn."),
    "memo": ("memo", "memo", "Memos: familiarisation notes, reflexive and decision memos."),
    "journal": ("memo", "journal", "The reflexive journal in time order."),
    "phase": ("phase", "phase", "The six phases: where the analysis stands and what is left."),
    "log": ("history", "log", "The audit trail of every change."),
    "undo": ("history", "undo", "Revert the last change by this analyst."),
    "compare": ("compare", "compare", "Compare analysts: agreement, disagreements, code correspondence."),
    "theme": ("theme", "theme", "Themes and subthemes: build, review, define, quote."),
    "map": ("map", "map_command", "Draw the thematic map; snapshots and history."),
    "report": ("report", "report", "Write the Word report."),
    "export": ("export", "export", "Tables for papers and REFI-QDA files."),
    "import": ("exchange", "import_group", "Import REFI-QDA projects and codebooks, QualCoder projects."),
    "merge": ("merge", "merge", "Merge another copy of a project into this one."),
}


def _available(module: str) -> bool:
    return importlib.util.find_spec(f"qualcode.cli.{module}") is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _, _) in COMMANDS.items() if _available(module)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _available(COMMANDS[name][0]):
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(f"qualcode.cli.{module}"), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as error:
            raise click.ClickException(str(error)) from None
        except sqlite3.OperationalError as error:
            if "locked" in str(error):
                raise click.ClickException(
                    "the project file is busy (another command is writing to it); try again in a moment"
                ) from None
            raise click.ClickException(f"the project file could not be used: {error}") from None
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"the project file could not be read: {error}") from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
# Given the package name, click reads the version from its metadata only when --version is asked.
@click.version_option(package_name="qualcode", prog_name="qualcode")
@click.option(
    "-p",
    "--project",
    envvar="QUALCODE_PROJECT",
    metavar="NAME|PATH",
    help="Project file; a bare NAME means projects/NAME.qualcode. [env: QUALCODE_PROJECT]",
)
@click.option(
    "-a",
    "--analyst",
    envvar="QUALCODE_ANALYST",
    metavar="NAME",
    shell_complete=complete_analysts,
    help="Who is working; defaults to the project's default analyst. [env: QUALCODE_ANALYST]",
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
