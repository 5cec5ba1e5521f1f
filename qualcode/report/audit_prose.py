"""What each command did, in a researcher's words, for the report's audit appendix: "Tom merged
codes ‘Stuckness’ and ‘Feeling stuck’", "Maya chose an extract for the theme ‘Repair’" — never the
names of the tables a command wrote to."""

from __future__ import annotations

# command -> (what was done, what its names are); the names follow in quotes when there are any
DONE = {
    "init": ("created the project", ""),
    "setting": ("changed a project setting", ""),
    "analyst add": ("added an analyst", ""),
    "transcript import": ("imported", "transcript"),
    "participant import": ("imported the attributes of", "participant"),
    "participant set": ("described", "participant"),
    "memo add": ("wrote a memo", ""),
    "memo edit": ("revised a memo", ""),
    "memo delete": ("deleted a memo", ""),
    "phase set": ("moved the analysis to another phase", ""),
    "code add": ("added", "code"),
    "code apply": ("coded passages with", "code"),
    "code remove": ("removed a coding of", "code"),
    "code describe": ("described", "code"),
    "code rename": ("renamed", "code"),
    "code move": ("moved", "code"),
    "code merge": ("merged", "code"),
    "code split": ("split", "code"),
    "code delete": ("deleted", "code"),
    "compare merge": ("merged two analysts' codings into a consensus", ""),
    "theme add": ("built", "theme"),
    "theme assign": ("assigned codes to", "theme"),
    "theme unassign": ("took codes out of", "theme"),
    "theme rename": ("renamed", "theme"),
    "theme move": ("moved", "theme"),
    "theme define": ("defined", "theme"),
    "theme status": ("changed the status of", "theme"),
    "theme order": ("reordered", "theme"),
    "theme link": ("linked", "theme"),
    "theme unlink": ("unlinked", "theme"),
    "theme merge": ("merged", "theme"),
    "theme quote": ("chose an extract for", "theme"),
    "theme quote remove": ("took a chosen extract out of", "theme"),
    "theme write": ("wrote the analysis of", "theme"),
    "theme write --clear": ("removed the analysis of", "theme"),
    "map snapshot": ("kept a snapshot of the thematic map", ""),
    "undo": ("undid a change", ""),
}


# What a command did when the trail names nothing it touched (a coding has no name of its own).
UNNAMED = {
    "code apply": "coded passages",
    "code remove": "removed codings",
    "theme assign": "assigned codes to themes",
    "theme unassign": "took codes out of themes",
    "theme quote": "chose extracts for themes",
    "theme quote remove": "took chosen extracts out of themes",
    "theme link": "linked themes",
    "theme unlink": "unlinked themes",
}
NAMES_NOT_SHOWN = {"init", "setting"}  # their names are the analyst's own, already at the start


def what_was_done(analyst: str | None, command: str, times: int, names: str | None, undone: bool) -> str:
    """One sentence for a run of one command: who, what, on which named things."""
    verb, kind = DONE.get(command, (f"made a change ({command})", ""))
    sentence = f"{analyst or 'Someone'} {verb}"
    if command in NAMES_NOT_SHOWN:
        names = None
    if kind and names:
        plural = "s" if "," in names or " and " in names else ""
        sentence += f" the {kind}{plural} {names}"
    elif kind:
        sentence = f"{analyst or 'Someone'} {UNNAMED.get(command, f'{verb} a {kind}')}"
    elif names:
        sentence += f" ({names})"
    if times > 1:
        sentence += f" (in {times} steps)"
    return sentence + (" — later undone" if undone else "")
