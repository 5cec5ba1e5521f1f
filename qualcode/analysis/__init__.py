"""The analysis a researcher does in a project, phase by phase.

coding (the codebook and codings), memos and journal, phases (the six phases and their
checklists), themes with theme_quotes, theme_extracts and theme_overview, review (reviewing
themes against the data), retrieval (extracts, matrix, co-occurrence), session (coding turn by
turn), participants and analysts, status (a project's counts) and thematic_map (the map as a
graph, its snapshots; drawing it is exporters/' job). Every write goes through Project.change().
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "analysts": ["add_analyst", "list_analysts"],
        "coding": [
            "PALETTE",
            "HitPassage",
            "add_code",
            "apply_codes",
            "apply_to_passages",
            "check_codes",
            "delete_code",
            "describe_code",
            "get_active_code",
            "get_codable_code",
            "get_code",
            "insert_code",
            "insert_coding",
            "merge_codes",
            "move_code",
            "passages_for_hits",
            "remove_coding",
            "rename_code",
            "split_code",
        ],
        "journal": ["display_time", "journal_entries", "journal_markdown"],
        "memos": [
            "DEFAULT_KIND",
            "MEMO_KINDS",
            "TARGET_TYPES",
            "add_memo",
            "check_body",
            "check_kind",
            "check_may_change",
            "delete_memo",
            "edit_memo",
            "get_memo",
            "list_memos",
            "resolve_target",
        ],
        "participants": ["import_attributes", "parse_assignments", "participant_table", "set_attributes"],
        "phases": ["PHASES", "checklist", "phase_log", "phase_overview", "set_phase"],
        "retrieval": ["code_details", "code_tree", "cooccurrence", "extracts", "matrix"],
        "review": ["review_themes", "theme_overlaps"],
        "session": ["Command", "SessionState", "TurnCoding", "parse_command"],
        "status": ["project_status"],
        "thematic_map": [
            "build_graph",
            "default_map_path",
            "filter_graph",
            "full_graph",
            "list_snapshots",
            "map_text",
            "resolve_format",
            "take_snapshot",
            "write_map",
        ],
        "theme_extracts": ["participant_of_transcripts"],
        "theme_overview": ["flatten_tree", "theme_details", "theme_tree"],
        "theme_quotes": ["choose_quote", "remove_quote", "theme_quotes"],
        "themes": [
            "STATUSES",
            "add_theme",
            "all_themes",
            "assign_codes",
            "check_status",
            "define_theme",
            "get_theme",
            "link_themes",
            "merge_themes",
            "move_theme",
            "order_themes",
            "rename_theme",
            "set_theme_status",
            "theme_names",
            "unassign_codes",
            "unlink_themes",
            "with_subthemes",
        ],
    },
)
