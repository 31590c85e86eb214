"""申請期間: set per disaster, 1–3 months from a start within a month of the disaster."""

from __future__ import annotations

from datetime import date

import pytest

from kyodo_common.errors import InvalidInput
from kyodo_disaster.domain.calendar import add_months
from kyodo_disaster.domain.declaration import check_occurred_on, check_window, checked_area
from kyodo_disaster.domain.rules import load_rules

WINDOW = load_rules().window
OCCURRED = date(2024, 7, 10)


def _check(opens: date, closes: date, *, extension: bool = False,
           today: date | None = None) -> None:
    check_window(occurred_on=OCCURRED, opens_on=opens, closes_on=closes, rules=WINDOW,
                 extension=extension, today=today)


@pytest.mark.parametrize(("opens", "closes"), [
    (date(2024, 7, 10), date(2024, 8, 10)),  # exactly one month
    (date(2024, 7, 10), date(2024, 10, 10)),  # exactly three months
    (date(2024, 8, 10), date(2024, 10, 1)),  # opens a month after the disaster
])
def test_windows_of_one_to_three_months_are_accepted(opens: date, closes: date) -> None:
    _check(opens, closes)


@pytest.mark.parametrize(("opens", "closes", "field", "reason"), [
    (date(2024, 7, 9), date(2024, 9, 1), "application_opens_on", "on or after"),
    (date(2024, 8, 11), date(2024, 10, 1), "application_opens_on", "within 1 month"),
    (date(2024, 7, 10), date(2024, 8, 9), "application_closes_on", "at least 1 month"),
    (date(2024, 7, 10), date(2024, 10, 11), "application_closes_on", "at most 3 months"),
    (date(2024, 7, 20), date(2024, 7, 10), "application_closes_on", "at least 1 month"),
])
def test_windows_outside_the_rules_name_the_field(opens: date, closes: date, field: str,
                                                  reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        _check(opens, closes)
    assert refused.value.invalid_params[0]["name"] == field


def test_an_extension_may_reach_twelve_months_but_not_close_in_the_past() -> None:
    _check(date(2024, 7, 10), date(2025, 7, 10), extension=True, today=date(2024, 9, 1))
    with pytest.raises(InvalidInput, match="at most 12 months"):
        _check(date(2024, 7, 10), date(2025, 7, 11), extension=True)
    with pytest.raises(InvalidInput, match="in the past"):
        _check(date(2024, 7, 10), date(2024, 9, 1), extension=True, today=date(2024, 9, 2))


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)


def test_a_disaster_is_not_declared_before_it_happens() -> None:
    with pytest.raises(InvalidInput, match="after it occurred"):
        check_occurred_on(date(2024, 7, 11), today=date(2024, 7, 10))


def test_the_area_keeps_entries_as_given_without_blanks_or_duplicates() -> None:
    assert checked_area([" 旭町二丁目", "旭町2丁目", "955-8686", "9558686", "元町"]) == [
        "旭町二丁目", "955-8686", "元町"]
    with pytest.raises(InvalidInput):
        checked_area([" "])
