"""qualcode: a command-line workbench for reflexive thematic analysis."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version is written once, in pyproject.toml, and read from the installed package's
    # metadata only when asked for: importing importlib.metadata would slow every command.
    if name == "__version__":
        from importlib.metadata import version

        return version("qualcode")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
