"""Schedules: the slot due at a moment, in Japan time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kyodo_automation.domain.schedule import ScheduleInvalid, due_slot, parse_cron


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
    weekdays_at_nine = {"cron": "0 9 * * 1-5"}
    assert due_slot(weekdays_at_nine, at("2026-04-01T09:00:30")) == "2026-04-01T09:00"  # Wed
    assert due_slot(weekdays_at_nine, at("2026-04-01T09:01")) is None
    assert due_slot(weekdays_at_nine, at("2026-04-04T09:00")) is None  # Saturday
    assert due_slot({"cron": "*/20 8-17 1,15 * *"}, at("2026-04-15T08:40")) is not None
    assert due_slot({"cron": "0 0 * * 0"}, at("2026-04-05T00:00")) is not None  # Sunday
    assert due_slot({"cron": "0 0 * * 7"}, at("2026-04-05T00:00")) is not None


@pytest.mark.parametrize("text", ["0 9 * *", "60 * * * *", "* 24 * * *", "a * * * *",
                                  "*/0 * * * *", "5-1 * * * *"])
def test_a_broken_cron_is_refused(text: str) -> None:
    with pytest.raises(ScheduleInvalid):
        parse_cron(text)
