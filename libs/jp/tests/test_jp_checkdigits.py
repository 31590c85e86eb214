"""個人番号 and 宛名番号 check digits (DOMAIN.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kyodo_jp.checkdigits import (
    check_digit,
    is_valid_my_number,
    is_valid_resident_number,
    modulus11_remainder,
    my_number_check_digit,
    resident_number,
)

PROPERTY = settings(database=None, deadline=None, max_examples=500)
WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _my_number_remainder(base11: str) -> int:
    return sum(int(d) * w for d, w in zip(base11, WEIGHTS, strict=True)) % 11


@pytest.mark.parametrize("number", ["123456789018", "983205673214"])
def test_the_domain_examples_of_my_number_are_valid(number: str) -> None:
    assert is_valid_my_number(number)
    assert my_number_check_digit(number[:11]) == int(number[11])


@pytest.mark.parametrize("number", [
    "123456789019", "12345678901", "1234567890180", "12345678901a", "１２３４５６７８９０１８",
    "123456789018\n", "",
])
def test_wrong_check_digits_and_shapes_are_not_my_numbers(number: str) -> None:
    assert not is_valid_my_number(number)


def test_remainders_zero_and_one_both_give_zero() -> None:
    assert my_number_check_digit("00000000000") == 0  # r = 0
    assert my_number_check_digit("20000000000") == 0  # r = 12 mod 11 = 1
    assert my_number_check_digit("10000000000") == 5  # r = 6 → 11 − 6


def test_a_malformed_base_is_refused() -> None:
    with pytest.raises(ValueError):
        my_number_check_digit("1234567890")


digits = st.text(alphabet="0123456789", min_size=11, max_size=11)


@PROPERTY
@given(digits)
def test_the_check_digit_makes_every_base_valid(base11: str) -> None:
    assert is_valid_my_number(base11 + str(my_number_check_digit(base11)))


@PROPERTY
@given(digits, st.integers(0, 11), st.integers(1, 9))
def test_a_single_changed_digit_is_caught_unless_the_remainder_moves_between_0_and_1(
        base11: str, position: int, shift: int) -> None:
    valid = base11 + str(my_number_check_digit(base11))
    changed = valid[:position] + str((int(valid[position]) + shift) % 10) + valid[position + 1:]
    # Remainders 0 and 1 share check digit 0, so a change from one to the other goes unseen:
    # the one blind spot of the 個人番号 check digit.
    blind_spot = position < 11 and {_my_number_remainder(base11),
                                    _my_number_remainder(changed[:11])} == {0, 1}
    assert is_valid_my_number(changed) == blind_spot


def test_the_blind_spot_exists() -> None:
    assert is_valid_my_number("000000000000") and is_valid_my_number("200000000000")


def test_modulus11_weights_run_2_to_7_from_the_right_and_repeat() -> None:
    # 7·2 + 6·3 + 5·4 + 4·5 + 3·6 + 2·7 + 1·2 = 106; 106 mod 11 = 7; 11 − 7 = 4
    assert modulus11_remainder("1234567") == 7
    assert check_digit("1234567") == 4
    # the 7th digit from the right is weighted 2 again
    assert modulus11_remainder("1000000") == 2
    assert modulus11_remainder("000000001") == 2


def test_modulus11_remainder_zero_gives_zero_and_one_is_skipped() -> None:
    assert check_digit("000000000") == 0
    assert resident_number(0) == "0000000000"
    assert modulus11_remainder("000000005") == 10 and check_digit("000000005") == 1
    # serial 6: 6·2 = 12, remainder 1: skipped
    assert check_digit("000000006") is None
    assert resident_number(6) is None


@pytest.mark.parametrize("number", ["0000000001", "000000000", "00000000000", "000000000a", ""])
def test_malformed_resident_numbers_are_refused(number: str) -> None:
    assert not is_valid_resident_number(number)


def test_serials_beyond_nine_digits_are_exhausted() -> None:
    with pytest.raises(OverflowError):
        resident_number(10**9)


serials = st.integers(min_value=0, max_value=10**9 - 1)


@PROPERTY
@given(serials)
def test_every_allocated_resident_number_is_valid_and_only_remainder_one_is_skipped(
        serial: int) -> None:
    number = resident_number(serial)
    if number is None:
        assert modulus11_remainder(str(serial).zfill(9)) == 1
    else:
        assert number.startswith(str(serial).zfill(9))
        assert is_valid_resident_number(number)


@PROPERTY
@given(serials, st.integers(0, 9), st.integers(1, 9))
def test_a_single_changed_digit_of_a_resident_number_is_caught(
        serial: int, position: int, shift: int) -> None:
    number = resident_number(serial)
    assume(number is not None)
    assert number is not None
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]
    assert not is_valid_resident_number(changed)
