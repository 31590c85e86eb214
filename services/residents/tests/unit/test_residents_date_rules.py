"""Dates of the register checked against each other (DOMAIN.md §3): pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from kyodo_common.errors import InvalidInput
from kyodo_residents.domain import rules

DAY = date(2026, 4, 1)


def test_a_move_in_may_be_on_the_move_out_day_but_not_before() -> None:
    rules.check_move_in_after_move_out(DAY, moved_out_on=DAY)
    with pytest.raises(InvalidInput) as refused:
        rules.check_move_in_after_move_out(date(2026, 3, 31), moved_out_on=DAY)
    assert refused.value.invalid_params[0]["name"] == "effective_date"


def test_a_member_joins_on_or_after_the_day_the_household_was_formed() -> None:
    rules.check_joins_after_formed(DAY, formed_on=DAY)
    with pytest.raises(InvalidInput) as refused:
        rules.check_joins_after_formed(date(2026, 3, 31), formed_on=DAY,
                                       field="person.birth_date")
    assert refused.value.invalid_params[0]["name"] == "person.birth_date"


def test_a_move_out_is_announced_only_for_a_later_day() -> None:
    assert rules.is_announced(date(2026, 4, 2), today=DAY)
    assert not rules.is_announced(DAY, today=DAY)


def test_lateness_counts_14_days_from_the_move() -> None:
    assert not rules.is_late(DAY, today=date(2026, 4, 15))
    assert rules.is_late(DAY, today=date(2026, 4, 16))
