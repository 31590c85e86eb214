"""フリガナ: the reading of a name, stored in full-width katakana (DOMAIN.md §2).

`normalize_kana` is for the フリガナ field only. The 氏名 itself is never normalized: the standard
systems use the MJ+ character set, and NFKC would replace characters outside JIS X 0208 (for
example CJK compatibility ideographs) by other characters.
"""

from __future__ import annotations

import re
import unicodedata

_HIRAGANA_TO_KATAKANA = 0x60
# ぁ..ゖ and the iteration marks ゝゞ each have a katakana 0x60 further on.
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309D\u309E]")
# NFKC would turn the spacing marks ゛゜ into a space plus a combining mark: make them combining
# first, so that か゛ becomes が as its writer meant.
_SPACING_MARKS = str.maketrans({"\u309B": "\u3099", "\u309C": "\u309A"})
# The Halfwidth and Fullwidth Forms block: the only characters that NFKC is applied to, so
# nothing else (kanji, MJ characters typed by mistake) is replaced before validation refuses it.
_WIDTH_FORMS = re.compile(r"[\uFF00-\uFFEF]")
_KANA_WITH_MARK = re.compile(r"[\u3041-\u30FF][\u3099\u309A]")
_SPACES = re.compile(r"\s+")
# The stored separator (between 氏 and 名, or the words of a foreign name) is one full-width
# space: the whole フリガナ field is full-width, so its separator is too.
SEPARATOR = "\u3000"

_KATAKANA_WORD = r"[\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+"
_KATAKANA = re.compile(rf"{_KATAKANA_WORD}(?:[\u3000 ]{_KATAKANA_WORD})*")


def _hiragana_to_katakana(match: re.Match[str]) -> str:
    return chr(ord(match.group()) + _HIRAGANA_TO_KATAKANA)


def _compose(match: re.Match[str]) -> str:
    composed = unicodedata.normalize("NFC", match.group())
    return composed if len(composed) == 1 else match.group()


def normalize_kana(text: str) -> str:
    """フリガナの正規化: hiragana and half-width katakana become full-width katakana.

    Half-width katakana, full-width Latin letters and digits are folded by NFKC; ー and ・ are
    kept; runs of spaces become one full-width space and the ends are trimmed.
    """
    text = text.translate(_SPACING_MARKS)
    text = _WIDTH_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _HIRAGANA.sub(_hiragana_to_katakana, text)
    text = _KANA_WITH_MARK.sub(_compose, text)
    return _SPACES.sub(SEPARATOR, text.strip())


def is_katakana(text: str) -> bool:
    """Full-width katakana words (with ー, ・, ヽ, ヾ) separated by single spaces."""
    return bool(_KATAKANA.fullmatch(text))


def normalize_latin_name(text: str) -> str:
    """ローマ字氏名: a foreign resident's Latin-script name, NFKC and upper case."""
    # Upper-casing after NFKC, since NFKC can produce lower-case letters (ª → a); NFC after it,
    # since upper-casing can leave a letter and a combining mark (ǰ → J + ̌).
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).upper())
    return _SPACES.sub(" ", text.strip())
