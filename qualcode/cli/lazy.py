"""Command groups whose commands are imported only when they run.

`qualcode --help` and quick commands would otherwise pay for importing every command module and
what those import. A group is given a table: name -> (module, attribute) or (module, attribute,
short help); with a short help the group's --help lists the command without importing it.

A command whose module cannot be loaded because a library it needs is missing (matplotlib,
python-docx …) is reported as that: which library, and how to install it. Click would otherwise
say "No such command", which sends the user looking for a typo.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import click

# Import names of qualcode's dependencies whose package on PyPI is called something else.
PACKAGE_OF_MODULE = {"docx": "python-docx", "sqlite_utils": "sqlite-utils"}


class LazyCommand(NamedTuple):
    module: str
    attribute: str
    short_help: str | None = None


def missing_dependency(error: ImportError, command: str) -> click.ClickException | None:
    """The one-line message for a library `command` needs that is not installed (or will not
    load); None when the missing module is part of qualcode itself: that is a bug, not setup."""
    module = (error.name or "").split(".")[0]
    if not module or module == "qualcode":
        return None
    package = PACKAGE_OF_MODULE.get(module, module)
    if isinstance(error, ModuleNotFoundError):
        return click.ClickException(
            f"`{command}` needs {module}, which is not installed; install it with `pip install {package}`"
        )
    return click.ClickException(
        f"`{command}` needs {module}, which could not be loaded ({error}); try `pip install --upgrade {package}`"
    )


class LazyGroup(click.Group):
    """A click group whose commands listed in `lazy_commands` load on first use.

    Commands listed lazily keep the table's order in --help (the table is written in the order
    a reader should meet them). A group that also has commands of its own, defined with
    @group.command, lists all of them alphabetically, as click does. `prepare`, when set, is
    given every command the group hands out (the top level adds its options to each), and a
    mistyped command name gets the nearest names, loaded or not.
    """

    prepare: Callable[[click.Command], click.Command] | None = None

    def __init__(
        self,
        *args: Any,
        lazy_commands: Mapping[str, tuple[str, str] | tuple[str, str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Kept, not copied: the module's table stays the one place the commands are listed.
        self.lazy_commands = lazy_commands or {}

    def _entry(self, name: str) -> LazyCommand | None:
        entry = self.lazy_commands.get(name)
        return None if entry is None else LazyCommand(*entry)

    def list_commands(self, ctx: click.Context) -> list[str]:
        if self.commands:
            return sorted({*self.commands, *self.lazy_commands})
        return list(self.lazy_commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = self._entry(name)
        if entry is None:
            found = super().get_command(ctx, name)
            return self.prepare(found) if self.prepare and found is not None else found
        try:
            module = importlib.import_module(entry.module)
        except ImportError as error:
            problem = missing_dependency(error, f"{ctx.command_path} {name}")
            if problem is None:
                raise
            if ctx.resilient_parsing:  # shell completion: offer nothing rather than fail
                return None
            raise problem from None
        command: click.Command = getattr(module, entry.attribute)
        return self.prepare(command) if self.prepare else command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0])
        if not ctx.resilient_parsing and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib  # only for a mistyped name: `qualcode --help` does not pay for it

            close = difflib.get_close_matches(name, self.list_commands(ctx))
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise click.UsageError(f"No such command {name!r}.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Like click's listing, but a command with a short help in the table is not imported,
        and one whose library is missing is listed with what it needs rather than failing."""
        names = self.list_commands(ctx)
        if not names:
            return
        # Click's allowance for a one-line summary: three times the default spacing.
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            entry = self._entry(name)
            if entry is not None and entry.short_help is not None:
                rows.append((name, entry.short_help))
                continue
            try:
                command = self.get_command(ctx, name)
            except click.ClickException as problem:
                rows.append((name, f"(unavailable: {problem.message})"))
                continue
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
