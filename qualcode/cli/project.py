"""`qualcode init`, `qualcode status` and `qualcode migrate`."""

from __future__ import annotations

import click

from qualcode.cli.common import (
    Settings,
    console,
    json_option,
    pass_settings,
    print_json,
)
from qualcode.store import Project, resolve_project_path
from qualcode.wording import counted, shell_command


@click.command()
@click.argument("name")
@click.option(
    "--analyst", "analyst_name", metavar="NAME", help="The first analyst (default: the global --analyst, or 'analyst')."
)
@click.option("--title", help="The study's title, for the report and the map (default: the project name).")
@pass_settings
def init(settings: Settings, name: str, analyst_name: str | None, title: str | None) -> None:
    """Create a project file NAME (projects/NAME.qualcode, or a path).

    \b
    Example:
        qualcode init alliance --analyst Maya --title "Therapists on the alliance"
    """
    path = resolve_project_path(name)
    project = Project.create(path, analyst_name or settings.analyst_option or "analyst")
    if title:
        from qualcode.store import set_setting

        set_setting(project, project.default_analyst(), "title", title.strip())
    click.echo(f"created {path} (default analyst: {project.default_analyst()})")
    click.echo(f"next: {shell_command('-p', name, 'transcript', 'import', 'FILE...')}")
    project.close()


@click.command()
@json_option
@pass_settings
def status(settings: Settings, as_json: bool) -> None:
    """Counts, the current phase and the analysts of a project.

    \b
    Example:
        qualcode -p alliance status
    """
    from qualcode.analysis.status import project_status

    info = project_status(settings.project())
    if as_json:
        print_json(info)
        return
    from rich.text import Text

    out = console()
    out.print(Text(str(info["project"]), style="bold"))
    out.print(f"phase {info['phase']} of 6: {info['phase_name']}")
    out.print(
        f"{counted(info['transcripts'], 'transcript')} ({info['words']:,} words) "
        f"from {counted(info['participants_with_transcripts'], 'participant')}"
        + (
            f" ({info['participants']} in the participant table)"
            if info["participants"] != info["participants_with_transcripts"]
            else ""
        )
        + f"; {counted(info['codes'], 'code')}, {counted(info['codings'], 'coding')}, "
        f"{counted(info['themes'], 'theme')} with {counted(info['subthemes'], 'subtheme')}, "
        f"{counted(info['memos'], 'memo')}"
    )
    consensus = info["coding"]["consensus_analysts"]
    analysts = ", ".join(
        a + (" (default)" if a == info["default_analyst"] else "") + (" (consensus)" if a in consensus else "")
        for a in info["analysts"]
    )
    out.print(Text(f"analysts: {analysts}"))
    if info["coding"]["blind"]:  # open coding is the usual state and goes without saying here
        out.print(Text(info["coding"]["line"]))


@click.command()
@click.option("--list", "list_only", is_flag=True, help="Only list migrations and whether each is applied.")
@pass_settings
def migrate(settings: Settings, list_only: bool) -> None:
    """Apply a project's pending schema migrations, or list them (--list changes nothing).

    \b
    Example:
        qualcode -p alliance migrate --list
    """
    from qualcode.store import list_migrations

    if list_only:
        _print_migrations(list_migrations(settings.project_path()))
        return
    project = settings.project()  # opening the project applies what is pending
    _print_migrations(project.migrations())
    click.echo(f"schema version {project.schema_version}: up to date")


def _print_migrations(migrations: list[tuple[str, str | None]]) -> None:
    for name, applied_at in migrations:
        click.echo(f"{name}  {'applied ' + applied_at if applied_at else 'pending'}")


@click.command()
@click.argument("key", required=False, metavar="[counts|paper]")
@click.argument("value", required=False)
@pass_settings
def config(settings: Settings, key: str | None, value: str | None) -> None:
    """Show or set the project's defaults for what it writes.

    counts on|off: frequencies (extracts, participants) in the report and tables (default off,
    as reflexive thematic analysis reports them in words). paper a4|letter: the report's paper
    (default A4; Letter where the locale is the US or Canada). Commands override both with
    --counts/--no-counts and --paper.

    \b
    Examples:
        qualcode config
        qualcode config counts on
        qualcode config paper letter
    """
    from qualcode.report.preferences import preferences, set_preference

    project = settings.project()
    if key is None or value is None:
        current = preferences(project)
        if key is not None and key not in current:
            raise click.UsageError(f"unknown setting '{key}'; choose {' or '.join(current)}")
        for name, shown in current.items():
            if key in (None, name):
                click.echo(f"{name} {shown}")
        return
    stored = set_preference(project, settings.analyst(), key, value)
    click.echo(f"{key} {stored}")
