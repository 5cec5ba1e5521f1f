"""Packages re-export their public names without importing every module up front.

`from qualcode.text import Location` should work, but importing `qualcode.text` for one module
must not load the importers, the search index code and the rest: every command would pay for it
at start-up. A package lists what it re-exports; a name's module is imported on first use
(PEP 562 module __getattr__).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """(__getattr__, __dir__, __all__) for `package`, which re-exports each name in
    exports[module] from package.module."""
    module_of = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in module_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module_of[name]}"), name)

    def __dir__() -> list[str]:
        return sorted(module_of)

    return __getattr__, __dir__, sorted(module_of)
