"""The residents worker runs the completion of announced 転出 by itself (docs/operations.md):
nobody has to call the route."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kyodo_residents import worker


async def test_the_worker_runs_the_completion_loop_at_its_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KYODO_ANNOUNCED_COMPLETION_INTERVAL_SECONDS", "42")
    given: dict[str, Any] = {}
    looked: list[tuple[str, float]] = []

    async def run_worker(settings: Any, **options: Any) -> None:
        given.update(options, database_url=settings.database_url)

    async def run_completion_loop(url: str, stop: asyncio.Event, *,
                                  interval_seconds: float) -> None:
        looked.append((url, interval_seconds))

    monkeypatch.setattr(worker, "run_worker", run_worker)
    monkeypatch.setattr(worker, "run_completion_loop", run_completion_loop)
    await worker.main()
    assert given["subscriptions"] == worker.SUBSCRIPTIONS
    [loop] = given["also_run"]
    await loop(asyncio.Event())
    assert looked == [(given["database_url"], 42.0)]
