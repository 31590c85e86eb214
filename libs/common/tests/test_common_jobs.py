"""The durable job loop: every runnable job once a round; a failure is recorded, not fatal."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

from kyodo_common.jobs import JobQueue, run_pending

QUEUE = JobQueue(name="test job", channel="test", runnable_sql="SELECT 1")


class FakeDatabase:
    def __init__(self, jobs: list[tuple[str, str]]) -> None:
        self.jobs = jobs

    @asynccontextmanager
    async def platform_transaction(self) -> AsyncIterator[Any]:
        rows = [SimpleNamespace(job_id=j, municipality_code=c) for j, c in self.jobs]

        class Session:
            async def execute(self, _: object) -> Any:
                return SimpleNamespace(all=lambda: rows)

        yield Session()


async def test_a_failing_job_is_recorded_and_the_others_still_run() -> None:
    ran: list[str] = []
    failures: list[tuple[str, str, str]] = []

    async def run_one(db: Any, job_id: str, code: str, should_stop: Callable[[], bool]) -> None:
        if job_id == "broken":
            raise RuntimeError("chunk 3 failed")
        ran.append(job_id)

    async def record_failure(db: Any, job_id: str, code: str, error: str) -> None:
        failures.append((job_id, code, error))

    db = FakeDatabase([("a", "152048"), ("broken", "152021"), ("b", "152111")])
    completed = await run_pending(db, QUEUE, asyncio.Event(), run_one=run_one,  # type: ignore[arg-type]
                                  record_failure=record_failure)
    assert completed == 2 and ran == ["a", "b"]
    assert failures == [("broken", "152021", "RuntimeError: chunk 3 failed")]


async def test_a_stop_request_ends_the_round_before_the_next_job() -> None:
    stop = asyncio.Event()
    ran: list[str] = []

    async def run_one(db: Any, job_id: str, code: str, should_stop: Callable[[], bool]) -> None:
        ran.append(job_id)
        stop.set()

    async def record_failure(db: Any, job_id: str, code: str, error: str) -> None:
        raise AssertionError("nothing fails here")

    db = FakeDatabase([("a", "152048"), ("b", "152048")])
    assert await run_pending(db, QUEUE, stop, run_one=run_one,  # type: ignore[arg-type]
                             record_failure=record_failure) == 1
    assert ran == ["a"]
