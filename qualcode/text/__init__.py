"""The text side: transcripts as stored text, and finding places in it.

normalise (the one stored form of text), matching (finding a typed phrase), transcripts (turns
laid out as text, the line index, locations to spans), search_query (what a search expression
means) and search (FTS5 over turns), units (a hit's sentence or turn, for coding), reading
(showing lines), corpus (loading stored transcripts), ingest (importing them), and importers/
(one module per input format). Keeping the corpus right: realign (carrying spans from one
version of a text to the next) and pseudonyms (a name map and its hits) are pure; rewrite
(new text for a stored transcript, its turns and codings), stored_turns (turn rows and the
search index), revisions (rename, delete, reassign) and pseudonymise touch the store, as do
corpus, ingest and search.
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
        "reading": ["past_the_end", "select_lines"],
        "search": ["Hit", "search"],
        "search_query": ["SearchQuery", "SearchSyntaxError", "parse_search"],
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
        "units": ["DEFAULT_UNIT", "UNITS", "check_unit", "sentence_span", "unit_span"],
    },
)
