"""Which fonts draw the thematic map's labels: the base font, then installed fonts for characters
it lacks (CJK, Arabic, Devanagari …), and one warning naming characters no installed font has."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

BASE_FONT = "DejaVu Sans"  # ships with matplotlib, so maps look the same everywhere
# Broad fonts tried first for characters the base font lacks (CJK, Arabic, Devanagari …); any
# other installed font that has them follows. "Last Resort" draws every character as a box.
PREFERRED_FALLBACKS = (
    "Noto Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Arial Unicode MS",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans",
    "Malgun Gothic",
    "Nirmala UI",
    "Segoe UI",
)


class MissingGlyphsWarning(UserWarning):
    """Some characters of the map's labels are in no installed font; they are drawn as boxes."""

    def __init__(self, characters: str) -> None:
        self.characters = characters
        super().__init__(
            f"no installed font has {' '.join(characters)}: they show as empty boxes on the map;"
            " install a font that has them (for Chinese, Japanese or Korean: Noto Sans CJK)"
        )


@contextmanager
def quiet_fonts() -> Iterator[None]:
    """Silence matplotlib's font messages (one per missing glyph and label, and one per fallback
    font without a bold face): draw_figure reports missing characters once, and a regular face
    standing in for bold is no news."""

    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            yield
    finally:
        logger.setLevel(level)


def font_families(texts: list[str]) -> tuple[list[str], str]:
    """The font families to draw with (the base font, then fonts for what it lacks), and the
    characters no installed font has."""
    from matplotlib import font_manager

    needed = dict.fromkeys(c for text in texts for c in text if c.isprintable() and not c.isspace())
    missing = set(needed) - _characters_of(font_manager.findfont(BASE_FONT))
    families = [BASE_FONT]
    if not missing:
        return families, ""
    installed = sorted(
        {(entry.name, entry.fname) for entry in font_manager.fontManager.ttflist if "Last Resort" not in entry.name},
        key=lambda font: (font[0] not in PREFERRED_FALLBACKS, "Sans" not in font[0], font),
    )
    # matplotlib's font list is cached when it is first used: fonts installed since are found on disk.
    known = {path for _, path in installed}
    for path in font_manager.findSystemFonts():
        if path not in known and missing & _characters_of(path):
            font_manager.fontManager.addfont(path)
            installed.append((font_manager.FontProperties(fname=path).get_name(), path))
    for name, path in installed:
        if not missing:
            break
        covered = missing & _characters_of(path)
        if covered and name not in families and "Last Resort" not in name:
            families.append(name)
            missing -= covered
    return families, "".join(c for c in needed if c in missing)  # in the order the labels have them


_CHARACTERS: dict[str, set[str]] = {}


def _characters_of(path: str) -> set[str]:
    """The characters a font file has glyphs for (read once per file)."""
    if path not in _CHARACTERS:
        from matplotlib.ft2font import FT2Font

        try:
            _CHARACTERS[path] = {chr(code) for code in FT2Font(path).get_charmap()}
        except (OSError, RuntimeError, ValueError):
            _CHARACTERS[path] = set()
    return _CHARACTERS[path]
