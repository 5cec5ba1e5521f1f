"""Writing output files safely: whole or not at all, in folders made as needed."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.errors import InvalidInput, QualcodeError
from qualcode.output_paths import refuse_other_kind, refuse_unsafe_target

# A write interrupted by kill -9 or a power cut leaves its temporary file (or the report's work
# folder) behind; the next write cleans up what is clearly no longer being written.
STALE_SECONDS = 15 * 60
WORK_FOLDER_PREFIXES = ("qualcode-report-",)


def remove_leftovers(path: Path, now: float | None = None) -> None:
    """Remove stale `.NAME.*.part` files beside `path` and stale work folders of ours in the
    temporary folder."""
    now = time.time() if now is None else now
    if path.parent.is_dir():
        for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
            with contextlib.suppress(OSError):
                if part.is_file() and now - part.stat().st_mtime > STALE_SECONDS:
                    part.unlink()
    for prefix in WORK_FOLDER_PREFIXES:
        for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
            with contextlib.suppress(OSError):
                status = folder.lstat()
                if folder.is_dir() and status.st_uid == os.getuid() and now - status.st_mtime > STALE_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Create missing folders, let `write` fill a temporary file beside `path`, then rename it
    into place: readers see the old file or the complete new one, and a failure leaves nothing.
    Databases, special files and (without --force) files of another kind are never replaced
    (qualcode/output_paths.py)."""
    path = Path(path)
    refuse_unsafe_target(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name with --out")
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise QualcodeError(f"cannot write {path}: {blocking} is a file, not a folder (choose another --out)")
    remove_leftovers(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise QualcodeError(f"cannot write {path}: {error.strerror or error} (choose another --out)") from None
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        refuse_unsafe_target(path)  # the target may have appeared while we wrote
        refuse_other_kind(path, temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise QualcodeError(f"cannot write {path}: {error.strerror or error} (choose another --out)") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
