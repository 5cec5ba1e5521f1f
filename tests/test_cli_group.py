"""The `qualcode` command itself: its version and how it loads its command groups."""

from __future__ import annotations

from importlib.metadata import version

import qualcode


def test_version_comes_from_the_package_metadata(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"qualcode, version {version('qualcode')}\n"
    assert qualcode.__version__ == version("qualcode")
