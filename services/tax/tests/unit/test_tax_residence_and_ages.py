"""The 1 January rule over register histories, and ages as the tax law counts them."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo_tax.domain.ages import (
    DependantCategory,
    aged_65_or_over,
    dependant_category,
    is_minor,
    legal_age,
)
from kyodo_tax.domain.residence import (
    AmbiguousResidence,
    RegisterEntry,
    residence_on,
    state_on,
    taxing_municipality,
)

SANJO, NAGAOKA = "152048", "152021"
PERSON = uuid.uuid4()


def _record(code: str, *changes: tuple[date, str]) -> list[RegisterEntry]:
    """One resident record: its versions 1, 2, … with their effective dates and statuses."""
    record = uuid.uuid4()
    return [RegisterEntry(code, record, PERSON, version, day, status)
            for version, (day, status) in enumerate(changes, start=1)]


def _moved(on: date) -> list[RegisterEntry]:
    """Registered in Sanjo since 2015, moved to Nagaoka on ``on`` (転出 and 転入 that day)."""
    return (_record(SANJO, (date(2015, 4, 1), "resident"), (on, "moved_out"))
            + _record(NAGAOKA, (on, "resident")))


@pytest.mark.parametrize(("moved_on", "taxed_by"), [
    (date(2026, 1, 2), SANJO),  # still in Sanjo at the end of 1 January
    (date(2026, 3, 31), SANJO),
    (date(2025, 12, 31), NAGAOKA),  # already in Nagaoka on 1 January
    (date(2026, 1, 1), NAGAOKA),  # registered in Nagaoka on 1 January itself
])
def test_the_municipality_of_1_january_taxes_the_whole_year(moved_on: date,
                                                            taxed_by: str) -> None:
    assert taxing_municipality(_moved(moved_on), 2026) == taxed_by


def test_the_year_before_is_taxed_where_the_person_was_then() -> None:
    assert taxing_municipality(_moved(date(2025, 12, 31)), 2025) == SANJO


def test_death_on_2_january_still_owes_the_year() -> None:
    died = _record(SANJO, (date(2010, 1, 1), "resident"), (date(2026, 1, 2), "dead"))
    assert taxing_municipality(died, 2026) == SANJO
    assert taxing_municipality(died, 2027) is None


def test_nobody_taxes_a_person_not_registered_anywhere_on_1_january() -> None:
    abroad = _record(SANJO, (date(2010, 1, 1), "resident"), (date(2025, 10, 1), "moved_out"))
    assert taxing_municipality(abroad, 2026) is None


def test_order_of_arrival_does_not_matter_and_later_versions_win_a_day() -> None:
    entries = _moved(date(2026, 1, 2))
    assert taxing_municipality(list(reversed(entries)), 2026) == SANJO
    same_day = _record(SANJO, (date(2026, 1, 1), "resident"), (date(2026, 1, 1), "removed"))
    assert state_on(same_day, date(2026, 1, 1)).status == "removed"  # type: ignore[union-attr]


def test_resident_in_two_municipalities_is_for_a_clerk_to_settle() -> None:
    both = (_record(SANJO, (date(2015, 1, 1), "resident"))
            + _record(NAGAOKA, (date(2025, 12, 1), "resident")))
    with pytest.raises(AmbiguousResidence):
        residence_on(both, date(2026, 1, 1))


@pytest.mark.parametrize(("birth", "on", "age"), [
    (date(1961, 1, 1), date(2025, 12, 31), 65),  # a year older at the end of the eve
    (date(1961, 1, 2), date(2025, 12, 31), 64),
    (date(2000, 2, 29), date(2021, 2, 27), 20),
    (date(2000, 2, 29), date(2021, 2, 28), 21),
])
def test_legal_age(birth: date, on: date, age: int) -> None:
    assert legal_age(birth, on) == age


def test_65_or_over_is_taken_on_31_december_of_the_income_year() -> None:
    assert aged_65_or_over(date(1961, 1, 1), 2026)
    assert not aged_65_or_over(date(1961, 1, 2), 2026)


def test_minor_is_under_18_on_1_january() -> None:
    assert not is_minor(date(2008, 1, 2), 2026)
    assert is_minor(date(2008, 1, 3), 2026)


@pytest.mark.parametrize(("birth", "category"), [
    (date(2010, 1, 2), DependantCategory.UNDER_16),  # 15 on 31 December 2025
    (date(2010, 1, 1), DependantCategory.GENERAL),  # 16
    (date(2007, 1, 1), DependantCategory.SPECIFIED),  # 19
    (date(2003, 1, 2), DependantCategory.SPECIFIED),  # 22
    (date(2003, 1, 1), DependantCategory.GENERAL),  # 23
    (date(1956, 1, 2), DependantCategory.GENERAL),  # 69
    (date(1956, 1, 1), DependantCategory.ELDERLY),  # 70
])
def test_dependant_categories_for_fiscal_year_2026(birth: date,
                                                   category: DependantCategory) -> None:
    assert dependant_category(birth, 2026) is category


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
       st.integers(2021, 2030))
def test_the_fast_age_checks_agree_with_legal_age(birth: date, fiscal_year: int) -> None:
    assert aged_65_or_over(birth, fiscal_year) == (
        legal_age(birth, date(fiscal_year - 1, 12, 31)) >= 65)
    assert is_minor(birth, fiscal_year) == (legal_age(birth, date(fiscal_year, 1, 1)) < 18)
