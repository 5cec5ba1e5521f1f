"""Shell completion of names from the current project (codes, transcripts, analysts, themes …).

Completion must never fail loudly: with no project, or a broken one, it offers nothing.

Names here have spaces, commas and colons ("Rupture: withdrawal", "Technique as scaffolding,
not script") and memo targets are TYPE:NAME. Click's own bash and fish scripts lose such values
(bash splits words at ':' and inserts spaces unescaped; fish cuts a value at its first comma), so
qualcode registers its own bash and fish completion in their place, used through the same
`_QUALCODE_COMPLETE=bash_source` / `fish_source` lines.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    add_completion_class,
    split_arg_string,
)

if TYPE_CHECKING:
    from qualcode.completion_names import NameKind

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _names(ctx: click.Context, kind: NameKind) -> list[str]:
    # Imported here: this module loads with the `qualcode` command itself, and the store must
    # not slow down `qualcode --help`.
    from qualcode.completion_names import stored_names

    # A -p or -a given after the subcommand is kept in the shared meta (see cli/__init__.py).
    root = ctx.find_root().params
    project = ctx.meta.get("qualcode.project_option") or root.get("project")
    analyst = ctx.meta.get("qualcode.analyst_option") or root.get("analyst")
    return stored_names(project or os.environ.get("QUALCODE_PROJECT"), kind, analyst)


def _starting_with(names: list[str], incomplete: str) -> list[CompletionItem]:
    lowered = incomplete.lower()
    return [CompletionItem(name) for name in names if name.lower().startswith(lowered)]


def _completer(kind: NameKind) -> Completer:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return _starting_with(_names(ctx, kind), incomplete)

    return complete


complete_codes = _completer("codes")
complete_transcripts = _completer("transcripts")
complete_analysts = _completer("analysts")
complete_themes = _completer("themes")
complete_participants = _completer("participants")
complete_speakers = _completer("speakers")
complete_audit_entities = _completer("audit_entities")
complete_attributes = _completer("attribute_values")
complete_matrix_columns = _completer("matrix_columns")


def complete_memo_kinds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from qualcode.analysis.memos import MEMO_KINDS

    return _starting_with(list(MEMO_KINDS), incomplete)


def complete_memo_targets(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Every TYPE:NAME a memo can be about. The shell inserts what they have in common, so
    `--on co<TAB>` gives `code:` and a second <TAB> the codes. Coding ids only once asked for."""
    kind: NameKind = "coding_ids" if incomplete.lower().startswith("coding:") else "memo_targets"
    return _starting_with(_names(ctx, kind), incomplete)


# -- the shells ------------------------------------------------------------------------------

_BASH_SOURCE = """\
%(complete_func)s() {
    local IFS=$'\\n'
    local response completion type value
    # The line up to the cursor, and the part of the word readline will replace ($2: bash has
    # split it at ':' and '=' and dropped an opening quote); qualcode works out the rest.
    response=$(env COMP_LINE="${COMP_LINE:0:$COMP_POINT}" COMP_CUR="$2" %(complete_var)s=bash_complete $1)
    for completion in $response; do
        type="${completion%%%%,*}"
        value="${completion#*,}"
        if [[ $type == 'dir' ]]; then
            COMPREPLY=()
            compopt -o dirnames
        elif [[ $type == 'file' ]]; then
            COMPREPLY=()
            compopt -o default
        elif [[ $type == 'plain' ]]; then
            COMPREPLY+=("$value")
        fi
    done
    return 0
}

%(complete_func)s_setup() {
    complete -o nosort -F %(complete_func)s %(prog_name)s
}

%(complete_func)s_setup;
"""

# Outside quotes, everything but these is escaped with a backslash before bash inserts it.
_BASH_SAFE = re.compile(r"[\w@%+=:,./-]")


class QualcodeBashComplete(BashComplete):
    """Bash completion that reads the raw command line, so quotes, escaped spaces and the
    colon of TYPE:NAME work, and that escapes what it offers unless a quote is open."""

    source_template = _BASH_SOURCE

    quoted = False
    typed_before_word = 0

    def get_completion_args(self) -> tuple[list[str], str]:
        if "COMP_LINE" not in os.environ:  # a script sourced from click's own template
            self.typed_before_word, self.quoted = 0, True
            return super().get_completion_args()
        line = os.environ["COMP_LINE"]
        words = split_arg_string(line)
        if len(split_arg_string(line + "x")) > len(words):  # the cursor is past a space
            args, incomplete = words[1:], ""
        else:
            args, incomplete = words[1:-1], words[-1] if words else ""
        try:
            shlex.split(line)
            self.quoted = False
        except ValueError:
            self.quoted = True
        # Click completes an option's value after '=' ("--on=code:Re"); so does bash's word.
        value = incomplete.partition("=")[2] if incomplete[:1] == "-" and "=" in incomplete else incomplete
        cur = re.sub(r"\\(.)", r"\1", os.environ.get("COMP_CUR", value))
        self.typed_before_word = max(0, len(value) - len(cur))
        return args, incomplete

    def format_completion(self, item: CompletionItem) -> str:
        if item.type != "plain":
            return f"{item.type},{item.value}"
        value = str(item.value)[self.typed_before_word :]
        if not self.quoted:
            value = "".join(ch if _BASH_SAFE.match(ch) else "\\" + ch for ch in value)
        return f"plain,{value}"


class QualcodeFishComplete(FishComplete):
    """Fish completion that keeps values with commas whole (click's script splits at each one)."""

    source_template = FishComplete.source_template.replace(
        '(string split "," $completion)', '(string split -m 1 "," $completion)'
    )


add_completion_class(QualcodeBashComplete, "bash")
add_completion_class(QualcodeFishComplete, "fish")
