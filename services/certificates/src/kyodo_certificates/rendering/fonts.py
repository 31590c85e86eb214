"""The certificates' font: IPAmj明朝 (文字情報基盤, the MJ characters), shipped in the repository.

Every character the register accepts is one this font draws (kyodo_jp.printable is generated
from its cmap): 𠮷, 髙, 﨑, 齋, 邊, and the registered forms written as variation sequences
(辻 U+8FBB U+E0102). No system font is used: the unmodified TrueType file and its licence
(IPA Font License v1.0, which permits redistribution unchanged, and embedding) are in ipamj/
beside this module, and reportlab embeds the subset of glyphs each PDF uses (ADR 0014).

reportlab alone would print the font slowly and half right, so four things are mended here,
once per process:
* the glyph table is read in place: reportlab copies the whole `glyf` table (40 MB here) for
  every subset it makes, which made one certificate 30 ms instead of 5;
* variation sequences get glyphs: reportlab reads the cmap's code points but not its format-14
  table, so each sequence is given a code point of the Supplementary Private Use Area-A that
  maps to its glyph, and `for_font` rewrites text to them before it is drawn;
* the advances of most glyphs are repaired (reportlab kept PDF units where font units belong,
  and the embedded subsets gave 𠮷 half an em);
* the ToUnicode map is written in UTF-16 (reportlab writes 4 hex digits, wrong above U+FFFF),
  mapping the private code points back to the sequence, so copied text is what was registered.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from struct import unpack
from typing import Any

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


def _u24(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 3], "big")


def _variation_sequences(data: bytes, cmap_at: int) -> dict[tuple[int, int], int | None]:
    """The cmap's format-14 subtable (Unicode, encoding 5): (base, selector) → glyph id, or
    None where the sequence draws the base's own glyph (a default UVS)."""
    found: dict[tuple[int, int], int | None] = {}
    tables = int.from_bytes(data[cmap_at + 2:cmap_at + 4], "big")
    for record in range(cmap_at + 4, cmap_at + 4 + 8 * tables, 8):
        platform, encoding, offset = unpack(">HHL", data[record:record + 8])
        if (platform, encoding) != (0, 5):
            continue
        sub = cmap_at + offset
        count = int.from_bytes(data[sub + 6:sub + 10], "big")
        for at in range(sub + 10, sub + 10 + 11 * count, 11):
            selector = _u24(data, at)
            default, special = unpack(">LL", data[at + 3:at + 11])
            if default:
                ranges = int.from_bytes(data[sub + default:sub + default + 4], "big")
                for r in range(sub + default + 4, sub + default + 4 + 4 * ranges, 4):
                    first = _u24(data, r)
                    for base in range(first, first + data[r + 3] + 1):
                        found[(base, selector)] = None
            if special:
                mappings = int.from_bytes(data[sub + special:sub + special + 4], "big")
                for m in range(sub + special + 4, sub + special + 4 + 5 * mappings, 5):
                    found[(_u24(data, m), selector)] = int.from_bytes(data[m + 3:m + 5], "big")
    return found


_PRIVATE_OF: dict[str, str] = {}  # "辻\U000e0102" → its private code point, as a character
_TO_TEXT: dict[int, str] = {}  # and back, for the ToUnicode map


def _repair_advances(face: TTFontFace) -> None:
    """reportlab keeps the glyphs' advances in font units, but for the glyphs after the hhea's
    numberOfHMetrics (59,219 of IPAmj's 61,179, nearly every kanji) it keeps the last one
    already scaled to PDF units: the subsets it embeds then gave 𠮷 half an em. Those glyphs
    share the last full entry's advance, in font units."""
    metrics = int.from_bytes(face.get_table("hhea")[34:36], "big")
    at = face.get_table_pos("hmtx")[0] + 4 * (metrics - 1)
    advance = int.from_bytes(face._ttf_data[at:at + 2], "big")
    face.hmetrics[metrics:] = [(advance, lsb) for _, lsb in face.hmetrics[metrics:]]


def _install_sequences(face: TTFontFace) -> None:
    """Gives the face a private code point per variation sequence, drawing its glyph. The code
    points follow the sorted sequences, so a PDF's bytes depend on nothing else."""
    sequences = _variation_sequences(face._ttf_data, face.get_table_pos("cmap")[0])
    for n, (base, selector) in enumerate(sorted(sequences)):
        glyph = sequences[(base, selector)]
        if glyph is None:
            glyph = face.charToGlyph[base]
        code = _PRIVATE + n
        face.charToGlyph[code] = glyph
        face.charWidths[code] = face._pdfScale(face.hmetrics[glyph][0])
        _PRIVATE_OF[chr(base) + chr(selector)] = chr(code)
        _TO_TEXT[code] = chr(base) + chr(selector)


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
    register_font()
    out: list[str] = []
    for char in text:
        if out and _SELECTOR.match(char):
            private = _PRIVATE_OF.get(out[-1] + char)
            if private is not None:
                out[-1] = private
                continue
        out.append(char)
    return "".join(out)


@cache
def register_font() -> str:
    """Parse the font once per process (about 0.4 s); returns its name for setFont."""
    font = TTFont(FONT, str(font_path()))
    font.face.__class__ = _Face
    _repair_advances(font.face)
    _install_sequences(font.face)
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    pdfmetrics.registerFont(font)
    return FONT
