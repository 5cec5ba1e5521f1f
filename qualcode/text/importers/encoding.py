"""Turning a text file's bytes into str: the encodings transcripts arrive in, tried in a fixed order."""

from __future__ import annotations

import codecs
import re

from qualcode.errors import ImportFormatError

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (cp1252)",
    "utf-8+cp1252": "UTF-8 with some Windows-1252 (cp1252) bytes",
}

# Control characters other than tab, newlines and form feed do not occur in text a person wrote.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding used): UTF-8, UTF-8 with BOM, UTF-16 with BOM, then Windows-1252.

    Raises ImportFormatError for an empty, whitespace-only or binary file.
    """
    if not data:
        raise ImportFormatError(f"{source}: the file is empty")
    text, encoding = _decode(data, source)
    if len(_CONTROL.findall(text)) > max(1, len(text) * _MAX_CONTROL_SHARE):
        raise _binary(source)
    if not text.strip():
        raise ImportFormatError(f"{source}: the file contains only blank space, no text")
    return text, encoding


def encoding_warning(encoding: str) -> str | None:
    """What to tell the user when a file was not plain UTF-8 (accents may need checking)."""
    if encoding == "utf-8":
        return None
    if encoding == "cp1252":
        # a guess that cannot fail, so it can be wrong (a Mac Roman or Latin-9 file)
        return "read as Windows-1252 (cp1252), not UTF-8: check that accented letters and quotes look right"
    if encoding == "utf-8+cp1252":
        return (
            "read as UTF-8, but some bytes were not UTF-8 and were read as Windows-1252 (cp1252): "
            "check the quotes and accented letters near them"
        )
    return f"read as {ENCODING_NAMES[encoding]}, not plain UTF-8"


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", source), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source), "utf-16"
    if b"\x00" in data:
        if order := _utf16_without_bom(data):
            raise ImportFormatError(
                f"{source}: looks like UTF-16 ({order}) text without a byte-order mark, which cannot be "
                "read safely; re-save it as UTF-8 text"
            )
        # NUL bytes without a UTF-16 byte-order mark: an image, a PDF, a zip, an old .doc ...
        raise _binary(source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if mixed := _mostly_utf8(data):
        return mixed, "utf-8+cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportFormatError(
            f"{source}: the text is not UTF-8, UTF-16 or Windows-1252; re-save it as UTF-8 text"
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' when every other byte is NUL and the rest is text, as in
    UTF-16 saved without its byte-order mark; None for other binary data."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    evens, odds = sample[0::2], sample[1::2]
    for order, zeros, chars in (("little-endian", odds, evens), ("big-endian", evens, odds)):
        if zeros.count(0) >= 0.9 * len(zeros) and all(c >= 0x20 or c in b"\t\n\r" for c in chars if c):
            return order
    return None


_STRAY = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, as surrogateescape keeps them


def _mostly_utf8(data: bytes) -> str | None:
    """A UTF-8 file with a few Windows-1252 bytes pasted in (a curly quote from Word): its UTF-8
    read as UTF-8 and only those bytes as cp1252. Reading it all as cp1252 would garble every
    accented letter. None unless the file has UTF-8 beyond ASCII and the stray bytes are cp1252."""
    text = data.decode("utf-8", errors="surrogateescape")
    if not any(ord(c) > 0x7F and not _STRAY.match(c) for c in text):
        return None
    try:
        return _STRAY.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252"), text)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise ImportFormatError(
            f"{source}: starts with a {label} byte-order mark but is not valid {label}; re-save it as UTF-8 text"
        ) from None


def _binary(source: str) -> ImportFormatError:
    return ImportFormatError(f"{source}: a binary file, not text; export the transcript as .txt, .docx, .vtt or .srt")
