"""A worker's loops are restarted after a failure: at once after a long healthy run, with
growing waits while they keep failing (kyodo_common.worker._keep_running)."""

from __future__ import annotations

import asyncio

import pytest

from kyodo_common import worker


async def test_the_wait_comes_down_after_a_healthy_run(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = {"now": 0.0}
    waits: list[float] = []
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock["now"])
    stop = asyncio.Event()

    async def record_wait(_: asyncio.Event, seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(worker, "sleep_or_stop", record_wait)
    # Four quick failures (the broker away), an hour of health, then a failure (a rotation).
    runs = iter([0.0, 0.0, 0.0, 0.0, 3600.0, 0.0])

    async def run(_: asyncio.Event) -> None:
        seconds = next(runs, None)
        if seconds is None:
            stop.set()
            return
        clock["now"] += seconds
        raise ConnectionError("broker away")

    await worker._keep_running("consumer", run, stop)
    assert waits == [0.5, 1.0, 2.0, 4.0, 0.5, 1.0]
