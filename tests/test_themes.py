"""Building themes from codes: the tree and its counts, assignment, moves, merges, links, order,
definitions, status, quotes and the audit trail, with the bad input the issue names."""

from __future__ import annotations

import json

import pytest
from helpers import squash, write
from rich.cells import cell_len

from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.theme_overview import flatten_tree, theme_details, theme_tree
from qualcode.analysis.theme_quotes import choose_quote, remove_quote, theme_quotes
from qualcode.analysis.themes import (
    add_theme,
    assign_codes,
    define_theme,
    get_theme,
    link_themes,
    merge_themes,
    move_theme,
    order_themes,
    set_theme_status,
    unassign_codes,
)
from qualcode.errors import InvalidInput, NotFound
from qualcode.history import undo
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

P1 = """Interviewer: What was your first year of practice like?
P1: I felt anxious before every session. I kept rereading my notes in the car.
Interviewer: What helped?
P1: Supervision helped me stay calm. My supervisor said it was fine not to know yet.
"""
P2 = """Interviewer: What was your first year of practice like?
P2: Honestly I was frightened of the clients' distress. When a client cried I froze.
Interviewer: Did anything help?
P2: Talking it through in supervision. I learned that not knowing is part of the work.
"""
P3 = """Interviewer: Tell me about a hard session.
P3: A client shouted at me and I wanted to fix it straight away. Afterwards I felt useless.
"""


def code(project, analyst, names, transcript, phrase):
    return apply_codes(project, analyst, names, transcript, locations=[Location(match=phrase)])


@pytest.fixture
def study(tmp_path, project):
    """Three interviews, two analysts, five codes and a small candidate theme structure."""
    paths = [write(tmp_path / f"{name}.txt", text) for name, text in (("P1", P1), ("P2", P2), ("P3", P3))]
    import_transcripts(project, paths, "Maya")
    add_analyst(project, "Maya", "Tom")
    for name in ("Anxiety", "Client distress", "Supervisor support", "Not knowing", "Fixing"):
        add_code(project, "Maya", name)
    code(project, "Maya", ["Anxiety"], "P1", "I felt anxious before every session.")
    code(project, "Tom", ["Anxiety"], "P1", "I felt anxious before every session.")  # same passage, second analyst
    code(project, "Maya", ["Anxiety", "Client distress"], "P2", "I was frightened of the clients' distress.")
    code(project, "Maya", ["Client distress"], "P2", "When a client cried I froze.")
    code(project, "Maya", ["Supervisor support"], "P1", "Supervision helped me stay calm.")
    code(project, "Maya", ["Supervisor support"], "P2", "Talking it through in supervision.")
    code(project, "Maya", ["Not knowing"], "P1", "My supervisor said it was fine not to know yet.")
    code(project, "Maya", ["Fixing"], "P3", "I wanted to fix it straight away.")
    add_theme(project, "Maya", "Anxiety in the room", codes=["Anxiety", "Client distress"])
    add_theme(project, "Maya", "Supervision as holding", codes=["Supervisor support"])
    add_theme(project, "Maya", "Permission not to know", parent="Supervision as holding", codes=["Not knowing"])
    return project


def themes_count(project) -> int:
    return project.db.execute("SELECT count(*) FROM themes").fetchone()[0]


def test_tree_counts_distinct_passages_with_subthemes(study):
    anxiety, supervision = theme_tree(study)
    # P1's passage coded by Maya and Tom counts once; P2's passage with both codes counts once.
    assert (anxiety["extracts"], anxiety["codings"], anxiety["transcripts"], anxiety["participants"]) == (3, 5, 2, 2)
    assert anxiety["codes"] == ["Anxiety", "Client distress"]
    assert supervision["subthemes"][0]["name"] == "Permission not to know"
    assert supervision["subthemes"][0]["extracts"] == 1
    # The theme counts its subtheme's extracts too: two support passages and the not-knowing one.
    assert (supervision["extracts"], supervision["participants"]) == (3, 2)
    tom_only = theme_tree(study, coded_by="Tom")
    assert tom_only[0]["extracts"] == 1 and tom_only[1]["extracts"] == 0


def test_theme_names_are_unique_ignoring_case(study):
    before = themes_count(study)
    with pytest.raises(InvalidInput, match="already exists"):
        add_theme(study, "Maya", "anxiety IN the room")
    with pytest.raises(InvalidInput, match="not a usable theme name"):
        add_theme(study, "Maya", "  ?! ")
    assert themes_count(study) == before


def test_assigning_an_unknown_code_suggests_names_and_changes_nothing(study):
    links_before = study.db.execute("SELECT count(*) FROM theme_codes").fetchone()[0]
    with pytest.raises(NotFound, match="unknown code 'Anxeity'; did you mean 'Anxiety'"):
        assign_codes(study, "Maya", ["Fixing", "Anxeity"], "Supervision as holding")
    with pytest.raises(NotFound, match="unknown theme 'Supervison as holding'; did you mean 'Supervision as holding'"):
        assign_codes(study, "Maya", ["Fixing"], "Supervison as holding")
    assert study.db.execute("SELECT count(*) FROM theme_codes").fetchone()[0] == links_before


def test_a_code_may_belong_to_several_themes_and_unassign_takes_it_out(study):
    assert assign_codes(study, "Maya", ["Anxiety", "Supervisor support"], "Supervision as holding") == ["Anxiety"]
    details = theme_details(study, "Supervision as holding")
    assert [c["name"] for c in details["codes"]] == ["Anxiety", "Supervisor support", "Not knowing"]
    assert details["codes"][2]["via"] == "Permission not to know"
    assert unassign_codes(study, "Maya", ["Anxiety"], "Supervision as holding") == ["Anxiety"]
    with pytest.raises(InvalidInput, match="code 'Fixing' is not in theme 'Anxiety in the room'"):
        unassign_codes(study, "Maya", ["Anxiety", "Fixing"], "Anxiety in the room")
    assert theme_tree(study)[0]["codes"] == ["Anxiety", "Client distress"]  # nothing changed


def test_a_theme_cannot_become_its_own_ancestor(study):
    add_theme(study, "Maya", "Being contained", parent="Permission not to know")
    for parent in ("Permission not to know", "Being contained", "Supervision as holding"):
        with pytest.raises(InvalidInput, match="cannot become its own ancestor"):
            move_theme(study, "Maya", "Supervision as holding", parent)
    assert get_theme(study, "Supervision as holding").parent_id is None
    move_theme(study, "Maya", "Being contained", "Supervision as holding")
    move_theme(study, "Maya", "Permission not to know", None)
    names = [(row["name"], row["depth"]) for row in flatten_tree(theme_tree(study))]
    assert names == [
        ("Anxiety in the room", 0),
        ("Supervision as holding", 0),
        ("Being contained", 1),
        ("Permission not to know", 0),
    ]


def test_links_refuse_self_and_relabel(study):
    with pytest.raises(InvalidInput, match="cannot be linked to itself"):
        link_themes(study, "Maya", "Anxiety in the room", "anxiety in the room", "feeds")
    link_themes(study, "Maya", "Supervision as holding", "Anxiety in the room", "contains")
    link_themes(study, "Maya", "Supervision as holding", "Anxiety in the room", "soothes")
    assert study.query("SELECT label FROM theme_links") == [{"label": "soothes"}]
    links = theme_details(study, "Anxiety in the room")["links"]
    assert links == [{"direction": "from", "theme": "Supervision as holding", "label": "soothes"}]


def test_merge_moves_codes_subthemes_links_quotes_and_memos(study):
    add_theme(study, "Maya", "Fear", codes=["Anxiety", "Fixing"])
    add_theme(study, "Maya", "Freezing", parent="Fear")
    link_themes(study, "Maya", "Fear", "Supervision as holding", "is eased by")
    link_themes(study, "Maya", "Anxiety in the room", "Fear", "overlaps")  # becomes a self-link: dropped
    fixing_coding = study.query("SELECT c.id FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.name = 'Fixing'")[
        0
    ]["id"]
    choose_quote(study, "Maya", "Fear", fixing_coding)
    memo_id = add_memo(study, "Maya", "Fear may just be anxiety seen from outside.", on="theme:Fear")

    moved = merge_themes(study, "Maya", "Fear", "Anxiety in the room")

    assert moved == {"codes": 1, "subthemes": 1, "links": 1, "quotes": 1, "memos": 1}
    with pytest.raises(NotFound):
        get_theme(study, "Fear")
    details = theme_details(study, "Anxiety in the room")
    assert [c["name"] for c in details["codes"]] == ["Anxiety", "Client distress", "Fixing"]
    assert [s["name"] for s in details["subthemes"]] == ["Freezing"]
    assert details["links"] == [{"direction": "to", "theme": "Supervision as holding", "label": "is eased by"}]
    assert [q["text"] for q in details["quotes"]] == ["I wanted to fix it straight away."]
    assert [m["id"] for m in details["memos"]] == [memo_id]
    merged = study.query("SELECT action, entity FROM audit_log WHERE command = 'theme merge'")
    assert {"action": "delete", "entity": "themes"} in merged
    assert {"action": "delete", "entity": "theme_links"} in merged

    undo(study, "Maya")  # the audit trail holds everything needed to take the merge back
    restored = theme_details(study, "Fear")
    assert [c["name"] for c in restored["codes"]] == ["Anxiety", "Fixing"]
    assert [s["name"] for s in restored["subthemes"]] == ["Freezing"]
    assert [q["coding_id"] for q in restored["quotes"]] == [fixing_coding]
    assert [m["id"] for m in restored["memos"]] == [memo_id]


def test_merge_into_own_subtheme_is_refused(study):
    with pytest.raises(InvalidInput, match="into its own subtheme"):
        merge_themes(study, "Maya", "Supervision as holding", "Permission not to know")
    with pytest.raises(InvalidInput, match="into itself"):
        merge_themes(study, "Maya", "Supervision as holding", "supervision as holding")
    assert themes_count(study) == 3


def test_order_puts_named_themes_first_among_their_siblings(study):
    add_theme(study, "Maya", "Learning the craft")
    order_themes(study, "Maya", ["Learning the craft", "Anxiety in the room"])
    assert [t["name"] for t in theme_tree(study)] == [
        "Learning the craft",
        "Anxiety in the room",
        "Supervision as holding",
    ]
    with pytest.raises(InvalidInput, match="named twice"):
        order_themes(study, "Maya", ["Learning the craft", "learning the craft"])


def test_discarded_themes_stay_visible_with_all(study, run):
    set_theme_status(study, "Maya", "Anxiety in the room", "discarded")
    assert [t["name"] for t in theme_tree(study)] == ["Supervision as holding"]
    assert next(t["name"] for t in theme_tree(study, include_discarded=True)) == "Anxiety in the room"
    listed = squash(run("theme", "list").output)
    assert "Anxiety in the room" not in listed and "Supervision as holding" in listed
    everything = squash(run("theme", "list", "--all").output)
    assert "Anxiety in the room discarded 3 2 2/3" in everything
    with pytest.raises(InvalidInput, match="did you mean 'reviewed'"):
        set_theme_status(study, "Maya", "Supervision as holding", "reviwed")
    set_theme_status(study, "Maya", "Supervision as holding", "discarded")
    assert run("theme", "list").output == "no themes in play: `qualcode theme list --all` shows the discarded ones\n"


def test_quotes_must_come_from_the_theme_or_its_subthemes(study):
    not_knowing = study.query(
        "SELECT c.id FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.name = 'Not knowing'"
    )[0]["id"]
    fixing = study.query("SELECT c.id FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.name = 'Fixing'")[0]["id"]
    quote = choose_quote(study, "Maya", "Supervision as holding", not_knowing)
    assert (quote["text"], quote["participant"], quote["speaker"], quote["code"]) == (
        "My supervisor said it was fine not to know yet.",
        "P1",
        "P1",
        "Not knowing",
    )
    with pytest.raises(InvalidInput, match="coded 'Fixing', which is not in theme 'Supervision as holding'"):
        choose_quote(study, "Maya", "Supervision as holding", fixing)
    with pytest.raises(InvalidInput, match="already a chosen quote"):
        choose_quote(study, "Maya", "Supervision as holding", not_knowing)
    with pytest.raises(NotFound, match="no coding 999"):
        choose_quote(study, "Maya", "Supervision as holding", 999)
    assert [q["coding_id"] for q in theme_quotes(study, "Supervision as holding")] == [not_knowing]
    remove_quote(study, "Maya", "Supervision as holding", not_knowing)
    assert theme_quotes(study, "Supervision as holding") == []
    with pytest.raises(NotFound, match="not a chosen quote"):
        remove_quote(study, "Maya", "Supervision as holding", not_knowing)


def test_define_from_argument_stdin_and_file(study, run, tmp_path):
    run("theme", "define", "Anxiety in the room", "How anxiety arises between therapist and client")
    run("theme", "define", "Anxiety in the room", "--concept", "Anxiety belongs to the relationship")
    assert get_theme(study, "Anxiety in the room").definition == "How anxiety arises between therapist and client"
    assert get_theme(study, "Anxiety in the room").concept == "Anxiety belongs to the relationship"
    run("theme", "define", "Supervision as holding", "-", input="Supervision contains the trainee's anxiety.\n")
    assert get_theme(study, "Supervision as holding").definition == "Supervision contains the trainee's anxiety."
    write(tmp_path / "def.md", "Being allowed not to know yet.\n")
    run("theme", "define", "Permission not to know", "--file", "def.md")
    assert get_theme(study, "Permission not to know").definition == "Being allowed not to know yet."
    with pytest.raises(InvalidInput, match="nothing to change"):
        define_theme(study, "Maya", "Anxiety in the room")


def test_show_prints_definition_codes_memos_quotes_and_sample(study, run):
    add_memo(study, "Maya", "Is this about the trainee or the client?", on="theme:Anxiety in the room")
    define_theme(study, "Maya", "Anxiety in the room", "How anxiety arises in the room", "Anxiety is shared")
    distress = study.query(
        "SELECT c.id FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.name = 'Client distress'"
        " AND c.start = (SELECT min(start) FROM codings WHERE code_id = k.id)"
    )[0]["id"]
    run("theme", "quote", "Anxiety in the room", str(distress))
    out = squash(run("theme", "show", "Anxiety in the room").output)
    assert "Anxiety in the room (candidate)" in out
    assert "3 extracts (5 codings) from 2 transcripts, 2/3 participants" in out
    assert "How anxiety arises in the room" in out and "Anxiety is shared" in out
    assert "Is this about the trainee or the client?" in out
    chosen = out.split("Chosen quotes")[1].split("Sample extracts")[0]
    assert "I was frightened of the clients' distress." in chosen
    sample = out.split("Sample extracts")[1]
    for text in ("I felt anxious before every session.", "When a client cried I froze."):
        assert text in sample
    data = json.loads(run("theme", "show", "Anxiety in the room", "--json").output)
    assert [q["coding_id"] for q in data["quotes"]] == [distress]
    assert data["participants_total"] == 3


def test_cli_reports_bad_input_in_one_line(study, run):
    result = run("theme", "assign", "Anxeity", "--to", "Anxiety in the room")
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert "did you mean 'Anxiety'" in result.output
    result = run("theme", "move", "Supervision as holding", "--under", "Permission not to know")
    assert result.exit_code == 1 and "own ancestor" in result.output
    result = run("theme", "link", "Anxiety in the room", "Anxiety in the room", "--label", "feeds")
    assert result.exit_code == 1 and "itself" in result.output
    result = run("theme", "quote", "Anxiety in the room", "12345")
    assert result.exit_code == 1 and "no coding 12345" in result.output


def test_every_change_is_audited_and_can_be_undone(study, run):
    run("theme", "rename", "Anxiety in the room", "Anxiety as co-created")
    run("theme", "link", "Supervision as holding", "Anxiety as co-created", "--label", "contains")
    run("theme", "status", "Anxiety as co-created", "reviewed")
    commands = [r["command"] for r in study.query("SELECT DISTINCT command FROM audit_log WHERE command LIKE 'theme%'")]
    assert {"theme add", "theme rename", "theme link", "theme status"} <= set(commands)
    assert run("undo").exit_code == 0
    assert get_theme(study, "Anxiety as co-created").status == "candidate"


def test_list_json_is_the_nested_tree(study, run):
    data = json.loads(run("theme", "list", "--json").output)
    assert [t["name"] for t in data] == ["Anxiety in the room", "Supervision as holding"]
    assert data[1]["subthemes"][0]["codes"] == ["Not knowing"]
    lines = squash(run("theme", "list").output).splitlines()
    row = next(i for i, line in enumerate(lines) if "└ Permission" in line)
    assert lines[row].endswith("└ Permission not to know candidate 1 1 1/3")
    assert lines[row + 1] == " codes: Not knowing"


def test_list_fits_80_columns_with_codes_under_each_theme(study, run):
    long_name = "Learning to not know: how supervision and peers make uncertainty bearable in the first year"
    add_theme(study, "Maya", long_name, parent="Supervision as holding", codes=["Fixing", "Not knowing"])
    add_theme(study, "Maya", "Ängste im Körper – 身体の不安")
    output = run("theme", "list", env={"COLUMNS": "80"}).output
    lines = output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # Figures sit on the first line of each name; the name wraps under itself, the codes below.
    start = next(i for i, line in enumerate(lines) if "Learning to not know" in line)
    assert squash(lines[start]).endswith("candidate 2 2 2/3")
    assert lines[start].startswith("  └ Learning to not know")
    codes = next(i for i in range(start, len(lines)) if "codes:" in lines[i])
    wrapped = lines[start + 1 : codes]
    assert wrapped and all(line.startswith("    ") and line[4] != " " and "candidate" not in line for line in wrapped)
    assert " ".join(squash(line).strip() for line in wrapped).endswith("in the first year")
    assert lines[codes] == "      codes: Fixing · Not knowing"
    top = next(i for i, line in enumerate(lines) if line.startswith("Anxiety in the room"))
    assert squash(lines[top]) == "Anxiety in the room candidate 3 2 2/3"
    assert squash(lines[top + 1]) == " codes: Anxiety · Client distress"
    # A theme built only from its subthemes' codes has no codes line; an empty theme says so.
    holding = next(i for i, line in enumerate(lines) if line.startswith("Supervision as holding"))
    assert lines[holding + 1] == "  codes: Supervisor support"
    add_theme(study, "Maya", "Built from subthemes")
    add_theme(study, "Maya", "Its only subtheme", parent="Built from subthemes", codes=["Fixing"])
    lines = run("theme", "list", env={"COLUMNS": "80"}).output.splitlines()
    built = next(i for i, line in enumerate(lines) if line.startswith("Built from subthemes"))
    assert "└ Its only subtheme" in lines[built + 1]
    empty = next(i for i, line in enumerate(lines) if line.startswith("Ängste im Körper"))
    assert squash(lines[empty]) == "Ängste im Körper – 身体の不安 candidate 0 0 0/3"
    assert lines[empty + 1].strip() == "no codes yet"


def test_names_that_look_like_markup_print_as_typed(study, run):
    run("theme", "rename", "Anxiety in the room", "[draft] Anxiety")
    out = run("theme", "show", "[draft] Anxiety").output
    assert out.startswith("[draft] Anxiety (candidate)")
    assert "Theme: [draft] Anxiety (candidate)" in run("theme", "review").output


def test_messages_name_themes_as_stored(study, run):
    # Names match ignoring case and spacing; what is printed is the theme's own name.
    assert (
        run("theme", "status", "supervision  AS holding", "reviewed").output
        == "'Supervision as holding' is now reviewed\n"
    )
    assert (
        run("theme", "move", "permission not to know", "--top").output
        == "moved 'Permission not to know' to the top level\n"
    )
    linked = run("theme", "link", "ANXIETY IN THE ROOM", "permission not to know", "--label", "eases")
    assert linked.output == "linked 'Anxiety in the room' → 'Permission not to know' (eases)\n"
    merged = run("theme", "merge", "permission NOT to know", "supervision as holding")
    assert merged.output == "merged 'Permission not to know' into 'Supervision as holding': moved 1 code, 1 link\n"


def test_define_in_the_editor_sets_definition_and_concept_together(run, monkeypatch, tmp_path):
    import click as click_module

    run("init", "t", "--analyst", "Maya")
    run("theme", "add", "Anxiety as co-created")

    def fake_edit(template):
        return template.replace(
            "\n\n# ----- the central organising concept",
            "Anxiety arises between therapist and client.\n\n# ----- the central organising concept",
            1,
        ).replace("-----\n\n\n#", "-----\nAnxiety belongs to the relationship.\n\n#", 1)

    monkeypatch.setattr(click_module, "edit", fake_edit)
    result = run("-p", "t", "theme", "define", "Anxiety as co-created")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("-p", "t", "theme", "show", "Anxiety as co-created", "--json").output)
    assert shown["definition"] == "Anxiety arises between therapist and client."
    assert shown["concept"] == "Anxiety belongs to the relationship."
