"""The text side: transcripts as stored text, and finding places in it.

normalise (the one stored form of text), matching (finding a typed phrase), transcripts (turns
laid out as text, the line index, locations to spans), search (FTS5 over turns), reading
(showing lines), corpus (loading stored transcripts), ingest (importing them), and importers/
(one module per input format). Only corpus, ingest and search touch the store.
"""

from qualcode.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "corpus": ["StoredTranscript", "list_transcripts", "load_transcript", "load_transcript_by_id", "transcript_id"],
        "ingest": [
            "PSEUDONYM",
            "import_transcripts",
            "insert_turns",
            "remove_turns",
            "sha256_text",
            "transcript_files",
        ],
        "matching": ["EmptyPhrase", "find_phrase", "phrase_pattern"],
        "normalise": ["normalise"],
        "reading": ["select_lines"],
        "search": ["search"],
        "transcripts": [
            "LaidOut",
            "LineIndex",
            "Location",
            "Turn",
            "lay_out",
            "resolve_location",
            "spoken_words",
            "word_count",
        ],
    },
)
