"""Everything that crosses a file boundary with another copy of a project or another program.

refi/ reads and writes REFI-QDA files (.qdpx, .qdc), qualcoder reads QualCoder projects and
project_merge reads another qualcode project, folder/ writes and reads a project as a text tree
kept in git. All of them read into one bundle (bundle) and come
in through one set of match, add and conflict rules (incorporate and its incorporate_* parts,
incorporate_history for what only a project just created takes from a full copy);
guids, positions (other programs' character offsets) and turns (speaker turns recognised in
foreign text) serve them all.
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "incorporate": ["Outcome"],
        "positions": ["CODE_POINTS", "Convention", "Selection", "SourceText", "choose_conventions"],
        "project_merge": ["merge_project"],
        "qualcoder": ["import_qualcoder"],
        "turns": ["turns_in_place"],
    },
)
