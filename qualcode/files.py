"""Writing output files safely: whole or not at all, in folders made as needed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from qualcode.errors import InvalidInput, QualcodeError
from qualcode.output_paths import refuse_other_kind, refuse_unsafe_target


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
