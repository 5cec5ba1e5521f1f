"""Settings for reading and writing a whole project at once (200,000 codings and more).

Python's cyclic garbage collector runs after every few hundred new objects and then walks all
the objects still alive; building a bundle of hundreds of thousands of selections and codings,
it walked them again and again, a quarter of an import's time. Nothing a reader or the writer
builds refers back to itself in a cycle, so reference counting frees it all; the collector is
paused while they run and resumed after.

SQLite keeps 2 MB of pages in memory by default. Inserting 200,000 codings updates four indexes
(one keyed by random GUIDs), and with so few pages cached each insert rereads pages it has just
written; a larger cache for the one transaction of a bulk write saves that.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

BULK_CACHE_KIB = 64 * 1024


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def large_page_cache(conn: sqlite3.Connection) -> Iterator[None]:
    (previous,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(previous)}")
