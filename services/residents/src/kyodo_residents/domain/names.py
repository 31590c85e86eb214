"""Names: フリガナ stored in full-width katakana; other characters left as written."""

from __future__ import annotations

import re
import unicodedata

_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KATAKANA_OFFSET = 0x60
_KANA = re.compile(r"^[\u30A0-\u30FF\u3000 ]+$")


def normalize_kana(text: str) -> str:
    """Hiragana and half-width katakana become full-width katakana; Latin/digits NFKC."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        chr(ord(c) + _KATAKANA_OFFSET) if _HIRAGANA_START <= ord(c) <= _HIRAGANA_END else c
        for c in text
    ).strip()


def is_katakana(text: str) -> bool:
    return bool(_KANA.match(text))
