"""Schedules: the slot due at a moment, in Japan time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kyodo_automation.domain.schedule import ScheduleInvalid, describe, due_slot, parse_cron


def at(text: str) -> datetime:
    """A moment given in Japan time (UTC+9)."""
    moment = datetime.fromisoformat(text + "+09:00")
    return moment.astimezone(UTC)


def test_every_slots_are_aligned_on_midnight_in_japan() -> None:
    assert due_slot({"every": "15m"}, at("2026-04-01T09:14:59")) == "2026-04-01T09:00"
    assert due_slot({"every": "15m"}, at("2026-04-01T09:15:00")) == "2026-04-01T09:15"
    assert due_slot({"every": "1d"}, at("2026-04-01T00:30")) == "2026-04-01T00:00"
    assert due_slot({"every": "1d"}, at("2026-04-01T23:59")) == "2026-04-01T00:00"
    assert due_slot({"every": "7h"}, at("2026-04-01T15:00")) == "2026-04-01T14:00"


def test_a_multi_day_period_keeps_the_same_slot_for_its_days() -> None:
    slots = {due_slot({"every": "2d"}, at(f"2026-04-{d:02d}T12:00")) for d in (1, 2)}
    assert len(slots) in (1, 2)
    assert due_slot({"every": "2d"}, at("2026-04-01T12:00")) == due_slot(
        {"every": "2d"}, at("2026-04-01T23:00"))


def test_cron_names_minutes_in_japan_time() -> None:
    weekdays_at_nine = {"cron": "0 9 * * 1-5", "catch_up": "none"}
    assert due_slot(weekdays_at_nine, at("2026-04-01T09:00:30")) == "2026-04-01T09:00"  # Wed
    assert due_slot(weekdays_at_nine, at("2026-04-01T09:05")) is None
    assert due_slot(weekdays_at_nine, at("2026-04-04T09:00")) is None  # Saturday
    assert due_slot({"cron": "*/20 8-17 1,15 * *"}, at("2026-04-15T08:40")) == "2026-04-15T08:40"
    assert due_slot({"cron": "0 0 * * 0"}, at("2026-04-05T00:00")) == "2026-04-05T00:00"  # Sun
    assert due_slot({"cron": "0 0 * * 7"}, at("2026-04-05T00:00")) == "2026-04-05T00:00"


@pytest.mark.parametrize("text", ["0 9 * *", "60 * * * *", "* 24 * * *", "a * * * *",
                                  "*/0 * * * *", "5-1 * * * *"])
def test_a_broken_cron_is_refused(text: str) -> None:
    with pytest.raises(ScheduleInvalid):
        parse_cron(text)


def test_a_day_of_month_and_a_weekday_fire_on_either() -> None:
    """Standard cron: `0 9 1 * 1` is 09:00 JST on the 1st *or* on a Monday."""
    on_time = {"cron": "0 9 1 * 1", "catch_up": "none"}
    fired = [day for day in range(1, 31)
             if due_slot(on_time, at(f"2026-04-{day:02d}T09:00")) is not None]
    assert fired == [1, 6, 13, 20, 27]  # 1 April 2026 is a Wednesday; the rest are Mondays
    assert due_slot(on_time, at("2026-04-01T09:00")) == "2026-04-01T09:00"
    assert due_slot(on_time, at("2026-04-06T09:00:59")) == "2026-04-06T09:00"
    assert due_slot(on_time, at("2026-04-06T08:59")) is None


def test_the_slots_are_the_minutes_in_japan_time_not_utc() -> None:
    # 09:00 JST on Monday 6 April is 00:00 UTC that day; 09:00 UTC would be 18:00 JST.
    assert due_slot({"cron": "0 9 1 * 1", "catch_up": "none"},
                    datetime(2026, 4, 6, 0, 0, tzinfo=UTC)) == "2026-04-06T09:00"
    assert due_slot({"cron": "0 9 1 * 1", "catch_up": "none"},
                    datetime(2026, 4, 6, 9, 0, tzinfo=UTC)) is None


def test_a_worker_back_from_being_down_runs_the_latest_missed_slot_once() -> None:
    daily = {"cron": "0 9 * * *"}
    # down from the 1st at 08:00 until the 3rd at 11:30: the slots of the 1st, 2nd and 3rd
    # were missed; the latest is the one due, and it stays the same slot (the scheduler's
    # schedule_slots row makes it run once).
    assert due_slot(daily, at("2026-04-03T11:30")) == "2026-04-03T09:00"
    assert due_slot(daily, at("2026-04-03T23:59")) == "2026-04-03T09:00"
    assert due_slot(daily, at("2026-04-04T08:59")) == "2026-04-03T09:00"
    assert due_slot(daily, at("2026-04-04T09:00")) == "2026-04-04T09:00"


def test_catch_up_none_skips_a_slot_seen_late() -> None:
    daily = {"cron": "0 9 * * *", "catch_up": "none"}
    assert due_slot(daily, at("2026-04-03T09:04:59")) == "2026-04-03T09:00"
    assert due_slot(daily, at("2026-04-03T09:05")) is None
    assert due_slot({"every": "1d", "catch_up": "none"}, at("2026-04-03T11:00")) is None


def test_a_cron_moment_before_the_schedule_was_saved_is_not_missed() -> None:
    weekly = {"cron": "0 9 * * 1"}
    saved = at("2026-04-08T10:00")  # a Wednesday
    assert due_slot(weekly, at("2026-04-08T10:00:20"), since=saved) is None
    assert due_slot(weekly, at("2026-04-13T09:00:20"), since=saved) == "2026-04-13T09:00"
    assert due_slot({"cron": "0 9 * * *"}, at("2026-04-08T09:00:40"),
                    since=at("2026-04-08T09:00:30")) == "2026-04-08T09:00"


def test_the_schedule_shown_names_its_time_zone_and_catch_up() -> None:
    assert describe({"cron": "0 9 1 * 1"}) == {
        "cron": "0 9 1 * 1", "timezone": "Asia/Tokyo", "catch_up": "latest"}
    assert describe({"every": "1d", "catch_up": "none"})["catch_up"] == "none"
