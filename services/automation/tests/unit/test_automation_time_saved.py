"""The time-saved report: hours from items × minutes, failure rate, months in Japan time."""

from __future__ import annotations

from datetime import UTC, datetime

from kyodo_automation.domain.time_saved import ScenarioMonth, month_bounds, report


def test_hours_saved_and_failure_rate_per_scenario_and_in_total() -> None:
    body = report("2026-04", [
        ScenarioMonth("intake", runs=2, items_done=990, items_failed=10, minutes_per_item=3,
                      minutes_saved=2970),
        ScenarioMonth("switch", runs=5, items_done=5, items_failed=0, minutes_per_item=12,
                      minutes_saved=60)])
    assert body["scenarios"][0] | {} == {
        "scenario": "intake", "runs": 2, "items_processed": 990, "items_failed": 10,
        "minutes_per_item": 3, "hours_saved": 49.5, "failure_rate": 0.01}
    assert (body["items_processed"], body["hours_saved"]) == (995, 50.5)
    assert body["failure_rate"] == round(10 / 1005, 4)
    assert report("2026-05", [])["failure_rate"] == 0.0


def test_a_month_is_counted_in_japan_time() -> None:
    start, end = month_bounds("2026-04")
    assert start.astimezone(UTC) == datetime(2026, 3, 31, 15, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 4, 30, 15, tzinfo=UTC)
    december = month_bounds("2026-12")
    assert december[1].year == 2027 and december[1].month == 1
