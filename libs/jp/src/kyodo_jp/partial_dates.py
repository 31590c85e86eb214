"""不詳・頃: birth and death dates that are partly unknown or approximate (DOMAIN.md §2)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from kyodo_jp.eras import ERAS, Era, era_year_text, find_era, to_wareki

UNKNOWN_YEAR = "XXXX"
APPROXIMATE = "~"  # the EDTF (ISO 8601-2) qualifier for "approximate"

_TEXT = re.compile(
    r"(?:(?P<era>[^\s0-9X~-]+)?XXXX"
    r"|(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?)"
    r"(?P<approximate>~)?")


@dataclass(frozen=True)
class PartialDate:
    """一部不詳の日付: year, month and day each optional; `approximate` is 「頃」.

    String form (EDTF-like): `1950`, `1950-04`, `1950-04-01`, `XXXX` (year unknown), `令和XXXX`
    (year unknown within a known era), each optionally followed by `~` (頃).
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    # Only with an unknown year (「令和○○年頃」): a known year already fixes the era.
    era: str | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a partial date with a day needs its month")
        if self.month is not None and self.year is None:
            raise ValueError("a partial date with a month needs its year")
        if self.era is not None:
            if self.year is not None:
                raise ValueError("the era is kept only when the year is unknown")
            # Store the era's own name even when it was given in romaji.
            object.__setattr__(self, "era", find_era(self.era).name)
        if self.year is not None:
            date(self.year, self.month or 1, self.day or 1)  # refuses 1950-02-30, month 13

    @classmethod
    def of(cls, day: date, *, approximate: bool = False) -> PartialDate:
        return cls(year=day.year, month=day.month, day=day.day, approximate=approximate)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _TEXT.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"not a partial date: {text!r}")
        parts = match.groupdict()

        def number(name: str) -> int | None:
            return None if parts[name] is None else int(parts[name])

        return cls(year=number("year"), month=number("month"), day=number("day"),
                   approximate=parts["approximate"] is not None, era=parts["era"])

    def __str__(self) -> str:
        if self.year is None:
            text = f"{self.era or ''}{UNKNOWN_YEAR}"
        else:
            text = f"{self.year:04d}"
            text += "" if self.month is None else f"-{self.month:02d}"
            text += "" if self.day is None else f"-{self.day:02d}"
        return text + (APPROXIMATE if self.approximate else "")

    def as_date(self) -> date | None:
        """The day itself when every part is known, approximate or not."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def latest_day(self) -> date | None:
        """The last day the date can stand for; None when the year is unknown."""
        if self.year is None:
            return None
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Known years in order, a less precise date first; unknown years last, by era."""
        if self.year is None:
            era_order = find_era(self.era).first_day.toordinal() if self.era else 0
            return (1, era_order, 0, 0, int(self.approximate))
        return (0, self.year, self.month or 0, self.day or 0, int(self.approximate))


def format_wareki_partial(value: PartialDate, *, gannen: bool = True,
                          eras: tuple[Era, ...] = ERAS) -> str:
    """和暦の一部不詳表記: 昭和25年頃, 昭和25年4月, 令和○○年頃; 不詳 when nothing is known."""
    suffix = "頃" if value.approximate else ""
    latest = value.latest_day()
    if latest is None:
        return f"{value.era}○○年{suffix}" if value.era else "不詳"
    # A year or month that spans two eras (1989: 昭和64年 and 平成元年) is written in the era it
    # ends in, as 和暦 year tables do; the choice is the same for every boundary.
    wareki = to_wareki(latest, eras=eras)
    text = era_year_text(wareki.era, wareki.year, gannen=gannen)
    text += "" if value.month is None else f"{value.month}月"
    text += "" if value.day is None else f"{value.day}日"
    return text + suffix


def format_seireki_partial(value: PartialDate) -> str:
    """西暦の一部不詳表記 for foreign residents: 1950年頃, 1950年4月; 不詳 without a year."""
    if value.year is None:
        return "不詳"
    text = f"{value.year}年"
    text += "" if value.month is None else f"{value.month}月"
    text += "" if value.day is None else f"{value.day}日"
    return text + ("頃" if value.approximate else "")
