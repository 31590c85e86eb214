"""Ages as the tax law counts them, and dependants' categories from their birth dates.

A person attains an age at the end of the day before the birthday (年齢計算ニ関スル法律), so
on 31 December someone born on 1 January is already a year older: the age on a day is the
common age on the next day.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache


def legal_age(birth: date, on: date) -> int:
    day = on + timedelta(days=1)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def income_year_end(fiscal_year: int) -> date:
    """31 December of the income year: the day dependants' ages are taken on."""
    return date(fiscal_year - 1, 12, 31)


def assessment_date(fiscal_year: int) -> date:
    """賦課期日: 1 January of the fiscal year."""
    return date(fiscal_year, 1, 1)


@cache
def _born_by(age: int, on: date) -> date:
    """The last birth date of someone who is ``age`` or older on ``on`` (a bulk run asks this
    for every person: comparing dates is much cheaper than computing each age)."""
    day = on + timedelta(days=1)
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - age, day=28)


def is_minor(birth: date, fiscal_year: int) -> bool:
    """未成年: under 18 on 1 January of the fiscal year."""
    return birth > _born_by(18, assessment_date(fiscal_year))


def aged_65_or_over(birth: date, fiscal_year: int) -> bool:
    """For the pension table: 65 or over on 31 December of the income year."""
    return birth <= _born_by(65, income_year_end(fiscal_year))


class DependantCategory(StrEnum):
    UNDER_16 = "under_16"  # 年少扶養親族
    GENERAL = "general"  # 一般
    SPECIFIED = "specified"  # 特定: 19 to 22
    ELDERLY = "elderly"  # 老人: 70 or over


def dependant_category(birth: date, fiscal_year: int) -> DependantCategory:
    age = legal_age(birth, income_year_end(fiscal_year))
    if age < 16:
        return DependantCategory.UNDER_16
    if 19 <= age <= 22:
        return DependantCategory.SPECIFIED
    if age >= 70:
        return DependantCategory.ELDERLY
    return DependantCategory.GENERAL
