"""How much we read from a file or stream, and what we refuse to read at all.

An interview transcript is a few hundred kilobytes, a Word file with pictures a few megabytes.
Limits far above that keep a mistaken argument (a video, a disk image, /dev/zero, a FIFO that
never ends) from taking all memory or waiting for ever, and say plainly what was given.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from qualcode.errors import InvalidInput
from qualcode.output_paths import special_file_kind

MEGABYTE = 1024 * 1024
MAX_TRANSCRIPT_BYTES = 64 * MEGABYTE  # a transcript file, .docx included
MAX_TEXT_INPUT_BYTES = 8 * MEGABYTE  # a memo, definition or note from --file or stdin


def size_words(size: int) -> str:
    return f"{size / MEGABYTE:.0f} MB" if size >= MEGABYTE else f"{size:,} bytes"


def check_input_file(path: Path, limit: int, what: str = "file") -> int:
    """The size of a regular file we may read, or InvalidInput saying what it is instead."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(status.st_mode):
        raise InvalidInput(f"{path}: a folder, not a {what}")
    if not stat.S_ISREG(status.st_mode):
        raise InvalidInput(f"{path}: {special_file_kind(status.st_mode)}, not a {what}; give a regular file")
    if status.st_size > limit:
        raise InvalidInput(
            f"{path}: {size_words(status.st_size)} is more than a {what} can be ({size_words(limit)}); "
            "is it the right file?"
        )
    return status.st_size


def read_input_file(path: Path, limit: int, what: str = "file") -> bytes:
    check_input_file(path, limit, what)
    with open(path, "rb") as handle:
        return read_at_most(handle, limit, str(path), what)


def read_at_most(stream: BinaryIO, limit: int, name: str, what: str) -> bytes:
    """All of a stream, refusing one longer than `limit` without reading past it."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(f"{name}: more than {size_words(limit)}, more than a {what} can be; is it the right input?")
    return data
