"""宛名番号 and 世帯番号: a serial plus a Modulus 11 check digit (DOMAIN.md §2)."""

from __future__ import annotations

SERIAL_DIGITS = 9


def modulus11_remainder(serial: str) -> int:
    """Weights 2,3,4,5,6,7,2,3,… from the rightmost digit; the sum modulo 11."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(serial)))
    return total % 11


def check_digit(serial: str) -> int | None:
    """11 − r, 0 when r = 0; None when r = 1 (10 is unspecified: such serials are skipped)."""
    r = modulus11_remainder(serial)
    if r == 1:
        return None
    return 0 if r == 0 else 11 - r


def resident_number(serial_value: int) -> str | None:
    """The number for a serial, or None when that serial must be skipped."""
    serial = str(serial_value).zfill(SERIAL_DIGITS)
    if len(serial) > SERIAL_DIGITS:
        raise OverflowError("resident number serials are exhausted")
    digit = check_digit(serial)
    return None if digit is None else serial + str(digit)


def is_valid_resident_number(number: str) -> bool:
    if len(number) != SERIAL_DIGITS + 1 or not number.isdigit():
        return False
    return check_digit(number[:-1]) == int(number[-1])
