"""The names shell completion offers come from the library, read-only and without complaint."""

from __future__ import annotations

from qualcode.analysis.coding import add_code, merge_codes
from qualcode.completion_names import stored_names


def test_names_of_each_kind_come_from_the_project(project):
    add_code(project, "Maya", "Rupture")
    add_code(project, "Maya", "Repair")
    add_code(project, "Maya", "Ruptures")
    merge_codes(project, "Maya", "Ruptures", "Rupture")
    path = str(project.path)
    assert stored_names(path, "codes") == ["Repair", "Rupture"]
    assert stored_names(path, "analysts") == ["Maya"]
    assert stored_names(path, "memo_targets") == ["code:Repair", "code:Rupture"]
    assert stored_names(path, "themes") == []


def test_without_a_readable_project_there_are_no_names(tmp_path):
    assert stored_names(None, "codes") == []
    assert stored_names(str(tmp_path / "missing.qualcode"), "codes") == []
    damaged = tmp_path / "damaged.qualcode"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert stored_names(str(damaged), "codes") == []


def test_looking_names_up_leaves_the_file_as_it_was(project):
    add_code(project, "Maya", "Rupture")
    path = project.path
    project.close()
    before = path.read_bytes()
    assert stored_names(str(path), "codes") == ["Rupture"]
    assert path.read_bytes() == before
