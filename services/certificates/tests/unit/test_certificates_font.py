"""Certificates print every character the register accepts (issue #18: 𠮷田 printed as ☒田).

Each character is looked up in the PDF itself: the ToUnicode map of the embedded font subset
says which code draws it, and the subset's glyph for that code must be the outline IPAmj明朝
has for the character (not the .notdef box, not another form of it).
"""

from __future__ import annotations

import importlib.util
import io
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont as FontFile
from pypdf import PdfReader

from kyodo_certificates.domain.document import Document
from kyodo_certificates.domain.kinds import Item, Layout
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.domain.residence import ResidenceRequest, residence_document
from kyodo_certificates.rendering.fonts import font_path
from kyodo_certificates.rendering.pdf import render

REPO = Path(__file__).resolve().parents[4]
ONE_DOT_TSUJI = "辻\U000e0102"  # MJ025760, one dot; U+8FBB alone is MJ025761, two dots
NAMES = ["𠮷田", "髙橋", "﨑山", "辻", ONE_DOT_TSUJI, "齋藤", "渡邊"]


def _outline(font: FontFile, glyph: str) -> list[Any]:
    pen = RecordingPen()
    font.getGlyphSet()[glyph].draw(pen)
    return pen.value


@pytest.fixture(scope="module")
def original() -> FontFile:
    return FontFile(str(font_path()), lazy=True)


def _original_glyph(font: FontFile, text: str) -> str:
    if len(text) == 2:  # a variation sequence
        for table in font["cmap"].tables:
            if table.format == 14:
                found = dict(table.uvsDict[ord(text[1])])[ord(text[0])]
                return str(found or font.getBestCmap()[ord(text[0])])
    return str(font.getBestCmap()[ord(text)])


def drawn(pdf: bytes) -> dict[str, tuple[FontFile, str, float]]:
    """Every text the PDF's fonts draw (per their ToUnicode maps) → its subset, its glyph there
    and its width in the PDF (which places the next character)."""
    found: dict[str, tuple[FontFile, str, float]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/ToUnicode" not in font:
                continue
            subset = FontFile(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
            codes = subset["cmap"].tables[0].cmap
            widths = font["/Widths"]
            to_unicode = font["/ToUnicode"].get_data().decode().split("beginbfchar")[1]
            for code, utf16 in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", to_unicode):
                text = bytes.fromhex(utf16).decode("utf-16-be")
                if text.isprintable():  # not the slots reportlab reserves (0, 1..31, 127)
                    n = int(code, 16)
                    found[text] = (subset, codes.get(n, subset.getGlyphOrder()[0]),
                                   float(widths[n - font["/FirstChar"]]))
    return found


TOWN = Municipality(code="152048", name="三条市", prefecture="新潟県", mayor_name="三条　市長",
                    certificate_fee_yen=300)


def _person(n: int, family_name: str) -> Registered:
    return Registered(
        resident_id=uuid.UUID(int=n), resident_number=f"{n:010d}", status="resident",
        family_name=family_name, given_name="一郎", family_name_kana="ミョウジ",
        given_name_kana="イチロウ", latin_name=None, birth_date=date(2000, 1, n),
        birth_date_partial=None, sex="male", nationality="JP", household_id=None,
        relationship="世帯主" if n == 1 else "子", postal_code="9558686",
        address="新潟県三条市﨑町一丁目1番地", address_since=date(2019, 5, 1),
        became_resident_on=date(2019, 5, 1), left_on=None, protected=False)


def _household() -> Document:
    persons = [_person(n + 1, name) for n, name in enumerate(NAMES)]
    return residence_document(ResidenceRequest(
        layout=Layout.HOUSEHOLD, persons=persons, head=persons[0],
        items=frozenset({Item.RELATIONSHIP}), whole_household=True),
        municipality=TOWN, issued_on=date(2024, 5, 2))


def test_gaiji_names_are_drawn_with_their_own_glyphs_in_a_juminhyo(original: FontFile) -> None:
    pdf = render(_household())
    glyphs = drawn(pdf)
    for name in NAMES:
        character = name if name == ONE_DOT_TSUJI else name[0]
        assert character in glyphs, f"{character!r} is not in the PDF"
        subset, glyph, width = glyphs[character]
        assert glyph != subset.getGlyphOrder()[0], f"{character!r} is drawn as .notdef"
        expected = _original_glyph(original, character)
        assert _outline(subset, glyph) == _outline(original, expected)
        advance = original["hmtx"][expected][0] * 1000 / original["head"].unitsPerEm
        assert width == pytest.approx(advance, abs=0.01), f"{character!r} is {width} wide"
        embedded = subset["hmtx"][glyph][0] * 1000 / subset["head"].unitsPerEm
        assert embedded == pytest.approx(advance, abs=0.01), f"{character!r} in the subset"
    # The two forms of 辻 are two different glyphs in the PDF.
    assert _outline(*glyphs["辻"][:2]) != _outline(*glyphs[ONE_DOT_TSUJI][:2])
    # Nothing on the certificate (labels, dates, the seal, the footer) is a .notdef box.
    assert all(glyph != subset.getGlyphOrder()[0] for subset, glyph, _ in glyphs.values())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "𠮷田" in text and ONE_DOT_TSUJI in text  # copied text is what was registered


def test_the_printable_table_in_kyodo_jp_is_the_embedded_fonts_coverage() -> None:
    script = REPO / "libs" / "jp" / "scripts" / "printable_from_font.py"
    spec = importlib.util.spec_from_file_location("printable_from_font", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (REPO / "libs" / "jp" / "src" / "kyodo_jp" / "printable.txt").read_text()
    assert module.table(font_path()) == committed, (
        "regenerate libs/jp/src/kyodo_jp/printable.txt with libs/jp/scripts/printable_from_font.py")
