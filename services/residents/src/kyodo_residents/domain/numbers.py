"""宛名番号 and 世帯番号: a serial plus a Modulus 11 check digit, from kyodo_jp (DOMAIN.md §2)."""

from __future__ import annotations

from kyodo_jp.checkdigits import (
    SERIAL_DIGITS,
    check_digit,
    is_valid_resident_number,
    modulus11_remainder,
    resident_number,
)

__all__ = [
    "SERIAL_DIGITS",
    "check_digit",
    "is_valid_resident_number",
    "modulus11_remainder",
    "resident_number",
]
