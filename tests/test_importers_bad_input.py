"""Files the rules cannot read cleanly: every line a label. Caption files with broken cue times or
open voice tags are in test_importers_caption_speakers.py."""

from __future__ import annotations

from transcript_samples import write_sample

from qualcode.text.importers import parse_file


def test_a_file_whose_every_line_looks_like_a_label_is_read_as_paragraphs(tmp_path):
    path = write_sample(tmp_path, "labels.txt", "Alice:\nBob:\nAlice:\nBob:\n")
    parsed = parse_file(path)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (None, "Alice:"),
        (None, "Bob:"),
        (None, "Alice:"),
        (None, "Bob:"),
    ]
    assert parsed.warnings == [
        "most lines look like speaker labels with no words after them; read as paragraphs without speakers"
    ]
