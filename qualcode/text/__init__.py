"""The text side: transcripts as stored text, and finding places in it.

normalise (the one stored form of text), matching (finding a typed phrase), transcripts (turns
laid out as text, the line index, locations to spans), search_query (what a search expression
means) and search (FTS5 over turns), units (a hit's sentence or turn, for coding), reading
(showing lines), corpus (loading stored transcripts), ingest (importing them), and importers/
(one module per input format). Only corpus, ingest and search touch the store.
"""
