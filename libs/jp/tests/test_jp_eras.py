"""和暦 conversion: the era table, its boundary days and round trips (DOMAIN.md §2)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo_jp.eras import (
    ERAS,
    Era,
    WarekiError,
    find_era,
    format_seireki,
    format_wareki,
    from_wareki,
    load_eras,
    to_wareki,
)

PROPERTY = settings(database=None, deadline=None, max_examples=500)
FIRST, LAST = date(1873, 1, 1), date(2100, 12, 31)


@pytest.mark.parametrize(("name", "romaji", "first_day"), [
    ("明治", "Meiji", date(1873, 1, 1)),
    ("大正", "Taisho", date(1912, 7, 30)),
    ("昭和", "Showa", date(1926, 12, 25)),
    ("平成", "Heisei", date(1989, 1, 8)),
    ("令和", "Reiwa", date(2019, 5, 1)),
])
def test_the_era_table_is_the_domain_table(name: str, romaji: str, first_day: date) -> None:
    era = find_era(name)
    assert (era.romaji, era.first_day) == (romaji, first_day)
    assert find_era(romaji.upper()) is era


def test_the_table_lists_the_eras_in_order_and_only_the_current_one_is_open() -> None:
    assert [era.name for era in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
    assert [era.last_day for era in ERAS] == [
        date(1912, 7, 30), date(1926, 12, 25), date(1989, 1, 7), date(2019, 4, 30), None]


@pytest.mark.parametrize(("day", "expected"), [
    (date(1873, 1, 1), "明治6年1月1日"),  # Gregorian calendar adopted: conversion starts here
    (date(1912, 7, 29), "明治45年7月29日"),
    (date(1912, 7, 30), "大正元年7月30日"),  # also 明治45年7月30日: the newer era is given
    (date(1926, 12, 24), "大正15年12月24日"),
    (date(1926, 12, 25), "昭和元年12月25日"),  # also 大正15年12月25日
    (date(1927, 1, 1), "昭和2年1月1日"),
    (date(1989, 1, 7), "昭和64年1月7日"),
    (date(1989, 1, 8), "平成元年1月8日"),
    (date(2019, 4, 30), "平成31年4月30日"),
    (date(2019, 5, 1), "令和元年5月1日"),
    (date(2020, 1, 1), "令和2年1月1日"),
    (date(2024, 1, 1), "令和6年1月1日"),
])
def test_boundary_days_are_written_in_their_era(day: date, expected: str) -> None:
    assert format_wareki(day) == expected


def test_gannen_is_configurable() -> None:
    assert format_wareki(date(2019, 5, 1), gannen=False) == "令和1年5月1日"
    assert format_wareki(date(2024, 1, 1), gannen=False) == "令和6年1月1日"


@pytest.mark.parametrize(("era", "year", "month", "day", "expected"), [
    ("明治", 6, 1, 1, date(1873, 1, 1)),
    ("明治", 45, 7, 30, date(1912, 7, 30)),
    ("大正", 1, 7, 30, date(1912, 7, 30)),
    ("大正", 15, 12, 25, date(1926, 12, 25)),
    ("昭和", 1, 12, 25, date(1926, 12, 25)),
    ("昭和", 64, 1, 7, date(1989, 1, 7)),
    ("平成", 1, 1, 8, date(1989, 1, 8)),
    ("平成", 31, 4, 30, date(2019, 4, 30)),
    ("令和", 1, 5, 1, date(2019, 5, 1)),
    ("Reiwa", 6, 1, 1, date(2024, 1, 1)),
])
def test_from_wareki_reads_both_spellings_of_a_shared_day(
        era: str, year: int, month: int, day: int, expected: date) -> None:
    assert from_wareki(era, year, month, day) == expected


@pytest.mark.parametrize(("era", "year", "month", "day"), [
    ("平成", 32, 1, 1),  # 平成 ended in its 31st year
    ("平成", 31, 5, 1),
    ("昭和", 64, 1, 8),
    ("明治", 45, 7, 31),
    ("大正", 1, 7, 29),
    ("大正", 15, 12, 26),
    ("令和", 1, 4, 30),
    ("明治", 5, 12, 31),  # before the Gregorian calendar
    ("令和", 0, 5, 1),
    ("令和", 6, 2, 30),
    ("天保", 1, 1, 1),
])
def test_from_wareki_refuses_days_outside_the_era(era: str, year: int, month: int,
                                                  day: int) -> None:
    with pytest.raises(WarekiError):
        from_wareki(era, year, month, day)


def test_days_before_1873_cannot_be_converted() -> None:
    with pytest.raises(WarekiError):
        to_wareki(date(1872, 12, 31))


def test_seireki_is_year_month_day() -> None:
    assert format_seireki(date(2024, 1, 1)) == "2024年1月1日"


def test_a_new_era_is_a_line_of_data() -> None:
    table = {"eras": [
        {"name": "平成", "romaji": "Heisei", "first_day": "1989-01-08"},
        {"name": "令和", "romaji": "Reiwa", "first_day": "2019-05-01"},
        {"name": "新元", "romaji": "Shingen", "first_day": "2090-04-01"},
    ]}
    eras = load_eras(json.dumps(table))
    assert format_wareki(date(2090, 4, 1), eras=eras) == "新元元年4月1日"
    assert format_wareki(date(2090, 3, 31), eras=eras) == "令和72年3月31日"
    with pytest.raises(WarekiError):
        from_wareki("令和", 72, 4, 1, eras=eras)


def test_a_table_out_of_order_is_refused() -> None:
    table = {"eras": [{"name": "令和", "romaji": "Reiwa", "first_day": "2019-05-01"},
                      {"name": "平成", "romaji": "Heisei", "first_day": "1989-01-08"}]}
    with pytest.raises(ValueError, match="order"):
        load_eras(json.dumps(table))


def test_every_day_from_1873_to_2100_round_trips() -> None:
    day = FIRST
    while day <= LAST:
        wareki = to_wareki(day)
        assert from_wareki(wareki.era.name, wareki.year, wareki.month, wareki.day) == day
        day += timedelta(days=1)


@PROPERTY
@given(st.dates(min_value=FIRST, max_value=LAST))
def test_to_wareki_and_from_wareki_round_trip(day: date) -> None:
    wareki = to_wareki(day)
    assert from_wareki(wareki.era.name, wareki.year, wareki.month, wareki.day) == day
    assert wareki.era.contains(day)


@PROPERTY
@given(st.dates(min_value=FIRST, max_value=LAST))
def test_era_years_start_at_one(day: date) -> None:
    assert to_wareki(day).year >= 1


@PROPERTY
@given(st.sampled_from(ERAS[1:]))
def test_the_first_day_of_an_era_is_its_gannen(era: Era) -> None:
    wareki = to_wareki(era.first_day)
    assert (wareki.era, wareki.year, wareki.month, wareki.day) == (
        era, 1, era.first_day.month, era.first_day.day)
    assert to_wareki(era.first_day - timedelta(days=1)).era != era


def test_meiji_is_converted_from_its_sixth_year() -> None:
    assert to_wareki(ERAS[0].first_day).year == 6
