"""削減時間: items processed × the minutes a person needs for one, per scenario and month."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class ScenarioMonth:
    scenario: str
    runs: int
    items_done: int
    items_failed: int
    minutes_per_item: float  # summed over runs: minutes_done / items_done gives the mean
    minutes_saved: float


def _rate(failed: int, done: int) -> float:
    total = failed + done
    return round(failed / total, 4) if total else 0.0


def report(month: str, rows: Iterable[ScenarioMonth]) -> dict[str, Any]:
    """What the seed's before/after table shows: items, hours saved, failure rate."""
    scenarios: list[dict[str, Any]] = [{
        "scenario": r.scenario, "runs": r.runs, "items_processed": r.items_done,
        "items_failed": r.items_failed, "minutes_per_item": r.minutes_per_item,
        "hours_saved": round(r.minutes_saved / 60, 2),
        "failure_rate": _rate(r.items_failed, r.items_done)} for r in rows]
    done = sum(s["items_processed"] for s in scenarios)
    failed = sum(s["items_failed"] for s in scenarios)
    return {"month": month, "scenarios": scenarios, "items_processed": done,
            "items_failed": failed,
            "hours_saved": round(sum(s["hours_saved"] for s in scenarios), 2),
            "failure_rate": _rate(failed, done)}


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """YYYY-MM in Japan time, as [start, end)."""
    year, number = (int(p) for p in month.split("-"))
    end = date(year + number // 12, number % 12 + 1, 1)
    return (datetime(year, number, 1, tzinfo=JAPAN),
            datetime(end.year, end.month, 1, tzinfo=JAPAN))
