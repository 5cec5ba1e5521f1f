"""Reading a .qdpx archive safely, in memory.

A .qdpx is a zip from another program, so it is treated as hostile until checked: entries with
absolute paths or ".." are refused (an extraction would write outside its folder), as are
encrypted entries, archives with too many entries, and archives that expand to more than a sane
limit (a zip bomb). Nothing is extracted to disk: members are read into memory on demand, and the
bytes actually decompressed are counted, since an entry's declared size can lie.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Self

from qualcode.errors import ImportFormatError

MAX_ENTRIES = 100_000
MAX_TOTAL_BYTES = 2 * 1024**3
# Text compresses well, but not a hundredfold; small archives get a floor so a tiny file is fine.
MAX_EXPANSION_RATIO = 100
MIN_ALLOWANCE_BYTES = 64 * 1024**2
_DRIVE = re.compile(r"^[A-Za-z]:")


class QdpxArchive:
    """The members of a checked .qdpx, readable by exact name or by how a project file refers to them."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.label = self.path.name
        if not self.path.is_file():
            raise ImportFormatError(f"{path}: no such file")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError):
            raise ImportFormatError(f"{self.label} is not a zip archive, so not a REFI-QDA project (.qdpx)") from None
        infos = [info for info in self._zip.infolist() if not info.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise ImportFormatError(
                f"{self.label} has {len(infos):,} entries, more than the {MAX_ENTRIES:,} qualcode reads"
            )
        for info in infos:
            _check_name(self.label, info.filename)
            if info.flag_bits & 0x1:
                raise ImportFormatError(
                    f"{self.label}: entry '{info.filename}' is encrypted; export the project without a password"
                )
        self.allowance = min(MAX_TOTAL_BYTES, max(MIN_ALLOWANCE_BYTES, MAX_EXPANSION_RATIO * self.path.stat().st_size))
        if sum(info.file_size for info in infos) > self.allowance:
            raise _too_large(self.label, self.allowance)
        self._infos = {info.filename: info for info in infos}
        self._by_basename: dict[str, list[str]] = {}
        for name in self._infos:
            self._by_basename.setdefault(posixpath.basename(name).casefold(), []).append(name)
        self._read_bytes = 0

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, name: str) -> bytes:
        """A member's bytes; the running total of decompressed bytes is held to the allowance."""
        remaining = self.allowance - self._read_bytes
        try:
            with self._zip.open(self._infos[name]) as member:
                data = member.read(remaining + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
            raise ImportFormatError(
                f"{self.label}: entry '{name}' cannot be read ({error}); the archive is damaged"
            ) from None
        except NotImplementedError:
            raise ImportFormatError(
                f"{self.label}: entry '{name}' uses a compression method qualcode cannot read"
            ) from None
        self._read_bytes += len(data)
        if self._read_bytes > self.allowance:
            raise _too_large(self.label, self.allowance)
        return data

    def chunks(self, name: str, size: int = 1 << 20) -> Iterator[bytes]:
        """A member's bytes a piece at a time, held to the same allowance as read()."""
        try:
            with self._zip.open(self._infos[name]) as member:
                while chunk := member.read(size):
                    self._read_bytes += len(chunk)
                    if self._read_bytes > self.allowance:
                        raise _too_large(self.label, self.allowance)
                    yield chunk
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
            raise ImportFormatError(
                f"{self.label}: entry '{name}' cannot be read ({error}); the archive is damaged"
            ) from None
        except NotImplementedError:
            raise ImportFormatError(
                f"{self.label}: entry '{name}' uses a compression method qualcode cannot read"
            ) from None

    def project_member(self) -> tuple[str, str | None]:
        """The project XML's member name, and a warning when it had to be chosen among several.

        project.qde at the top is the standard; ATLAS.ti and MAXQDA name it after the project
        ("Elder care study.qde") and some programs put it in a folder, so a single .qde of any
        name is the project.
        """
        qde = [name for name in self._infos if name.casefold().endswith(".qde")]
        if not qde:
            raise ImportFormatError(f"{self.label} is a zip but not a REFI-QDA project: it holds no project.qde")
        standard = [name for name in qde if name.casefold() == "project.qde"]
        if standard:
            return standard[0], None
        top = sorted((name for name in qde if "/" not in name), key=str.casefold) or sorted(qde, key=str.casefold)
        if len(qde) > 1:
            return top[0], f"{self.label} holds {len(qde)} .qde files and no project.qde; only {top[0]} was read"
        return top[0], None

    def find(self, reference: str) -> str | None:
        """The member a source path like "internal://ABC.txt" refers to, in sources/, Sources/ or anywhere.

        Paths that are not internal:// (relative://, absolute://, file:// or a bare name) are
        looked for by their file name, which finds them when the exporter packed them anyway.
        """
        target = reference.strip().replace("\\", "/")
        target = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", target).lstrip("/")
        if not target:
            return None
        for candidate in (target, f"sources/{target}", f"Sources/{target}"):
            if candidate in self._infos:
                return candidate
        matches = self._by_basename.get(posixpath.basename(target).casefold(), [])
        return min(matches, key=lambda n: (n.count("/"), n)) if matches else None


def _check_name(label: str, name: str) -> None:
    clean = name.replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if "\x00" in name or clean.startswith("/") or _DRIVE.match(clean) or ".." in parts:
        raise ImportFormatError(f"{label}: refused, entry '{name}' points outside the archive's folder")


def _too_large(label: str, allowance: int) -> ImportFormatError:
    return ImportFormatError(
        f"{label} expands to more than {allowance / 1024**2:,.0f} MB, far more than a project's text; refused as unsafe"
    )
