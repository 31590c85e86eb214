"""The certificates' font: IPAmj明朝 (文字情報基盤, the MJ characters), shipped in the repository.

Every character the register accepts is one this font draws (kyodo_jp.printable is generated
from its cmap): 𠮷, 髙, 﨑, 齋, 邊, and the registered forms written as variation sequences
(辻 U+8FBB U+E0102). No system font is used: the unmodified TrueType file and its licence
(IPA Font License v1.0, which permits redistribution unchanged, and embedding) are in ipamj/
beside this module, and reportlab embeds the subset of glyphs each PDF uses (ADR 0014).

reportlab alone would print the font slowly and half right, so three things are added here,
once per process:
* the glyph table is read in place: reportlab copies the whole `glyf` table (40 MB here) for
  every subset it makes, which made one certificate 30 ms instead of 5;
* variation sequences get glyphs: reportlab reads the cmap's code points but not its format-14
  table, so each sequence is given a code point of the Supplementary Private Use Area-A that
  maps to its glyph, and `for_font` rewrites text to them before it is drawn;
* the ToUnicode map is written in UTF-16 (reportlab writes 4 hex digits, wrong above U+FFFF),
  mapping the private code points back to the sequence, so copied text is what was registered.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont as FontFile
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FONT = "IPAmjMincho"
FONT_FILE = Path(__file__).parent / "ipamj" / "ipamjm.ttf"
_PRIVATE = 0xF0000  # Supplementary Private Use Area-A: the font maps nothing there
_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def font_path() -> Path:
    if not FONT_FILE.is_file():
        raise RuntimeError(f"IPAmj Mincho not found at {FONT_FILE}")
    return FONT_FILE


class _GlyphTable:
    """The `glyf` table as reportlab's subsetter reads it (slices), without copying it."""

    def __init__(self, data: bytes, offset: int) -> None:
        self._view, self._offset = memoryview(data), offset

    def __getitem__(self, part: slice) -> bytes:
        return bytes(self._view[self._offset + part.start:self._offset + part.stop])


class _Face(TTFontFace):  # type: ignore[misc]  # reportlab has no type hints
    """reportlab's face, with its tables read once (they never change) and `glyf` in place."""

    def get_table(self, tag: str) -> Any:
        tables: dict[str, Any] = self.__dict__.setdefault("_tables", {})
        if tag not in tables:
            tables[tag] = (_GlyphTable(self._ttf_data, self.get_table_pos(tag)[0])
                           if tag == "glyf" else super().get_table(tag))
        return tables[tag]


@cache
def _sequences() -> dict[str, tuple[str, int]]:
    """Each variation sequence of the font ("辻\U000e0102") → its private code point and its
    glyph. The code points follow the sorted sequences, so a PDF's bytes depend on nothing
    else."""
    names: dict[tuple[int, int], str] = {}
    font = FontFile(str(font_path()), lazy=True)
    order = font.getGlyphOrder()
    glyph_id = {name: n for n, name in enumerate(order)}
    cmap = font.getBestCmap()
    for table in font["cmap"].tables:
        if table.format == 14:
            for selector, mappings in table.uvsDict.items():
                for base, glyph in mappings:  # None: the base's own glyph (a default UVS)
                    names[(base, selector)] = glyph or cmap[base]
    return {chr(base) + chr(selector): (chr(_PRIVATE + n), glyph_id[names[(base, selector)]])
            for n, (base, selector) in enumerate(sorted(names))}


def _install_sequences(face: TTFontFace) -> dict[int, str]:
    """Gives the face a private code point per sequence; returns code point → sequence."""
    back: dict[int, str] = {}
    scale = face._pdfScale
    for sequence, (private, glyph) in _sequences().items():
        code = ord(private)
        face.charToGlyph[code] = glyph
        face.charWidths[code] = scale(face.hmetrics[glyph][0])
        back[code] = sequence
    return back


_TO_TEXT: dict[int, str] = {}


def _utf16(code: int) -> str:
    return (_TO_TEXT.get(code) or chr(code)).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with UTF-16 destinations (surrogate pairs, sequences)."""
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


def for_font(text: str) -> str:
    """`text` as the registered font draws it: variation sequences as their private code points
    (the font's other characters unchanged). Idempotent."""
    if _SELECTOR.search(text) is None:
        return text
    sequences = _sequences()
    out: list[str] = []
    for char in text:
        if out and _SELECTOR.match(char):
            entry = sequences.get(out[-1] + char)
            if entry is not None:
                out[-1] = entry[0]
                continue
        out.append(char)
    return "".join(out)


@cache
def register_font() -> str:
    """Parse the font once per process (about 0.4 s); returns its name for setFont."""
    font = TTFont(FONT, str(font_path()))
    font.face.__class__ = _Face
    _TO_TEXT.update(_install_sequences(font.face))
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    pdfmetrics.registerFont(font)
    return FONT
