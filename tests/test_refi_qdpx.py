"""REFI-QDA project export (.qdpx) and the round trip qualcode -> qdpx -> qualcode."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from helpers import write

from qualcode.agreement.levels import Span, compare_spans
from qualcode.analysis.analysts import add_analyst
from qualcode.analysis.coding import add_code, apply_codes
from qualcode.analysis.memos import add_memo
from qualcode.analysis.participants import set_attributes
from qualcode.analysis.theme_quotes import choose_quote
from qualcode.analysis.themes import add_theme, link_themes, set_theme_status
from qualcode.exchange.refi.qdpx import export_qdpx, import_qdpx
from qualcode.store import Project
from qualcode.text.ingest import import_transcripts
from qualcode.text.transcripts import Location

SCHEMAS = Path(__file__).resolve().parents[1] / "qualcode" / "exchange" / "refi" / "schemas"
P3 = """Interviewer: How did the first sessions feel?
P3: Honestly, I felt the trust was missing at first. 😬 She kept cancelling.
Interviewer: And later on?
P3: Later we repaired it, slowly, over weeks. Supervision helped me see my part in it.
"""
P5 = """Interviewer: What do you do when a client goes quiet?
P5: I wait. Silence is work too, and I have learnt not to fill it.
"""


@pytest.fixture
def study(project, tmp_path) -> Project:
    """Maya and Sam coded two interviews; codes, memos, a participant table and themes."""
    import_transcripts(project, [write(tmp_path / "P3.txt", P3), write(tmp_path / "P5.txt", P5)], "Maya")
    add_analyst(project, "Maya", "Sam")
    set_attributes(project, "Maya", "P3", {"years": "12", "orientation": "integrative"})
    set_attributes(project, "Maya", "P5", {"years": "3"})
    add_code(
        project,
        "Maya",
        "Trust",
        description="Talk of trust in the alliance",
        inclusion="explicit mentions",
        exclusion="trust in institutions",
    )
    add_code(project, "Maya", "Rupture and repair", parent="Trust", color="#CC79A7")
    add_code(project, "Maya", "Silence")
    apply_codes(project, "Maya", ["Trust"], "P3", locations=[Location(match="the trust was missing at first")])
    apply_codes(project, "Sam", ["Trust"], "P3", locations=[Location(match="I felt the trust was missing")])
    apply_codes(project, "Maya", ["Rupture and repair"], "P3", locations=[Location(match="we repaired it, slowly")])
    apply_codes(
        project,
        "Sam",
        ["Rupture and repair"],
        "P3",
        locations=[Location(match="Later we repaired it, slowly, over weeks")],
    )
    apply_codes(project, "Sam", ["Silence"], "P5", locations=[Location(match="Silence is work too")])
    add_memo(project, "Maya", "Emoji 😬 where she laughs nervously.", on="transcript:P3")
    add_memo(project, "Sam", "Trust keeps coming back to punctuality.", kind="code", on="code:Trust")
    add_memo(project, "Maya", "I notice I admire P5's patience.", kind="reflexive")
    add_theme(
        project,
        "Maya",
        "Earning trust",
        definition="How trust is built and rebuilt.",
        concept="Trust is work done together.",
        codes=["Trust"],
    )
    add_theme(project, "Maya", "Repair as practice", parent="Earning trust", codes=["Rupture and repair"])
    add_theme(project, "Maya", "Holding silence", codes=["Silence"])
    set_theme_status(project, "Maya", "Earning trust", "reviewed")
    link_themes(project, "Maya", "Holding silence", "Earning trust", label="makes room for")
    coding = project.query("SELECT id FROM codings WHERE start = ?", [P3.index("the trust was missing")])[0]["id"]
    choose_quote(project, "Maya", "Earning trust", coding)
    add_memo(project, "Sam", "Maybe this is two themes.", kind="theme", on="theme:Earning trust")
    return project


def qde_of(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde").decode("utf-8")


def schema_errors(xml: bytes, schema: str) -> list[str]:
    from lxml import etree

    checker = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    document = etree.fromstring(xml)
    return [] if checker.validate(document) else [str(e) for e in checker.error_log]


def test_the_packaged_schemas_are_the_unmodified_refi_files():
    expected = {
        "Project-mrt2019.xsd": "a2cc1ffb4ab1c07c51d6c78e69f2c9968458a9f0ad3b317ddde27f1e86f15a15",
        "Codebook-mrt2019.xsd": "62a941a02df90991fd9e18bd97c571b88e3c493a722ef1e45a7247f787849c75",
    }
    for name, digest in expected.items():
        data = (SCHEMAS / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        assert b"This specification is licensed under the MIT license." in data


def test_the_export_validates_against_the_project_schema(study, tmp_path):
    exported = export_qdpx(study, tmp_path / "out" / "study.qdpx")
    assert schema_errors(qde_of(exported.path).encode("utf-8"), "Project-mrt2019.xsd") == []


def test_sources_are_utf8_files_referenced_as_internal_guid_txt(study, tmp_path):
    path = export_qdpx(study, tmp_path / "study.qdpx").path
    guid = study.query("SELECT guid FROM transcripts WHERE name = 'P3'")[0]["guid"].upper()
    qde = qde_of(path)
    assert f'<TextSource guid="{guid}" name="P3" plainTextPath="internal://{guid}.txt"' in qde
    with zipfile.ZipFile(path) as archive:
        # each transcript's text, and each memo's (notes are read from files by QualCoder and others),
        # and nothing that project.qde does not name
        names = set(archive.namelist())
        wanted = study.query("SELECT guid FROM transcripts UNION SELECT guid FROM memos")
        assert {f"sources/{r['guid'].upper()}.txt" for r in wanted} <= names
        assert names - {"project.qde"} == {
            f"sources/{p}" for p in re.findall(r'plainTextPath="internal://([^"]+)"', qde)
        }
        memo = study.query("SELECT guid, body FROM memos WHERE kind = 'reflexive'")[0]
        assert archive.read(f"sources/{memo['guid'].upper()}.txt").decode("utf-8") == memo["body"]
        text = archive.read(f"sources/{guid}.txt").decode("utf-8")
    assert text == study.query("SELECT text FROM transcripts WHERE name = 'P3'")[0]["text"]


def test_selections_count_code_points_end_exclusive_and_name_their_analyst(study, tmp_path):
    path = export_qdpx(study, tmp_path / "study.qdpx").path
    qde = qde_of(path)
    sam = study.query("SELECT guid FROM analysts WHERE name = 'Sam'")[0]["guid"].upper()
    with zipfile.ZipFile(path) as archive:
        guid = study.query("SELECT guid FROM transcripts WHERE name = 'P3'")[0]["guid"].upper()
        text = archive.read(f"sources/{guid}.txt").decode("utf-8")
    selections = re.findall(r'startPosition="(\d+)" endPosition="(\d+)" creatingUser="([0-9A-F-]+)"', qde)
    covered = {(text[int(s) : int(e)], user == sam) for s, e, user in selections if int(e) <= len(text)}
    # after the emoji: code points, not UTF-16 units, or these words would be shifted by one
    assert ("Later we repaired it, slowly, over weeks", True) in covered
    assert ("the trust was missing at first", False) in covered


def test_every_guid_is_stable_across_exports(study, tmp_path):
    first = qde_of(export_qdpx(study, tmp_path / "one.qdpx").path)
    second = qde_of(export_qdpx(study, tmp_path / "two.qdpx").path)
    without_time = re.compile(r' creationDateTime="[^"]*"(?=>\n<Users>)')
    assert without_time.sub("", first) == without_time.sub("", second)
    stored = {
        r["guid"].upper()
        for r in study.query("SELECT guid FROM codings UNION SELECT guid FROM codes UNION SELECT guid FROM memos")
    }
    written = set(re.findall(r'guid="([0-9A-F-]{36})"', first))
    assert stored <= written


def test_participants_memos_and_themes_are_written_where_other_programs_look(study, tmp_path):
    qde = qde_of(export_qdpx(study, tmp_path / "study.qdpx").path)
    assert re.search(
        r'<Case guid="[0-9A-F-]+" name="P3"><VariableValue><VariableRef targetGUID="[0-9A-F-]+" /><TextValue>12</TextValue>',
        qde,
    )
    assert '<Variable guid="' in qde and 'name="orientation" typeOfVariable="Text" />' in qde
    assert re.search(
        r'<Note guid="[0-9A-F-]+" name="Familiarisation memo on P3 \(phase 1\)"[^>]*><PlainTextContent>Emoji 😬', qde
    )
    assert re.search(
        r'<Set guid="[0-9A-F-]+" name="Theme: Earning trust"><Description>How trust is built and rebuilt\.', qde
    )
    assert "Status: reviewed" in qde and "Status: candidate; subtheme of: Earning trust" in qde
    assert 'name="makes room for" direction="OneWay"' in qde


def test_the_round_trip_brings_back_the_same_study(study, tmp_path):
    path = export_qdpx(study, tmp_path / "study.qdpx").path
    copy = Project.create(tmp_path / "copy.qualcode", "Jo")
    outcome = import_qdpx(copy, path, "Jo")
    assert outcome.warnings == [] and outcome.conflicts == []

    def rows(project: Project, sql: str) -> list[tuple]:
        return sorted((tuple("" if v is None else v for v in r.values()) for r in project.query(sql)), key=repr)

    same = [
        "SELECT name, text, word_count FROM transcripts",  # words are counted the same way on both sides
        "SELECT c.name, c.description, c.inclusion, c.exclusion, c.color, p.name FROM codes c LEFT JOIN codes p ON p.id = c.parent_id",
        (
            "SELECT a.name, k.name, t.name, c.start, c.[end], c.guid FROM codings c JOIN analysts a ON a.id = c.analyst_id"
            " JOIN codes k ON k.id = c.code_id JOIN transcripts t ON t.id = c.transcript_id"
        ),
        "SELECT a.name, m.kind, m.phase, m.target_type, m.body, m.guid FROM memos m JOIN analysts a ON a.id = m.analyst_id",
        "SELECT p.name, a.key, a.value FROM participant_attributes a JOIN participants p ON p.id = a.participant_id",
        "SELECT t.name, p.name FROM transcripts t JOIN participants p ON p.id = t.participant_id",
        # position orders a theme among its siblings
        "SELECT t.name, t.definition, t.concept, t.status, t.position, p.name FROM themes t LEFT JOIN themes p ON p.id = t.parent_id",
        "SELECT t.name, k.name FROM theme_codes x JOIN themes t ON t.id = x.theme_id JOIN codes k ON k.id = x.code_id",
        "SELECT s.name, t.name, l.label FROM theme_links l JOIN themes s ON s.id = l.source_id JOIN themes t ON t.id = l.target_id",
        "SELECT t.name, c.guid FROM theme_quotes q JOIN themes t ON t.id = q.theme_id JOIN codings c ON c.id = q.coding_id",
    ]
    for sql in same:
        assert rows(copy, sql) == rows(study, sql), sql
    targets = "SELECT m.body, coalesce(t.name, k.name, h.name) FROM memos m LEFT JOIN transcripts t ON m.target_type = 'transcript' AND t.id = m.target_id LEFT JOIN codes k ON m.target_type = 'code' AND k.id = m.target_id LEFT JOIN themes h ON m.target_type = 'theme' AND h.id = m.target_id"
    assert rows(copy, targets) == rows(study, targets)


def test_importing_the_same_export_again_adds_nothing(study, tmp_path):
    path = export_qdpx(study, tmp_path / "study.qdpx").path
    copy = Project.create(tmp_path / "copy.qualcode", "Jo")
    import_qdpx(copy, path, "Jo")
    counts = copy.query(
        "SELECT (SELECT count(*) FROM codings) c, (SELECT count(*) FROM memos) m, (SELECT count(*) FROM codes) k"
    )
    again = import_qdpx(copy, path, "Jo")
    assert all(row["added"] == 0 for row in again.rows())
    assert (
        copy.query(
            "SELECT (SELECT count(*) FROM codings) c, (SELECT count(*) FROM memos) m, (SELECT count(*) FROM codes) k"
        )
        == counts
    )
    # and the study itself matches its own export completely
    assert all(row["added"] == 0 for row in import_qdpx(study, path, "Maya").rows())


def spans_by_analyst(project: Project, label: str) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = {}
    for row in project.query(
        "SELECT a.name analyst, t.name transcript, k.name code, c.start, c.[end] FROM codings c JOIN analysts a ON a.id = c.analyst_id"
        " JOIN transcripts t ON t.id = c.transcript_id JOIN codes k ON k.id = c.code_id"
    ):
        spans.setdefault(f"{row['analyst']} ({label})", []).append(
            Span(row["transcript"], row["code"], row["start"], row["end"])
        )
    return spans


def test_imported_codings_agree_perfectly_with_the_original_analysts(study, tmp_path):
    copy = Project.create(tmp_path / "copy.qualcode", "Jo")
    import_qdpx(copy, export_qdpx(study, tmp_path / "study.qdpx").path, "Jo")
    lengths = {r["name"]: r["char_count"] for r in study.query("SELECT name, char_count FROM transcripts")}
    original, imported = spans_by_analyst(study, "original"), spans_by_analyst(copy, "imported")
    for analyst in ("Maya", "Sam"):
        pair = {
            f"{analyst} (original)": original[f"{analyst} (original)"],
            f"{analyst} (imported)": imported[f"{analyst} (imported)"],
        }
        character = compare_spans(pair, lengths, "character").overall[0].coefficients
        assert character["percent_agreement"].value == 1.0
        assert character["cohen_kappa"].value == 1.0
        segment = compare_spans(pair, lengths, "segment", threshold=1.0).overall[0].coefficients
        assert segment["percent_agreement"].value == 1.0


def test_cli_export_and_import(study, run, tmp_path):
    result = run("-p", "study", "export", "qdpx", "--validate")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "wrote exports/study.qdpx",
        "2 transcripts, 3 codes, 5 codings, 4 memos, 2 participants, 3 themes; valid against the REFI-QDA schema",
        "note: inclusion and exclusion criteria: in each code's Description, as 'Inclusion: …' and 'Exclusion: …'",
        "note: when each code was created: in the Note named 'Code dates'",
        "note: each memo's kind and phase: in its Note's name, e.g. 'Reflexive memo (phase 2)'",
        "note: themes: Sets named 'Theme: NAME', their definition, concept and status in the Set's Description",
    ]
    run("init", "copy", "--analyst", "Jo")
    dry = run("-p", "copy", "import", "qdpx", "exports/study.qdpx", "--dry-run", "--json")
    assert dry.exit_code == 0
    assert '"dry_run": true' in dry.output and '"what": "codings",\n      "added": 5' in dry.output
    assert run("-p", "copy", "transcript", "list", "--json").output.strip() == "[]"
    done = run("-p", "copy", "import", "qdpx", "exports/study.qdpx")
    assert done.exit_code == 0 and "Brought in from study.qdpx" in done.output
    listed = run("-p", "copy", "transcript", "list", "--json").output
    assert '"name": "P3"' in listed and '"name": "P5"' in listed


def test_a_qdpx_is_not_written_to_standard_output(study, run, tmp_path):
    result = run("-p", "study", "export", "qdpx", "--out", "-")
    assert result.exit_code == 2
    assert (
        "a .qdpx is a zip archive, not text, so it cannot go to standard output: give --out a file name"
        in result.output
    )
    assert not (tmp_path / "-").exists()


def test_an_analyst_map_records_a_user_under_another_name(study, tmp_path):
    path = export_qdpx(study, tmp_path / "study.qdpx").path
    copy = Project.create(tmp_path / "copy.qualcode", "Jo")
    import_qdpx(copy, path, "Jo", analyst_map={"Sam": "Samuel"})
    assert copy.query(
        "SELECT a.name, count(*) n FROM codings c JOIN analysts a ON a.id = c.analyst_id GROUP BY a.name ORDER BY a.name"
    ) == [
        {"name": "Maya", "n": 2},
        {"name": "Samuel", "n": 3},
    ]


def test_an_analyst_map_naming_nobody_in_the_file_is_refused(study, tmp_path, run):
    export_qdpx(study, tmp_path / "study.qdpx")
    run("init", "copy", "--analyst", "Jo")
    result = run("-p", "copy", "import", "qdpx", tmp_path / "study.qdpx", "--analyst-map", "Sma=Sam")
    assert result.exit_code == 1
    assert result.output == "Error: study.qdpx has no analyst or user named 'Sma' (it has: Maya, Sam)\n"


def test_the_codebook_export_validates_and_prints_with_out_dash(study, run, tmp_path):
    result = run("-p", "study", "export", "qdc", "--out", "-", "--validate")
    assert result.exit_code == 0
    assert schema_errors(result.output.encode("utf-8"), "Codebook-mrt2019.xsd") == []
    assert (
        "<Description>Talk of trust in the alliance\n\nInclusion: explicit mentions\n\nExclusion: trust in institutions</Description>"
        in result.output
    )
    written = run("-p", "study", "export", "qdc")
    assert written.output == "wrote exports/study.qdc\n3 codes\n"
