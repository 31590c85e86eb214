"""検査用数字: check digits of 個人番号, 宛名番号 and 世帯番号 (DOMAIN.md §2)."""

from __future__ import annotations

import re

_MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# ASCII only: str.isdigit() would also accept full-width and other scripts' digits.
_MY_NUMBER = re.compile(r"[0-9]{12}")
_BASE11 = re.compile(r"[0-9]{11}")
_DIGITS = re.compile(r"[0-9]+")

SERIAL_DIGITS = 9


def my_number_check_digit(base11: str) -> int:
    """個人番号の検査用数字: r = Σ dᵢ·wᵢ mod 11 (weights 6,5,4,3,2,7,6,5,4,3,2); 0 if r ≤ 1."""
    if not _BASE11.fullmatch(base11):
        raise ValueError("a 個人番号 has 11 base digits before its check digit")
    r = sum(int(d) * w for d, w in zip(base11, _MY_NUMBER_WEIGHTS, strict=True)) % 11
    return 0 if r <= 1 else 11 - r


def is_valid_my_number(number: str) -> bool:
    """個人番号: 12 ASCII digits whose last is the check digit of the first 11."""
    if not _MY_NUMBER.fullmatch(number):
        return False
    return my_number_check_digit(number[:11]) == int(number[11])


def modulus11_remainder(serial: str) -> int:
    """Weights 2,3,4,5,6,7,2,3,… from the rightmost digit; the sum modulo 11."""
    if not _DIGITS.fullmatch(serial):
        raise ValueError("a serial is made of digits")
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(serial)))
    return total % 11


def check_digit(serial: str) -> int | None:
    """11 − r, 0 when r = 0; None when r = 1 (10 is unspecified: such serials are skipped)."""
    r = modulus11_remainder(serial)
    if r == 1:
        return None
    return 0 if r == 0 else 11 - r


def resident_number(serial_value: int) -> str | None:
    """宛名番号 / 世帯番号 for a serial, or None when that serial must be skipped."""
    if serial_value < 0:
        raise ValueError("serials are not negative")
    serial = str(serial_value).zfill(SERIAL_DIGITS)
    if len(serial) > SERIAL_DIGITS:
        raise OverflowError("resident number serials are exhausted")
    digit = check_digit(serial)
    return None if digit is None else serial + str(digit)


def is_valid_resident_number(number: str) -> bool:
    """宛名番号 / 世帯番号: 9 digits of serial and their Modulus 11 check digit."""
    if len(number) != SERIAL_DIGITS + 1 or not _DIGITS.fullmatch(number):
        return False
    return check_digit(number[:-1]) == int(number[-1])
