"""The layout the README's "For developers" section describes, kept true: which parts of the library
may import which, and the test suite's own layout (fixtures in conftest.py, shared helpers in
helpers.py, no test module importing another).

Imports are read from the source, including those inside functions (loaded lazily, but still a
dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

TESTS = Path(__file__).parent
PACKAGE = TESTS.parent / "qualcode"


def imported_modules(path: Path) -> set[str]:
    """What a module imports; `from a import b` counts as importing a and, if it is a module, a.b."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def library_modules() -> dict[str, set[str]]:
    """Dotted module name -> the modules it imports, for every module of the qualcode package."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = imported_modules(path)
    return modules


def qualcode_imports(imports: set[str]) -> set[str]:
    return {name for name in imports if name == "qualcode" or name.startswith("qualcode.")}


def test_the_library_never_imports_click_or_rich():
    offending = {
        name: sorted(i for i in imports if i.split(".")[0] in ("click", "rich"))
        for name, imports in library_modules().items()
        if not name.startswith("qualcode.cli")
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_agreement_and_the_pure_text_handling_import_nothing_of_the_store():
    pure = (
        "qualcode.agreement",
        "qualcode.text.transcripts",
        "qualcode.text.normalise",
        "qualcode.text.matching",
        "qualcode.text.importers",
        "qualcode.text.realign",
        "qualcode.text.pseudonyms",
    )
    project_side = ("qualcode.store", "qualcode.migrations", "qualcode.history", "qualcode.analysis")
    reaching = (*project_side, "qualcode.compare", "qualcode.report", "qualcode.exchange", "qualcode.cli")
    offending = {
        name: sorted(i for i in qualcode_imports(imports) if i.startswith(reaching))
        for name, imports in library_modules().items()
        if name.startswith(pure)
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_exporters_never_reach_back_into_the_project():
    reaching = ("qualcode.store", "qualcode.history", "qualcode.analysis", "qualcode.compare", "qualcode.cli")
    offending = {
        name: sorted(i for i in imports if i.startswith(reaching))
        for name, imports in library_modules().items()
        if name.startswith("qualcode.exporters")
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_no_import_cycles():
    graph = nx.DiGraph()
    modules = library_modules()
    for name, imports in modules.items():
        graph.add_node(name)
        graph.add_edges_from((name, i) for i in qualcode_imports(imports) if i in modules and i != name)
    # A package's __init__ importing its own modules is not a cycle through the package.
    graph.remove_edges_from([(a, b) for a, b in graph.edges if b.startswith(a + ".")])
    assert list(nx.simple_cycles(graph)) == []


def test_test_modules_import_shared_code_from_helpers_only():
    local = {path.stem for path in TESTS.glob("*.py")} | {"tests"}
    misplaced = {
        path.name: sorted(name for name in imported_modules(path) if name.split(".")[0] in local - {"helpers"})
        for path in sorted(TESTS.glob("*.py"))
    }
    assert {name: found for name, found in misplaced.items() if found} == {}


PACKAGES = (
    "qualcode.agreement",
    "qualcode.analysis",
    "qualcode.compare",
    "qualcode.report",
    "qualcode.exporters",
    "qualcode.exchange",
    "qualcode.exchange.refi",
    "qualcode.text",
)


def test_every_package_says_its_job_and_its_public_names_import_from_it():
    import importlib

    for name in PACKAGES:
        package = importlib.import_module(name)
        assert (package.__doc__ or "").strip(), f"{name} has no docstring"
        assert package.__all__, f"{name} re-exports nothing"
        for public in package.__all__:
            assert getattr(package, public) is not None, f"{name}.{public}"


def test_importing_a_package_loads_only_the_module_asked_for():
    """`from qualcode.text.corpus import …` must not load the importers and everything else."""
    import subprocess
    import sys

    probe = "import sys, qualcode.text.corpus; print(sorted(m for m in sys.modules if m.startswith('qualcode.text')))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "qualcode.text.importers" not in loaded
    assert "qualcode.text.search" not in loaded


def test_the_cli_writes_no_sql():
    sql = ("execute(", "SELECT ", "INSERT ", "UPDATE ", "DELETE FROM")
    offending = [
        f"{path.name}: {word}"
        for path in sorted((PACKAGE / "cli").glob("*.py"))
        for word in sql
        if word in path.read_text(encoding="utf-8")
    ]
    assert offending == []
