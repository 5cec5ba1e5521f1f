"""Never overwrite what is not ours to overwrite: the checks every file we write passes first.

A typo in --out must not destroy a study. So an SQLite database (the open project or any other,
with its -wal/-shm/-journal companions) and special files (devices, FIFOs, sockets) are never
replaced, and an existing file of another kind than the one being written (a Word document where
a CSV would go) is replaced only when the user said --force (`replacing_allowed`).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

from qualcode.errors import InvalidInput

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

_replacing_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("replacing_allowed", default=False)


@contextlib.contextmanager
def replacing_allowed(allowed: bool = True) -> Iterator[None]:
    """Within this block an existing file of another kind may be replaced (the user's --force).
    Databases and special files stay protected all the same."""
    token = _replacing_allowed.set(allowed)
    try:
        yield
    finally:
        _replacing_allowed.reset(token)


def allow_replacing() -> contextvars.Token[bool]:
    """Like `replacing_allowed`, for a caller that resets the token itself (a command's --force)."""
    return _replacing_allowed.set(True)


def stop_replacing(token: contextvars.Token[bool]) -> None:
    _replacing_allowed.reset(token)


def is_sqlite_database(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def refuse_unsafe_target(path: Path) -> None:
    """Refuse, before any work is done, a target that must never be replaced."""
    if str(path) == "":
        raise InvalidInput("--out is empty: give a file name, or leave --out out for the default path")
    for companion in SQLITE_COMPANIONS:
        if path.name.endswith(companion):
            database = path.with_name(path.name[: -len(companion)])
            if is_sqlite_database(database):
                raise InvalidInput(
                    f"refusing to write {path}: it belongs to the SQLite database {database.name} "
                    "(choose another --out)"
                )
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return  # write_atomically says what blocks the path
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror or error} (choose another --out)") from None
    if stat.S_ISDIR(status.st_mode):
        return  # write_atomically says it is a folder
    if not stat.S_ISREG(status.st_mode):
        raise InvalidInput(
            f"refusing to write {path}: it is {special_file_kind(status.st_mode)}, not a file (choose another --out)"
        )
    if is_sqlite_database(path):
        raise InvalidInput(
            f"refusing to write {path}: it is an SQLite database (perhaps a project); choose another --out"
        )


def special_file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def refuse_other_kind(path: Path, written: Path) -> None:
    """Refuse to replace an existing file whose kind differs from what was just written to
    `written`, unless replacing is allowed. An empty file may always be replaced."""
    if _replacing_allowed.get() or not path.is_file() or path.stat().st_size == 0:
        return
    existing, new = file_kind(path), file_kind(written)
    if existing != new:
        raise InvalidInput(
            f"refusing to replace {path}: it holds {existing}, not {new} like this export "
            "(add --force to replace it, or choose another --out)"
        )


_ZIP_FLAVOURS = (
    ("word/document.xml", "a Word document"),
    ("xl/workbook.xml", "an Excel workbook"),
    ("project.qde", "a REFI-QDA project"),
)


def file_kind(path: Path) -> str:
    """What a file holds, by its first bytes, in words: 'a Word document', 'text', …"""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return "an unreadable file"
    if head.startswith(SQLITE_HEADER):
        return "an SQLite database"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return "a zip archive"
        return next((kind for member, kind in _ZIP_FLAVOURS if member in names), "a zip archive")
    if head.startswith(b"\x89PNG"):
        return "a PNG image"
    if head.startswith(b"%PDF"):
        return "a PDF"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at 4096 bytes is still text.
        try:
            text = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return "binary data"
    if "\x00" in text:
        return "binary data"
    return "XML" if text.lstrip("\ufeff \t\r\n").startswith("<") else "text"
