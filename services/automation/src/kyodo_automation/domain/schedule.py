"""Schedules: `every: 15m | 2h | 1d` or a five-field `cron`, both in Japan time (Asia/Tokyo,
which has no daylight saving). Each due moment is a *slot* with a stable name, so a slot is run
once however many workers look at it.

`cron` is evaluated by cronsim (standard Vixie-cron semantics: when both day-of-month and
day-of-week are restricted, a day matching *either* fires, so `0 9 1 * 1` is the 1st and
every Monday). A slot missed while no worker ran is caught up once (`catch_up: latest`, the
default: only the latest missed slot runs) or not at all (`catch_up: none`: a slot runs only
if a worker sees it within ``ON_TIME`` of its moment)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

JAPAN = ZoneInfo("Asia/Tokyo")
CATCH_UP = ("latest", "none")
DEFAULT_CATCH_UP = "latest"
# The worker looks every 20 s; a slot still counts as on time this long after its moment.
ON_TIME = timedelta(minutes=5)
_UNITS = {"m": 60, "h": 3600, "d": 86400}
_FORMAT = "%Y-%m-%dT%H:%M"


class ScheduleInvalid(ValueError):
    pass


def period_seconds(every: str) -> int:
    return int(every[:-1]) * _UNITS[every[-1]]


def parse_cron(text: str) -> CronSim:
    """The expression checked (five fields, each in range); raises ScheduleInvalid."""
    if len(text.split()) != 5:
        raise ScheduleInvalid("five fields: minute hour day month weekday")
    try:
        return CronSim(text, datetime.now(JAPAN))
    except CronSimError as exc:
        raise ScheduleInvalid(f"{exc} ({_RANGES})") from None


_RANGES = "minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7 (0 or 7 = Sunday)"


def catch_up(schedule: Mapping[str, Any]) -> str:
    return str(schedule.get("catch_up", DEFAULT_CATCH_UP))


def describe(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """The schedule as the API shows it: its defaults made explicit."""
    kind = "cron" if "cron" in schedule else "every"
    return {kind: schedule[kind], "timezone": JAPAN.key, "catch_up": catch_up(schedule)}


def latest_slot(schedule: Mapping[str, Any], now: datetime) -> datetime | None:
    """The latest slot at or before ``now`` (an aware datetime), in Japan time.

    ``every`` slots are aligned on midnight in Japan (so `1d` is 0:00 JST); a cron slot is a
    minute the expression names."""
    local = now.astimezone(JAPAN)
    if "every" in schedule:
        period = period_seconds(schedule["every"])
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if period <= 86400:
            into_day = int((local - midnight).total_seconds())
            return midnight + timedelta(seconds=into_day // period * period)
        days = period // 86400
        return midnight - timedelta(days=midnight.toordinal() % days)
    # CronSim going backwards excludes its start: start at the next minute to include this one.
    start = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    try:
        return next(CronSim(schedule["cron"], start, reverse=True))
    except (CronSimError, StopIteration):
        return None


def due_slot(schedule: Mapping[str, Any], now: datetime, *,
             since: datetime | None = None) -> str | None:
    """The name of the slot to run at ``now``, or None.

    With `catch_up: latest` that is the latest slot at or before now, however long ago (a
    worker that was down runs the missed slot once on its return, not once per missed slot);
    with `none`, only a slot at most ``ON_TIME`` old. ``since`` (when the schedule in force was
    saved) bounds cron slots: a moment before the schedule existed was not missed. An `every`
    slot is the current period, due throughout it (a `1d` schedule saved at 10:00 runs today).
    """
    slot = latest_slot(schedule, now)
    if slot is None:
        return None
    if catch_up(schedule) == "none" and now - slot >= ON_TIME:
        return None
    if "cron" in schedule and since is not None \
            and slot < since.replace(second=0, microsecond=0):
        return None
    return slot.strftime(_FORMAT)
