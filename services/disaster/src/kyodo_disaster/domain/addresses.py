"""Addresses compared as the clerks mean them: 旭町二丁目3番1号 is 旭町2丁目3-1."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from kyodo_jp.postal import InvalidPostalCode, parse_postal_code

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"([〇一二三四五六七八九十]+)(?=丁目)")
_SPACES = re.compile(r"\s+")
# A dash of any kind people type between digits; ー only there, since it is also kana.
_DASH = re.compile(r"(?<=\d)[-‐‑‒–—―−ー](?=\d)")
_CHOME = re.compile(r"(\d+)丁目")
_BANCHI = re.compile(r"(\d+)番地?(?=\d)")
_GO = re.compile(r"(\d+)(?:号|番地?)$")


def _kanji_number(match: re.Match[str]) -> str:
    """二 → 2, 十二 → 12, 二十三 → 23 (丁目 numbers stay small); anything else as written."""
    text = match.group(1)
    try:
        if "十" in text:
            tens, _, units = text.partition("十")
            return str((_KANJI_DIGITS[tens] if tens else 1) * 10
                       + (_KANJI_DIGITS[units] if units else 0))
        return "".join(str(_KANJI_DIGITS[char]) for char in text)
    except KeyError:
        return text


def _dashed(text: str) -> str:
    key = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    key = _KANJI_NUMBER.sub(_kanji_number, key)
    key = _DASH.sub("-", key)
    key = _CHOME.sub(r"\1-", key)
    key = _BANCHI.sub(r"\1-", key)
    return _GO.sub(r"\1", key)


def address_key(address: str) -> str:
    """The form two writings of one address share: NFKC, no spaces, 丁目/番/号 as dashes."""
    return _dashed(address).rstrip("-")


def area_entry(text: str) -> str:
    """An affected-area entry as stored: a postal code's 7 digits, or a 町名/地区 key."""
    try:
        return parse_postal_code(text)
    except InvalidPostalCode:
        return _dashed(text)  # 旭町二丁目 keeps its dash: 旭町2- is not 旭町20-


class Area:
    """A declared affected area, ready to test houses against."""

    def __init__(self, entries: Sequence[str]) -> None:
        keys = [area_entry(entry) for entry in entries]
        self._postal_codes = frozenset(k for k in keys if len(k) == 7 and k.isdigit())
        self._names = tuple(k for k in keys if k not in self._postal_codes)

    def contains(self, *, postal_code: str, address: str) -> bool:
        """By the house's postal code, or a 町名/地区 its address names."""
        if postal_code in self._postal_codes:
            return True
        key = address_key(address) + "-"
        return any(name in key for name in self._names)
