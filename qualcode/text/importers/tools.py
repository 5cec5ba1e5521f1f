"""Which program wrote a transcript file, from the marks it leaves: for `transcript inspect`.

The format (how the file is read) and the tool (who wrote it) are different things: Zoom, Teams
and YouTube all write WebVTT, and a Google Meet transcript is plain text. The tool is named only
where its marks are plain; otherwise it is None.
"""

from __future__ import annotations

import re

_EXPORT_TOOLS = {"otter": "Otter", "teams": "Microsoft Teams", "zoom": "Zoom"}  # "rev": Rev only if it says so
# word timings in <c> tags, or the position YouTube gives every cue
_YOUTUBE = re.compile(r"<\d{2}:\d{2}:\d{2}\.\d{3}><c>|^\S+ --> \S+ align:start position:0%$", re.MULTILINE)
_TEAMS_CUE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:/\d+-\d+)?$", re.MULTILINE)
_MEET_CAPTION_NAME = re.compile(r"^\([^()\n]{1,40}\)$", re.MULTILINE)
_WHISPERX = re.compile(r"^\[SPEAKER_\d+\]:?|^SPEAKER_\d+:", re.MULTILINE)
_ZOOM_CUE = re.compile(r"^\d+\n\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}\n[^\n:]{1,80}: ", re.MULTILINE)
_GOOGLE_MEET = re.compile(
    r"^(?:Meeting|Transcription) ended after \d|^This editable transcript was computer generated", re.MULTILINE
)
_REV = re.compile(r"^This transcript was exported on .{1,60}view latest version here", re.MULTILINE)
_F4 = re.compile(r"#\d{2}:\d{2}:\d{2}-\d#")
_VOICE_TAG = re.compile(r"<v[ .]", re.IGNORECASE)


def detect_tool(fmt: str, text: str) -> str | None:
    """The program that most likely wrote a file read as `fmt`, from its text (or a sample of it:
    the start and the end are where tools leave their marks)."""
    if fmt in _EXPORT_TOOLS:
        return _EXPORT_TOOLS[fmt]
    if fmt == "rev":
        return "Rev" if _REV.search(text) else None
    if fmt in ("vtt", "srt"):
        return _caption_tool(text)
    if _GOOGLE_MEET.search(text):
        return "Google Meet"
    if _REV.search(text):
        return "Rev"
    if _WHISPERX.search(text):
        return "WhisperX"
    if _F4.search(text):
        return "f4transkript"
    if _VOICE_TAG.search(text):
        return "captions copied as text"
    return None


def _caption_tool(text: str) -> str | None:
    if _YOUTUBE.search(text):
        return "YouTube"
    if _WHISPERX.search(text):
        return "WhisperX"
    if _TEAMS_CUE_ID.search(text):
        return "Microsoft Teams"
    if len(_MEET_CAPTION_NAME.findall(text)) >= 2:
        return "Google Meet"
    if len(_ZOOM_CUE.findall(text)) >= 2:
        return "Zoom"
    return None
