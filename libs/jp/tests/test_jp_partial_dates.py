"""不詳・頃: partly unknown and approximate birth and death dates (DOMAIN.md §2)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo_jp.partial_dates import PartialDate, format_seireki_partial, format_wareki_partial

PROPERTY = settings(database=None, deadline=None, max_examples=300)


@pytest.mark.parametrize(("text", "value"), [
    ("1950", PartialDate(year=1950)),
    ("1950-04", PartialDate(year=1950, month=4)),
    ("1950-04-01", PartialDate(year=1950, month=4, day=1)),
    ("1950~", PartialDate(year=1950, approximate=True)),
    ("1950-04-01~", PartialDate(year=1950, month=4, day=1, approximate=True)),
    ("XXXX", PartialDate()),
    ("令和XXXX~", PartialDate(era="令和", approximate=True)),
])
def test_the_string_form_parses_and_prints_back(text: str, value: PartialDate) -> None:
    assert PartialDate.parse(text) == value
    assert str(value) == text


@pytest.mark.parametrize("text", [
    "", "195", "1950-4", "1950-13", "1950-02-30", "1950--01", "1950~~", "XXXX-04", "天保XXXX",
    "19５0", "1950-04-01\n1",
])
def test_malformed_or_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_day_needs_a_month_and_a_month_needs_a_year() -> None:
    with pytest.raises(ValueError):
        PartialDate(year=1950, day=1)
    with pytest.raises(ValueError):
        PartialDate(month=4)
    with pytest.raises(ValueError):
        PartialDate(year=2020, era="令和")


def test_an_era_given_in_romaji_is_stored_by_its_name() -> None:
    assert PartialDate(era="Reiwa").era == "令和"


@pytest.mark.parametrize(("value", "expected"), [
    (PartialDate(year=1950, approximate=True), "昭和25年頃"),
    (PartialDate(year=1950, month=4), "昭和25年4月"),
    (PartialDate(year=1950, month=4, day=1), "昭和25年4月1日"),
    (PartialDate(era="令和", approximate=True), "令和○○年頃"),
    (PartialDate(era="平成"), "平成○○年"),
    (PartialDate(), "不詳"),
    # A year or month in two eras is written in the era it ends in.
    (PartialDate(year=2019), "令和元年"),
    (PartialDate(year=2019, month=4), "平成31年4月"),
    (PartialDate(year=1989), "平成元年"),
    (PartialDate(year=1989, month=1, day=7), "昭和64年1月7日"),
])
def test_wareki_partial_form(value: PartialDate, expected: str) -> None:
    assert format_wareki_partial(value) == expected


def test_wareki_partial_form_without_gannen() -> None:
    assert format_wareki_partial(PartialDate(year=2019), gannen=False) == "令和1年"


@pytest.mark.parametrize(("value", "expected"), [
    (PartialDate(year=1950, approximate=True), "1950年頃"),
    (PartialDate(year=1950, month=4, day=1), "1950年4月1日"),
    (PartialDate(era="令和"), "不詳"),
])
def test_seireki_partial_form_for_foreign_residents(value: PartialDate, expected: str) -> None:
    assert format_seireki_partial(value) == expected


def test_sorting_puts_less_precise_dates_first_and_unknown_years_last() -> None:
    values = [PartialDate(), PartialDate(year=1950, month=4, day=1), PartialDate(era="令和"),
              PartialDate(year=1950), PartialDate(year=1949, month=12), PartialDate(era="昭和")]
    assert [str(v) for v in sorted(values, key=PartialDate.sort_key)] == [
        "1949-12", "1950", "1950-04-01", "XXXX", "昭和XXXX", "令和XXXX"]


def test_a_complete_date_is_a_date() -> None:
    assert PartialDate.of(date(1950, 4, 1)).as_date() == date(1950, 4, 1)
    assert PartialDate(year=1950, month=4).as_date() is None


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day", "unknown", "era"]))
    approximate = draw(st.booleans())
    if precision == "unknown":
        return PartialDate(approximate=approximate)
    if precision == "era":
        return PartialDate(era=draw(st.sampled_from(["明治", "大正", "昭和", "平成", "令和"])),
                           approximate=approximate)
    return PartialDate(year=day.year, month=None if precision == "year" else day.month,
                       day=day.day if precision == "day" else None, approximate=approximate)


@PROPERTY
@given(partial_dates())
def test_the_string_form_round_trips(value: PartialDate) -> None:
    assert PartialDate.parse(str(value)) == value
    if value.year is not None or value.era is not None:
        assert format_wareki_partial(value).endswith("頃") == value.approximate
