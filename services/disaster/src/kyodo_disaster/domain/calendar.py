"""Months on the calendar: a window of one month from 31 January ends on 28/29 February."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
