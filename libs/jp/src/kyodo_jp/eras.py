"""和暦: Japanese era dates, from the era table in the packaged eras.json (DOMAIN.md §2)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from itertools import pairwise
from typing import Any


class WarekiError(ValueError):
    """A date that cannot be written, or read, in 和暦."""


@dataclass(frozen=True)
class Era:
    """元号: an era, from its first day to its last (None while it is the current era)."""

    name: str
    romaji: str
    first_day: date
    last_day: date | None
    year_one: int

    def contains(self, day: date) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True)
class WarekiDate:
    """和暦の日付: a day as era, era year (1 is 元年), month and day."""

    era: Era
    year: int
    month: int
    day: int


def load_eras(text: str) -> tuple[Era, ...]:
    """The era table from the JSON of eras.json; each era ends where the next one starts."""
    entries: list[dict[str, Any]] = json.loads(text)["eras"]
    firsts = [date.fromisoformat(entry["first_day"]) for entry in entries]
    if not firsts or any(a >= b for a, b in pairwise(firsts)):
        raise ValueError("the era table needs at least one era, in order of first day")
    eras: list[Era] = []
    for index, (entry, first) in enumerate(zip(entries, firsts, strict=True)):
        last: date | None = None
        if index + 1 < len(entries):
            following = entries[index + 1]
            # On 1912-07-30 and 1926-12-25 the era changed during the day, so that day is
            # written in both eras; otherwise the new era starts the day after the old one ends.
            shared = bool(following.get("shares_first_day", False))
            last = firsts[index + 1] - (timedelta(0) if shared else timedelta(days=1))
        era = Era(name=entry["name"], romaji=entry["romaji"], first_day=first, last_day=last,
                  year_one=int(entry.get("year_one", first.year)))
        if era.year_one > first.year:
            raise ValueError(f"era {era.name}: 元年 after its first day")
        eras.append(era)
    if len({era.name for era in eras}) != len(eras):
        raise ValueError("era names must be unique")
    return tuple(eras)


ERAS: tuple[Era, ...] = load_eras(
    resources.files("kyodo_jp").joinpath("eras.json").read_text(encoding="utf-8"))


def to_wareki(day: date, *, eras: tuple[Era, ...] = ERAS) -> WarekiDate:
    """The 和暦 of a day; a day in two eras is given in the newer one."""
    if day < eras[0].first_day:
        raise WarekiError(f"{day.isoformat()} is before {eras[0].first_day.isoformat()}, "
                          "the first day converted to 和暦")
    era = next(era for era in reversed(eras) if era.first_day <= day)
    return WarekiDate(era=era, year=day.year - era.year_one + 1, month=day.month, day=day.day)


def find_era(name: str, *, eras: tuple[Era, ...] = ERAS) -> Era:
    """The era called `name` (明治) or `romaji` (Meiji, any case)."""
    for era in eras:
        if name == era.name or name.casefold() == era.romaji.casefold():
            return era
    raise WarekiError(f"unknown era {name!r}")


def from_wareki(era_name: str, year: int, month: int, day: int, *,
                eras: tuple[Era, ...] = ERAS) -> date:
    """The Gregorian day of a 和暦 date; refuses days outside the era (平成32年, 昭和64年1月8日)."""
    era = find_era(era_name, eras=eras)
    if year < 1:
        raise WarekiError(f"{era.name}{year}年: era years start at 1 (元年)")
    try:
        result = date(era.year_one + year - 1, month, day)
    except ValueError as invalid:
        raise WarekiError(f"{era.name}{year}年{month}月{day}日 is not a day: {invalid}") from None
    if not era.contains(result):
        raise WarekiError(f"{era.name}{year}年{month}月{day}日 is outside {era.name} "
                          f"({_span(era)})")
    return result


def era_year_text(era: Era, year: int, *, gannen: bool = True) -> str:
    """令和元年 / 令和6年: year 1 is written 元年 on certificates unless `gannen` is off."""
    return f"{era.name}{'元' if gannen and year == 1 else year}年"


def format_wareki(day: date, *, gannen: bool = True, eras: tuple[Era, ...] = ERAS) -> str:
    """和暦表記: 令和元年5月1日, 令和6年1月1日."""
    wareki = to_wareki(day, eras=eras)
    return f"{era_year_text(wareki.era, wareki.year, gannen=gannen)}{day.month}月{day.day}日"


def format_seireki(day: date) -> str:
    """西暦表記: 2024年1月1日, the form used for foreign residents."""
    return f"{day.year}年{day.month}月{day.day}日"


def _span(era: Era) -> str:
    last = era.last_day.isoformat() if era.last_day else ""
    return f"{era.first_day.isoformat()}..{last}"
