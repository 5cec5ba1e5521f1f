"""Projects exported by other programs (samples in tests/data/refi, see make_samples.py there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import coded, write

from qualcode.errors import InvalidInput
from qualcode.exchange import incorporate
from qualcode.exchange.refi.qdpx import import_qdpx
from qualcode.text.ingest import import_transcripts

SAMPLES = Path(__file__).parent / "data" / "refi"


def attributes(project) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in project.query(
        "SELECT p.name, a.key, a.value FROM participant_attributes a JOIN participants p ON p.id = a.participant_id"
    ):
        found.setdefault(row["name"], {})[row["key"]] = row["value"]
    return found


def test_atlas_ti_counts_a_crlf_as_one_character(project):
    outcome = import_qdpx(project, SAMPLES / "atlas_ti.qdpx", "Maya")
    assert coded(project) == [
        ("Hannah Okafor", "Emotional labour", "Interview B03", "I smile at the families even when I am exhausted"),
        ("Hannah Okafor", "Emotional labour", "Source 2", "you are always running away"),
        ("Hannah Okafor", "Peer support", "Interview B03", "We cover for each other"),
        (
            "Lukas Brenner",
            "Emotional labour",
            "Interview B03",
            "I smile at the families even when I am exhausted, because they should not see it",
        ),
        ("Lukas Brenner", "Time pressure", "Interview B03", "so you run from the first minute"),
        ("Lukas Brenner", "Time pressure", "Source 2", "Eight minutes for washing, four for breakfast"),
    ]
    assert (
        "positions in 2 sources counted a CRLF line end as one character; converted to qualcode's positions"
        in outcome.notes
    )
    assert outcome.warnings == ["skipped 1 set (Workload): qualcode reads only sets named 'Theme: …' as themes"]
    assert project.query("SELECT name, color, description FROM codes WHERE name = 'Emotional labour'") == [
        {
            "name": "Emotional labour",
            "color": "#E64D4D",
            "description": "Managing one's feelings for residents and families.",
        }
    ]
    assert project.query("SELECT kind, target_type, body FROM memos") == [
        {
            "kind": "reflexive",
            "target_type": None,
            "body": "First impressions\n\nFamilies come up in every interview; emotional labour is done for them, not the residents.",
        }
    ]
    # The stored text has LF line ends, like every transcript qualcode keeps.
    assert "\r" not in project.query("SELECT group_concat(text) t FROM transcripts")[0]["t"]


def test_maxqda_with_a_byte_order_mark_crlf_counted_as_two_and_document_variables(project):
    outcome = import_qdpx(project, SAMPLES / "maxqda.qdpx", "Maya")
    assert coded(project) == [
        ("Dr. Ines Weber", "Division of care", "Interview (2)", "He pays, I do"),
        ("Dr. Ines Weber", "Formal help", "Interview", "The home care nurse came twice a week"),
        ("Dr. Ines Weber", "Night care", "Interview", "She called for my father every night"),
    ]
    assert "maxqda.qdpx names its project file Elder care study.qde, not project.qde: read that" in outcome.notes
    assert "departs from the REFI-QDA schema in 1 place (read anyway)" in outcome.warnings[0]
    assert attributes(project) == {"Interview": {"Age": "54", "Relationship": "daughter"}}
    assert project.query(
        "SELECT c.name FROM codes c JOIN codes p ON p.id = c.parent_id WHERE p.name = 'Family care' ORDER BY c.name"
    ) == [{"name": "Division of care"}, {"name": "Night care"}]
    assert project.query("SELECT kind, target_type, body FROM memos") == [
        {
            "kind": "familiarisation",
            "target_type": "transcript",
            "body": "On “I had taken the week off, but it was not enough”: Leave from work: compare with E02.",
        }
    ]
    assert not project.query("SELECT 1 FROM transcripts WHERE text LIKE '%' || char(65279) || '%'")


def test_nvivo_case_nodes_case_attributes_notes_and_what_cannot_come_in(project):
    outcome = import_qdpx(project, SAMPLES / "nvivo.qdpx", "Maya")
    assert coded(project) == [
        ("Sofia Marquez", "Being alone on shift", "Anna interview", "At night you are alone with twenty people"),
        ("Sofia Marquez", "Coping", "Anna interview", "I talk to my sister on the phone on the way home"),
    ]
    assert outcome.warnings == [
        "skipped a selection in 'Anna interview' at 342-372: outside the text (332 characters as the file counts them)",
        "skipped 1 coding that point to a code that does not exist",
    ]
    assert project.query(
        "SELECT t.name transcript, p.name participant FROM transcripts t JOIN participants p ON p.id = t.participant_id"
    ) == [{"transcript": "Anna interview", "participant": "Anna"}]
    assert attributes(project) == {"Anna": {"Age group": "30-39"}}
    assert [r["name"] for r in project.query("SELECT name FROM codes ORDER BY name")] == [
        "Being alone on shift",
        "Coping",
    ]
    assert project.query("SELECT kind, target_type, body FROM memos ORDER BY id") == [
        {
            "kind": "reflexive",
            "target_type": None,
            "body": "Night work memo\n\nNights are a different job, not the same job in the dark.",
        },
        {
            "kind": "familiarisation",
            "target_type": "transcript",
            "body": "On “That is my debrief”: Her sister as a debrief: informal supervision.",
        },
    ]


def test_positions_counted_in_utf16_units_are_converted(project):
    outcome = import_qdpx(project, SAMPLES / "utf16_positions.qdpx", "Maya")
    assert coded(project) == [
        ("Priya Nair", "Group chat", "P4", "Someone posts a 🙏 when they need cover"),
        ("Priya Nair", "Left alone", "P4", "Then you are on your own 😞 and you just carry on"),
    ]
    assert (
        "positions in 1 source counted UTF-16 units (an emoji as two characters); converted to qualcode's positions"
        in outcome.notes
    )


def test_a_source_given_only_as_docx_is_read_from_the_docx(project):
    outcome = import_qdpx(project, SAMPLES / "docx_only.qdpx", "Maya")
    assert coded(project) == [
        ("Tom Fischer", "Time with patients", "C2", "Ten minutes sitting is worth an hour of rushing")
    ]
    assert "'C2' has no plain text in the file: its text was taken from the .docx; check its codings" in outcome.notes
    turns = project.query("SELECT speaker FROM turns ORDER BY number")
    assert [t["speaker"] for t in turns] == [None, "Interviewer", "C2", "Interviewer", "C2"]


def test_a_transcript_with_the_same_name_but_other_text_stops_the_import(project, tmp_path, run):
    import_transcripts(
        project, [write(tmp_path / "P4.txt", "Interviewer: Hello?\nP4: A different interview altogether.\n")], "Maya"
    )
    result = run("-p", "study", "import", "qdpx", SAMPLES / "utf16_positions.qdpx")
    assert result.exit_code == 1
    assert result.output == (
        "Error: transcript 'P4' here and 'P4' in utf16_positions.qdpx share a name but not their text; "
        "bring it in as a separate transcript with --rename-prefix; nothing was brought in\n"
    )
    assert project.query("SELECT count(*) n FROM codes") == [{"n": 0}]
    renamed = run("-p", "study", "import", "qdpx", SAMPLES / "utf16_positions.qdpx", "--rename-prefix", "QDA Miner ")
    assert renamed.exit_code == 0
    assert sorted(r["name"] for r in project.query("SELECT name FROM transcripts")) == ["P4", "QDA Miner P4"]


def test_the_same_interview_imported_separately_is_matched_by_its_text(project, tmp_path):
    text = "Interviewer: How do you keep in touch with the team?\nP4: Mostly the group chat 😅 honestly. Someone posts a 🙏 when they need cover.\nInterviewer: Does that work?\nP4: It works until nobody answers. Then you are on your own 😞 and you just carry on.\n"
    import_transcripts(project, [write(tmp_path / "interview 4.txt", text)], "Maya")
    outcome = import_qdpx(project, SAMPLES / "utf16_positions.qdpx", "Maya")
    assert project.query("SELECT name FROM transcripts") == [{"name": "interview 4"}]
    assert "'P4' in utf16_positions.qdpx has the same text as 'interview 4' here: matched" in outcome.notes
    assert [c[3] for c in coded(project)] == [
        "Someone posts a 🙏 when they need cover",
        "Then you are on your own 😞 and you just carry on",
    ]


def test_a_failure_half_way_leaves_the_project_as_it_was(project, monkeypatch):
    audit_rows = project.query("SELECT count(*) n FROM audit_log")
    calls = []

    def failing_turns(change, transcript_id, laid_out):
        calls.append(transcript_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(incorporate, "insert_turns", failing_turns)
    with pytest.raises(RuntimeError):
        import_qdpx(project, SAMPLES / "atlas_ti.qdpx", "Maya")
    assert project.query(
        "SELECT (SELECT count(*) FROM transcripts) t, (SELECT count(*) FROM analysts) a, (SELECT count(*) FROM codes) c"
    ) == [{"t": 0, "a": 1, "c": 0}]
    assert project.query("SELECT count(*) n FROM audit_log") == audit_rows


def test_every_row_an_import_writes_is_audited_under_one_command(project):
    import_qdpx(project, SAMPLES / "maxqda.qdpx", "Maya")
    batches = project.query("SELECT DISTINCT batch, command FROM audit_log WHERE command = 'import qdpx'")
    assert len(batches) == 1
    audited = {
        r["entity"]: r["n"]
        for r in project.query(
            "SELECT entity, count(*) n FROM audit_log WHERE command = 'import qdpx' AND action = 'insert' GROUP BY entity"
        )
    }
    assert audited["codings"] == 3 and audited["transcripts"] == 2 and audited["codes"] == 4


def test_an_analyst_map_that_points_nowhere_is_refused_before_anything_is_written(project):
    with pytest.raises(InvalidInput, match="has no analyst or user named 'Ines'"):
        import_qdpx(project, SAMPLES / "maxqda.qdpx", "Maya", analyst_map={"Ines": "Ines Weber"})
    assert project.query("SELECT count(*) n FROM transcripts") == [{"n": 0}]


def test_pdf_text_audio_transcripts_and_paths_that_are_not_internal(project, tmp_path):
    import zipfile

    def g(n: int) -> str:
        return f"00000000-0000-4000-8000-{n:012d}"

    leaflet = "Waiting times\nMost clients wait six weeks for a first appointment.\n"
    start = leaflet.index("six weeks")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Mixed" origin="Some QDA 1.0">
  <CodeBook><Codes><Code guid="{g(1)}" name="Waiting" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <PDFSource guid="{g(2)}" name="Leaflet.pdf" path="internal://{g(2)}.pdf">
      <PDFSelection guid="{g(3)}" page="1" firstX="10" firstY="10" secondX="90" secondY="40"/>
      <Representation guid="{g(4)}" plainTextPath="relative:///leaflet text.txt">
        <PlainTextSelection guid="{g(5)}" startPosition="{start}" endPosition="{start + 9}"><Coding guid="{g(6)}"><CodeRef targetGUID="{g(1)}"/></Coding></PlainTextSelection>
      </Representation>
    </PDFSource>
    <AudioSource guid="{g(7)}" name="" path="absolute:///C:/data/focus group.m4a">
      <Transcript guid="{g(8)}" name="Focus group"><PlainTextContent>Speaker 1: We waited six weeks.
Speaker 2: Eight for us.</PlainTextContent><TranscriptSelection guid="{g(9)}"/></Transcript>
    </AudioSource>
    <PictureSource guid="{g(10)}" name="Waiting room" path="internal://{g(10)}.jpg"/>
  </Sources>
</Project>"""
    path = tmp_path / "mixed.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("leaflet text.txt", leaflet)
    outcome = import_qdpx(project, path, "Maya")
    assert coded(project) == [("Maya", "Waiting", "Leaflet", "six weeks")]
    assert sorted(r["name"] for r in project.query("SELECT name FROM transcripts")) == ["Focus group", "Leaflet"]
    assert outcome.warnings == [
        "skipped 1 area selection in PDFs (qualcode codes text only)",
        "skipped 1 picture source (qualcode holds text only)",
        "skipped 1 timed selection in audio/video transcripts",
    ]


def test_a_qualcoder_export_is_read_as_another_program_wrote_it(project):
    """origin="QualCoder 3.6" is not qualcode: its CRLF files and code-point positions need converting."""
    outcome = import_qdpx(project, SAMPLES / "qualcoder.qdpx", "Maya")
    assert coded(project) == [
        ("Amara", "Long nights", "Interview_Rosa", "I count the hours until six"),
        ("Amara", "Long nights", "Interview_Rosa", "Then I sleep all day"),
        ("Maya", "Working alone", "night_round", "Three nights a week, alone"),
    ]
    assert (
        "positions in 2 sources counted a CRLF line end as one character; converted to qualcode's positions"
        in outcome.notes
    )
    assert outcome.warnings[-1] == "skipped 1 selection of picture areas or recording times (qualcode codes text only)"
    assert "departs from the REFI-QDA schema in 1 place" in outcome.warnings[0]
    assert project.query(
        "SELECT c.name, p.name parent, c.description FROM codes c LEFT JOIN codes p ON p.id = c.parent_id ORDER BY c.id"
    ) == [
        {"name": "Working alone", "parent": None, "description": None},
        {"name": "Time", "parent": None, "description": "How the shift is organised."},
        {"name": "Long nights", "parent": "Time", "description": "The night as something to get through."},
    ]
    assert attributes(project) == {"Rosa": {"Interview mode": "phone"}}


def test_qualcoder_memos_annotations_and_journals(project):
    import_qdpx(project, SAMPLES / "qualcoder.qdpx", "Maya")
    memos = project.query(
        "SELECT a.name analyst, m.kind, m.target_type, m.body FROM memos m JOIN analysts a ON a.id = m.analyst_id ORDER BY m.id"
    )
    assert memos[:5] == [
        {
            "analyst": "Maya",
            "kind": "reflexive",
            "target_type": None,
            "body": "Case memo for Rosa:\n\nWorks for the private agency.",
        },
        {
            "analyst": "Amara",
            "kind": "familiarisation",
            "target_type": "transcript",
            "body": "Long pauses after the question about her children.",
        },
        {"analyst": "Amara", "kind": "coding", "target_type": "coding", "body": "Sleep as the only rest."},
        # creatingUser="" names nobody: the importing analyst is recorded; the byte-order mark is gone
        {
            "analyst": "Maya",
            "kind": "reflexive",
            "target_type": None,
            "body": "Coding meeting 1\n\nWe agreed to code the mornings after as well.",
        },
        {
            "analyst": "Amara",
            "kind": "familiarisation",
            "target_type": "transcript",
            "body": "On “the children make their own breakfast”: Said with pride.",
        },
    ]


def test_nvivo_attribute_names_lose_their_classification(project):
    outcome = import_qdpx(project, SAMPLES / "nvivo_classifications.qdpx", "Maya")
    assert attributes(project) == {"Kofi": {"Age group": "40-49", "Role": "care assistant"}}
    assert "attribute names were read without their NVivo classification (Person:)" in outcome.notes
    assert coded(project) == [("Maya", "Breaks", "Kofi", "Ten minutes of quiet")]


def test_a_maxqda_24_project_with_typed_document_variables_and_braced_guids(project):
    outcome = import_qdpx(project, SAMPLES / "maxqda24.qdpx", "Maya")
    assert coded(project) == [
        ("Jana", "Alleinsein", "B07", "Man ist allein"),
        ("Jana", "Nachtdienst", "B07", "Die Nächte sind das Schwerste"),
    ]
    assert attributes(project) == {
        "B07": {"Alter": "34", "Vollzeit": "true", "Interviewdatum": "2024-10-01", "Stunden": "37.5"}
    }
    assert outcome.warnings == [
        "skipped 1 set (Welle 1): qualcode reads only sets named 'Theme: …' as themes",
        "skipped 1 video source (qualcode holds text only)",
    ]
    assert sorted(r["name"] for r in project.query("SELECT name FROM transcripts")) == [
        "B07",
        "Nachtgespräch-Transkript",
    ]


def test_an_f4_project_keeps_memos_on_codes_codings_and_uncoded_passages(project):
    import_qdpx(project, SAMPLES / "f4.qdpx", "Maya")
    assert coded(project) == [("Maya", "Ankommen", "Interview 12", "Ich kannte niemanden im Team")]
    memos = project.query(
        "SELECT m.kind, m.target_type, coalesce(k.name, substr(t.text, c.start + 1, c.[end] - c.start), tt.name) target, m.body"
        " FROM memos m LEFT JOIN codes k ON m.target_type = 'code' AND k.id = m.target_id"
        " LEFT JOIN codings c ON m.target_type = 'coding' AND c.id = m.target_id LEFT JOIN transcripts t ON t.id = c.transcript_id"
        " LEFT JOIN transcripts tt ON m.target_type = 'transcript' AND tt.id = m.target_id ORDER BY m.id"
    )
    uncoded = "On “Heute bin ich die, die den Neuen alles zeigt”: "
    assert memos == [
        {
            "kind": "familiarisation",
            "target_type": "transcript",
            "target": "Interview 12",
            "body": uncoded + "Rollenwechsel: von der Neuen zur Anleiterin.",
        },
        {
            "kind": "code",
            "target_type": "code",
            "target": "Ankommen",
            "body": "Ankommen heißt auch Abschied vom alten Team.",
        },
        {
            "kind": "coding",
            "target_type": "coding",
            "target": "Ich kannte niemanden im Team",
            "body": "Niemanden kennen: das Team als Fremde.",
        },
        {
            "kind": "familiarisation",
            "target_type": "transcript",
            "target": "Interview 12",
            "body": uncoded + "Hier zeigt sich, wie schnell man selbst die Erfahrene wird.",
        },
    ]


def test_a_selection_that_ends_before_it_starts_is_reported_as_such(project, tmp_path):
    import zipfile

    text = "Interviewer: Good and bad?\nP1: The team is great. The pay is awful.\n"
    start, end = text.index("The pay"), text.index("The pay") + len("The pay is awful")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Some QDA 1.0">
  <CodeBook><Codes><Code guid="00000000-0000-4000-8000-000000000001" name="Pay" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="00000000-0000-4000-8000-000000000002" name="P1" plainTextPath="internal://p1.txt">
    <PlainTextSelection guid="00000000-0000-4000-8000-000000000003" startPosition="{end}" endPosition="{start}">
      <Coding guid="00000000-0000-4000-8000-000000000004"><CodeRef targetGUID="00000000-0000-4000-8000-000000000001"/></Coding>
    </PlainTextSelection>
  </TextSource></Sources>
</Project>"""
    path = tmp_path / "reversed.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/p1.txt", text)
    outcome = import_qdpx(project, path, "Maya")
    assert outcome.warnings == [f"skipped a selection in 'P1' at {end}-{start}: it ends where or before it starts"]
    assert coded(project) == []


def test_a_project_file_with_a_byte_order_mark_is_read(project, tmp_path):
    """Older QualCoder versions wrote project.qde as "utf-8-sig": a byte-order mark before <?xml."""
    import zipfile

    with zipfile.ZipFile(SAMPLES / "qualcoder.qdpx") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["project.qde"] = b"\xef\xbb\xbf" + members["project.qde"]
    path = tmp_path / "bom.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    import_qdpx(project, path, "Maya")
    assert [c[3] for c in coded(project)] == [
        "I count the hours until six",
        "Then I sleep all day",
        "Three nights a week, alone",
    ]
