"""Names: フリガナ stored in full-width katakana, from kyodo_jp; other characters as written."""

from __future__ import annotations

from kyodo_jp.kana import is_katakana, normalize_kana, normalize_latin_name

__all__ = ["is_katakana", "normalize_kana", "normalize_latin_name"]
