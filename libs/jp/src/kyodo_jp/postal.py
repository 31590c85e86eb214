"""郵便番号: stored as 7 digits, shown as 999-9999 (DOMAIN.md §2)."""

from __future__ import annotations

import re
import unicodedata

# After NFKC: an optional 〒, 3 digits, one optional dash of any of the kinds people type
# between them (hyphen, minus, dashes, the long vowel mark ー from a kana keyboard), 4 digits.
_INPUT = re.compile(r"〒?\s*([0-9]{3})[-‐‑‒–—―−ー]?([0-9]{4})")
_STORED = re.compile(r"[0-9]{7}")


class InvalidPostalCode(ValueError):
    """Not a postal code: 7 digits, written 999-9999 or 9999999."""


def parse_postal_code(text: str) -> str:
    """The stored form of a postal code as typed: 955-8686, 9558686, ９５５－８６８６ → 9558686."""
    match = _INPUT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise InvalidPostalCode(f"not a postal code: {text!r}")
    return match.group(1) + match.group(2)


def format_postal_code(stored: str) -> str:
    """The shown form of a stored postal code: 9558686 → 955-8686."""
    if not _STORED.fullmatch(stored):
        raise InvalidPostalCode(f"a stored postal code has 7 digits: {stored!r}")
    return f"{stored[:3]}-{stored[3:]}"
