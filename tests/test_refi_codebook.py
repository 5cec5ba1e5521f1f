"""REFI-QDA codebooks (.qdc): merged into this codebook by name."""

from __future__ import annotations

from pathlib import Path

from qualcode.analysis.coding import add_code
from qualcode.exchange.refi.qdc import export_qdc, import_qdc
from qualcode.store import Project

SAMPLES = Path(__file__).parent / "data" / "refi"


def codebook(project: Project) -> list[dict]:
    return project.query(
        "SELECT c.name, p.name parent, c.description, c.inclusion, c.color FROM codes c LEFT JOIN codes p ON p.id = c.parent_id ORDER BY c.name"
    )


def test_a_shared_codebook_merges_by_name_and_reports_a_clash(project, tmp_path):
    add_code(project, "Maya", "Trust", description="Clients relying on the carer", color="#0072B2")
    add_code(project, "Maya", "Silence")
    theirs = Project.create(tmp_path / "theirs.qualcode", "Sam")
    add_code(theirs, "Sam", "Trust", description="Trust in institutions and the state", color="#D55E00")
    add_code(theirs, "Sam", "Silence", description="Pauses the participant leaves unfilled")
    add_code(theirs, "Sam", "Long pauses", parent="Silence", inclusion="five seconds or more")
    path, count = export_qdc(theirs, tmp_path / "theirs.qdc")
    assert count == 3
    outcome = import_qdc(project, path, "Maya")
    assert outcome.conflicts == [
        "code 'Trust': same name, different description in theirs.qdc; its codings go to the code here (use --rename-prefix to keep both)"
    ]
    assert codebook(project) == [
        {
            "name": "Long pauses",
            "parent": "Silence",
            "description": None,
            "inclusion": "five seconds or more",
            "color": "#009E73",
        },
        # an empty description here is filled in from the shared codebook
        {
            "name": "Silence",
            "parent": None,
            "description": "Pauses the participant leaves unfilled",
            "inclusion": None,
            "color": "#56B4E9",
        },
        {
            "name": "Trust",
            "parent": None,
            "description": "Clients relying on the carer",
            "inclusion": None,
            "color": "#0072B2",
        },
    ]
    again = import_qdc(project, path, "Maya")
    assert [r["added"] for r in again.rows()] == [0]


def test_a_taguette_codebook_with_an_empty_sets_element_is_read_with_a_warning(project, run):
    result = run("-p", "study", "import", "qdc", SAMPLES / "taguette_codebook.qdc")
    assert result.exit_code == 0
    assert "note: taguette_codebook.qdc was written by Taguette 1.4.1" in result.output
    assert (
        "warning: taguette_codebook.qdc departs from the REFI-QDA codebook schema in 1 place (read anyway)"
        in result.output
    )
    assert [c["name"] for c in codebook(project)] == ["Emotional labour", "interpretation", "time"]


def test_a_dry_run_changes_nothing(project, run):
    result = run("-p", "study", "import", "qdc", SAMPLES / "taguette_codebook.qdc", "--dry-run")
    assert result.output.startswith("Would bring in from taguette_codebook.qdc (dry run: nothing changed):\n")
    assert codebook(project) == []


def test_an_empty_codebook_is_not_exported(project, run):
    result = run("-p", "study", "export", "qdc")
    assert result.exit_code == 1
    assert result.output == "Error: the codebook is empty: add codes first (qualcode code add NAME)\n"


def test_a_qualcoder_codebook_with_a_byte_order_mark_keeps_its_categories(project):
    outcome = import_qdc(project, SAMPLES / "qualcoder_codebook.qdc", "Maya")
    assert "qualcoder_codebook.qdc was written by QualCoder" in outcome.notes
    assert codebook(project) == [
        {"name": "Motivation", "parent": None, "description": None, "inclusion": None, "color": "#A9F5A9"},
        {
            "name": "Relationships",
            "parent": None,
            "description": "People around the carer.",
            "inclusion": None,
            "color": None,  # the file gives this category no colour, and none is invented
        },
        {
            "name": "Trust",
            "parent": "Relationships",
            "description": "Clients relying on the carer.",
            "inclusion": None,
            "color": "#81BEF7",
        },
    ]


def test_an_atlas_ti_codebook_brings_its_codes_and_says_its_code_groups_stay_behind(project):
    outcome = import_qdc(project, SAMPLES / "atlas_ti_codebook.qdc", "Maya")
    assert [(c["name"], c["parent"]) for c in codebook(project)] == [
        ("Family care", None),
        ("Night care", "Family care"),
    ]
    assert outcome.warnings == ["skipped 1 set of codes (Care arrangements): a codebook brings in codes only"]


def test_an_nvivo_codebook_in_another_namespace_is_read_and_the_namespace_named(project):
    outcome = import_qdc(project, SAMPLES / "nvivo_mac_codebook.qdc", "Maya")
    assert [(c["name"], c["parent"]) for c in codebook(project)] == [("Coping", None), ("Humour", "Coping")]
    assert outcome.warnings == [
        (
            "nvivo_mac_codebook.qdc departs from the REFI-QDA codebook schema in 1 place (read anyway): "
            "line 1: its elements are in namespace 'urn:QDA-XML:codebook:1:0', not 'urn:QDA-XML:codebook:1.0'"
        )
    ]


def test_codes_that_share_a_name_under_different_parents_stay_apart(project, tmp_path):
    """MAXQDA and NVivo allow "Examples" under two parents; matched by name they would become one code."""
    path = tmp_path / "shared.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022"><Codes>'
        '<Code guid="00000000-0000-4000-8000-000000000001" name="Positive" isCodable="true">'
        '<Code guid="00000000-0000-4000-8000-000000000002" name="Examples" isCodable="true"/></Code>'
        '<Code guid="00000000-0000-4000-8000-000000000003" name="Negative" isCodable="true">'
        '<Code guid="00000000-0000-4000-8000-000000000004" name="examples" isCodable="true"><Description>Bad things.</Description></Code></Code>'
        '<Code guid="00000000-0000-4000-8000-000000000005" name="Examples" isCodable="true"/>'
        "</Codes></CodeBook>"
    )
    outcome = import_qdc(project, path, "Maya")
    assert [(c["name"], c["parent"], c["description"]) for c in codebook(project)] == [
        ("Examples", None, None),
        ("examples (Negative)", "Negative", "Bad things."),
        ("Examples (Positive)", "Positive", None),
        ("Negative", None, None),
        ("Positive", None, None),
    ]
    assert (
        "3 codes are named 'Examples': brought in as 'Examples (Positive)', 'examples (Negative)', 'Examples'"
        in outcome.notes
    )
