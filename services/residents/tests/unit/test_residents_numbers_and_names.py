"""宛名番号 check digits and フリガナ normalization (DOMAIN.md §2)."""

from __future__ import annotations

from datetime import date

import pytest

from kyodo_common.errors import InvalidInput
from kyodo_residents.domain.names import normalize_kana
from kyodo_residents.domain.numbers import (
    check_digit,
    is_valid_resident_number,
    modulus11_remainder,
    resident_number,
)
from kyodo_residents.domain.resident import PersonDetails, Sex, validated


def test_weights_run_2_to_7_from_the_rightmost_digit_and_repeat() -> None:
    # serial 1234567: 7·2 + 6·3 + 5·4 + 4·5 + 3·6 + 2·7 + 1·2 = 106; 106 mod 11 = 7
    assert modulus11_remainder("1234567") == 7
    assert check_digit("1234567") == 4


def test_remainder_zero_gives_zero() -> None:
    assert modulus11_remainder("0000000") == 0
    assert check_digit("0000000") == 0


def test_serials_with_remainder_one_are_skipped() -> None:
    serial = next(s for s in range(1, 100) if modulus11_remainder(str(s).zfill(9)) == 1)
    assert check_digit(str(serial).zfill(9)) is None
    assert resident_number(serial) is None


def test_allocated_numbers_validate_and_a_changed_digit_does_not() -> None:
    numbers = [n for n in (resident_number(s) for s in range(1, 500)) if n]
    assert len(numbers) > 400
    assert all(is_valid_resident_number(n) for n in numbers)
    tampered = numbers[10][:-1] + str((int(numbers[10][-1]) + 1) % 10)
    assert not is_valid_resident_number(tampered)


@pytest.mark.parametrize(("raw", "expected"), [
    ("やまだ", "ヤマダ"), ("ﾔﾏﾀﾞ", "ヤマダ"), ("ヤマダ", "ヤマダ"), ("　ゆうき ", "ユウキ"),
])
def test_kana_is_stored_as_full_width_katakana(raw: str, expected: str) -> None:
    assert normalize_kana(raw) == expected


def _new(**overrides: object) -> PersonDetails:
    values: dict[str, object] = dict(
        family_name="𠮷田", given_name="髙志", family_name_kana="よしだ", given_name_kana="ﾀｶｼ",
        birth_date=date(2000, 1, 1), sex=Sex.MALE)
    values.update(overrides)
    return PersonDetails(**values)  # type: ignore[arg-type]


def test_names_outside_jis_x_0208_are_kept_as_written() -> None:
    resident = validated(_new(), today=date(2026, 1, 1))
    assert (resident.family_name, resident.given_name) == ("𠮷田", "髙志")
    assert (resident.family_name_kana, resident.given_name_kana) == ("ヨシダ", "タカシ")


@pytest.mark.parametrize(("field", "overrides"), [
    ("family_name_kana", {"family_name_kana": "Yoshida"}),
    ("birth_date_partial", {"birth_date": None, "birth_date_partial": "1950-13"}),
    ("residence_status", {"nationality": "FR"}),
    ("birth_date", {"birth_date": date(2030, 1, 1)}),
])
def test_invalid_fields_are_named(field: str, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as refused:
        validated(_new(**overrides), today=date(2026, 1, 1))
    assert refused.value.invalid_params[0]["name"] == field
