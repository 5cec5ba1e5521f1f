"""The folder form of a project: a deterministic, line-oriented text tree a team can keep in git
(`qualcode export folder DIR`, `qualcode import folder DIR`). layout names the files and their
fields, write writes a project as a tree, read checks a tree and reads it into a Bundle."""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "read": ["import_folder", "read_folder"],
        "write": ["export_folder"],
    },
)
