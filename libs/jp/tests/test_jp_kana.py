"""フリガナ normalization and Latin names (DOMAIN.md §2)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo_jp.kana import is_katakana, normalize_kana, normalize_latin_name

PROPERTY = settings(database=None, deadline=None, max_examples=500)


@pytest.mark.parametrize(("raw", "expected"), [
    ("やまだ", "ヤマダ"),
    ("ﾔﾏﾀﾞ", "ヤマダ"),
    ("ヤマダ", "ヤマダ"),
    ("　ゆうき ", "ユウキ"),
    ("やまだ たろう", "ヤマダ　タロウ"),
    ("ﾔﾏﾀﾞ  \u3000ﾀﾛｳ", "ヤマダ　タロウ"),
    ("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス"),
    ("ﾗｰﾒﾝ", "ラーメン"),
    ("ぱぴぷぺぽ", "パピプペポ"),
    ("ゔぁいおりん", "ヴァイオリン"),
    ("ｳﾞｨﾝﾁ", "ヴィンチ"),
    ("か゛", "ガ"),  # a spacing voiced mark typed after the letter
    ("カ\u3099", "ガ"),  # decomposed input (NFD, as some systems send it)
    ("いすゞ", "イスヾ"),
    ("ＡＢＣ１２３", "ABC123"),
])
def test_furigana_is_stored_as_full_width_katakana(raw: str, expected: str) -> None:
    assert normalize_kana(raw) == expected


@pytest.mark.parametrize("raw", ["𠮷田", "髙橋", "\uF929", "葛\U000E0100", "Ø"])
def test_characters_outside_jis_x_0208_are_never_replaced(raw: str) -> None:
    # U+F929 is a CJK compatibility ideograph: NFKC would turn it into U+6717.
    assert normalize_kana(raw) == raw
    assert not is_katakana(normalize_kana(raw))


@pytest.mark.parametrize(("text", "expected"), [
    ("ヤマダ　タロウ", True), ("ヤマダ タロウ", True), ("ジョン・スミス", True), ("ヴァヾー", True),
    ("Yoshida", False), ("", False), ("ヤマダ　", False), ("やまだ", False),
    ("ヤマダ　　タロウ", False), ("ｱ", False), ("ア\u3099", False), ("山田", False),
])
def test_is_katakana(text: str, expected: bool) -> None:
    assert is_katakana(text) is expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("John  Smith", "JOHN SMITH"),
    ("ｊｏｈｎ　ｓｍｉｔｈ", "JOHN SMITH"),
    ("José Müller", "JOSÉ MÜLLER"),
    (" anna-maria o'neil ", "ANNA-MARIA O'NEIL"),
    ("Nguyễn Văn An", "NGUYỄN VĂN AN"),
])
def test_latin_names_are_nfkc_and_upper_case(raw: str, expected: str) -> None:
    assert normalize_latin_name(raw) == expected


HIRAGANA = [chr(c) for c in range(0x3041, 0x3097)] + ["ゝ", "ゞ"]
KATAKANA = [chr(c) for c in range(0x30A1, 0x30FB)] + ["ー", "・", "ヽ", "ヾ"]
HALF_WIDTH = [chr(c) for c in range(0xFF66, 0xFF9E)] + ["･"]
VOICED = ["ｶﾞ", "ﾊﾟ", "ｳﾞ", "か゛", "は゜", "カ\u3099", "ホ\u309A"]
SPACES = [" ", "\u3000", "  ", " \u3000", "\t"]

kana_word = st.lists(st.sampled_from(HIRAGANA + KATAKANA + HALF_WIDTH + VOICED),
                     min_size=1, max_size=8).map("".join)


@st.composite
def kana_names(draw: st.DrawFn) -> str:
    words = draw(st.lists(kana_word, min_size=1, max_size=4))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(SPACES)) + word
    return draw(st.sampled_from(["", *SPACES])) + text + draw(st.sampled_from(["", *SPACES]))


def _kana_or_width_form(char: str) -> bool:
    return "\u3040" <= char <= "\u30FF" or "\uFF00" <= char <= "\uFFEF"


# Neither kana, nor a halfwidth/fullwidth form, nor a space (spaces become the separator).
other_characters = st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")).filter(
    lambda c: not _kana_or_width_form(c) and not c.isspace())


@PROPERTY
@given(st.text())
def test_normalize_kana_is_idempotent(text: str) -> None:
    once = normalize_kana(text)
    assert normalize_kana(once) == once


@PROPERTY
@given(kana_names())
def test_any_kana_input_becomes_katakana(text: str) -> None:
    assert is_katakana(normalize_kana(text))


@PROPERTY
@given(st.text(other_characters, min_size=1))
def test_characters_outside_the_kana_ranges_are_kept(text: str) -> None:
    assert normalize_kana(text) == text


@PROPERTY
@given(st.text(st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E), min_size=1))
def test_full_width_latin_and_digits_are_width_folded_by_nfkc(text: str) -> None:
    assert normalize_kana(text) == unicodedata.normalize("NFKC", text)


@PROPERTY
@given(st.text())
def test_normalize_latin_name_is_idempotent(text: str) -> None:
    once = normalize_latin_name(text)
    assert normalize_latin_name(once) == once
