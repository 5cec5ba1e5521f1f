"""The test suite's own layout: fixtures in conftest.py, shared helpers in helpers.py, and no test
module importing another (which would run or collect its tests twice and hide where a helper lives).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_test_modules_import_shared_code_from_helpers_only():
    local = {path.stem for path in TESTS.glob("*.py")} | {"tests"}
    misplaced = {
        path.name: sorted(name for name in imported_modules(path) if name.split(".")[0] in local - {"helpers"})
        for path in sorted(TESTS.glob("*.py"))
    }
    assert {name: found for name, found in misplaced.items() if found} == {}
