"""The text side: transcripts as stored text, and finding places in it.

normalise (the one stored form of text), matching (finding a typed phrase), transcripts (turns
laid out as text, the line index, locations to spans), search (FTS5 over turns), reading
(showing lines), corpus (loading stored transcripts), ingest (importing them), and importers/
(one module per input format). Only corpus, ingest and search touch the store.
"""
