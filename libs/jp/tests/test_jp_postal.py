"""郵便番号: stored as 7 digits, shown as 999-9999 (DOMAIN.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo_jp.postal import InvalidPostalCode, format_postal_code, parse_postal_code

PROPERTY = settings(database=None, deadline=None, max_examples=300)


@pytest.mark.parametrize("typed", [
    "955-8686", "9558686", "９５５－８６８６", "９５５８６８６", "〒955-8686", " 955-8686 ",
    "955ー8686", "955−8686",
])
def test_typed_postal_codes_are_stored_as_seven_digits(typed: str) -> None:
    assert parse_postal_code(typed) == "9558686"


@pytest.mark.parametrize("typed", [
    "955-868", "95586866", "955--8686", "9558-686", "955 8686", "abc-defg", "", "٩٥٥٨٦٨٦",
])
def test_other_text_is_not_a_postal_code(typed: str) -> None:
    with pytest.raises(InvalidPostalCode):
        parse_postal_code(typed)


def test_stored_codes_are_shown_with_a_hyphen() -> None:
    assert format_postal_code("9558686") == "955-8686"
    with pytest.raises(InvalidPostalCode):
        format_postal_code("955-8686")


stored_codes = st.text(alphabet="0123456789", min_size=7, max_size=7)


@PROPERTY
@given(stored_codes)
def test_parse_and_format_round_trip(stored: str) -> None:
    assert parse_postal_code(format_postal_code(stored)) == stored
    assert parse_postal_code(stored) == stored
    assert format_postal_code(parse_postal_code(format_postal_code(stored))) == (
        f"{stored[:3]}-{stored[3:]}")
