"""Schedules: `every: 15m | 2h | 1d` or a five-field `cron` in Japan time. Each due moment is
a *slot* with a stable name, so a slot is run once however many workers look at it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")
_UNITS = {"m": 60, "h": 3600, "d": 86400}
# minute hour day-of-month month day-of-week (0 or 7 = Sunday)
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12),
           ("weekday", 0, 7))


class ScheduleInvalid(ValueError):
    pass


def period_seconds(every: str) -> int:
    return int(every[:-1]) * _UNITS[every[-1]]


def _field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, last = body.split("-", 1)
            start, end = int(first), int(last)
        else:
            start = end = int(body)
            if step_text:
                end = high
        if step < 1 or not (low <= start <= end <= high):
            raise ScheduleInvalid(f"{part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def parse_cron(text: str) -> tuple[frozenset[int], ...]:
    parts = text.split()
    if len(parts) != 5:
        raise ScheduleInvalid("five fields: minute hour day month weekday")
    try:
        fields = tuple(_field(p, low, high) for p, (_, low, high) in zip(parts, _FIELDS,
                                                                        strict=True))
    except ValueError as exc:
        raise ScheduleInvalid(str(exc) if isinstance(exc, ScheduleInvalid)
                              else f"not a cron field: {exc}") from None
    minute, hour, day, month, weekday = fields
    return minute, hour, day, month, frozenset(d % 7 for d in weekday)


def _cron_matches(fields: tuple[frozenset[int], ...], at: datetime) -> bool:
    minute, hour, day, month, weekday = fields
    return (at.minute in minute and at.hour in hour and at.day in day
            and at.month in month and (at.isoweekday() % 7) in weekday)


def due_slot(schedule: Mapping[str, Any], now: datetime) -> str | None:
    """The slot due at ``now`` (an aware datetime), or None.

    ``every`` slots are aligned on midnight in Japan (so `1d` runs at 0:00 JST); a cron slot
    is the minute it names. A slot missed while no worker ran is not caught up."""
    local = now.astimezone(JAPAN)
    if "every" in schedule:
        period = period_seconds(schedule["every"])
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        into_day = int((local - midnight).total_seconds())
        if period <= 86400:
            start = midnight + timedelta(seconds=into_day // period * period)
        else:
            days = period // 86400
            ordinal = midnight.toordinal()
            start = midnight - timedelta(days=ordinal % days)
        return start.strftime("%Y-%m-%dT%H:%M")
    if _cron_matches(parse_cron(schedule["cron"]), local):
        return local.strftime("%Y-%m-%dT%H:%M")
    return None
