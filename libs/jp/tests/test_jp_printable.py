"""The characters a certificate can print (the embedded IPAmj明朝's coverage)."""

from __future__ import annotations

import pytest

from kyodo_jp.printable import describe, unprintable, unprintable_reason


@pytest.mark.parametrize("text", [
    "𠮷田", "髙橋", "﨑山", "辻", "辻\U000E0102", "辻\U000E0103", "齋藤", "渡邊",
    "新潟県三条市旭町二丁目3番1号", "サンジョウ　タロウ", "Smith, John", "1-2-3 Asahi",
])
def test_names_and_addresses_in_the_font_are_printable(text: str) -> None:
    assert unprintable(text) is None
    assert unprintable_reason(text) is None


@pytest.mark.parametrize(("text", "found"), [
    ("山田😀", "😀"),  # an emoji: no glyph in a Mincho for names
    ("\U0002EA4C", "\U0002EA4C"),  # CJK Extension F, after the font's 2018 edition
    ("\ue000", "\ue000"),  # Private Use: the old 外字 slots, never a name
    ("辻\U000E0105", "辻\U000E0105"),  # a sequence the font does not know for 辻
    ("\U000E0102", "\U000E0102"),  # a selector with nothing before it
    ("辻\U000E0102\U000E0102", "\U000E0102"),  # a selector applies once
])
def test_the_first_character_the_font_lacks_is_named(text: str, found: str) -> None:
    assert unprintable(text) == found


def test_the_reason_names_the_character_and_its_code_points() -> None:
    assert describe("𠮷") == "𠮷 (U+20BB7)"
    reason = unprintable_reason("山田😀")
    assert reason is not None and "😀 (U+1F600)" in reason
    assert unprintable_reason("辻\U000E0105") == (
        "辻\U000E0105 (U+8FBB U+E0105) is not in the certificates' font (IPAmj明朝) and cannot "
        "be printed")
