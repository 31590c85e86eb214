"""Dates as the municipal offices see them: Japan Standard Time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def today_in_japan() -> date:
    return datetime.now(JST).date()
