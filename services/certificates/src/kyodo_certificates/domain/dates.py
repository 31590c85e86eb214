"""Dates on certificates: 和暦 (元年 configurable), 西暦 for foreign residents' birth dates."""

from __future__ import annotations

from datetime import date

from kyodo_jp.eras import WarekiError, format_seireki, format_wareki
from kyodo_jp.partial_dates import PartialDate, format_seireki_partial, format_wareki_partial


def wareki(day: date | None, *, gannen: bool = True) -> str:
    if day is None:
        return ""
    try:
        return format_wareki(day, gannen=gannen)
    except WarekiError:  # before 1873: no 和暦 conversion; the Gregorian day is still true
        return format_seireki(day)


def birth_date_text(day: date | None, partial: str | None, *, foreign: bool,
                    gannen: bool = True) -> str:
    """生年月日: 和暦 for Japanese nationals, 西暦 only for foreign residents (DOMAIN §2)."""
    if day is not None:
        return format_seireki(day) if foreign else wareki(day, gannen=gannen)
    if partial:
        value = PartialDate.parse(partial)
        return format_seireki_partial(value) if foreign else \
            format_wareki_partial(value, gannen=gannen)
    return "不詳"


def fiscal_year_text(fiscal_year: int, *, gannen: bool = True) -> str:
    """令和6年度: named after the era year the fiscal year starts in, as the era stands at the
    end of that calendar year (2019 → 令和元年度, not 平成31年度)."""
    text = wareki(date(fiscal_year, 12, 31), gannen=gannen)
    return text[:text.index("年") + 1] + "度"


def calendar_year_text(year: int, *, gannen: bool = True) -> str:
    """令和5年分: the era year of 31 December (the income year of a tax certificate)."""
    text = wareki(date(year, 12, 31), gannen=gannen)
    return text[:text.index("年") + 1] + "分"
