"""Running a bulk job: chunk after chunk, each committed with the cursor that says how far.

The job fixes its persons when it starts (everyone registered here at the end of 1 January
who has a salary report or a declaration), numbered in ``seq`` order. A chunk is read and
computed in one short transaction, then written in another that locks the job row, checks that
the cursor still stands where the chunk begins, writes the assessments and events and moves the
cursor. While one chunk is written, the next one is computed: the database and Python work at
the same time. A crash loses at most the chunk in flight, which the next run repeats from the
committed cursor; a second runner that lost the race finds the cursor moved and starts again
from it. Every person is assessed once (and a unique index on (job, person) would refuse a
second time).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kyodo_common.db import Database
from kyodo_tax.adapters.bulk_jobs import bulk_run
from kyodo_tax.domain.ages import assessment_date
from kyodo_tax.service_layer.assessing import Batch, Timings, assess_taxpayers
from kyodo_tax.service_layer.context import SOURCE, TaxContext
from kyodo_tax.service_layer.lookups import rules_for, tax_config

Fault = Callable[[int], None]


@dataclass(frozen=True)
class Position:
    fiscal_year: int
    cursor: int
    total: int


@dataclass(frozen=True)
class Computed:
    start: int
    persons: int
    batch: Batch


async def _position(db: Database, job_id: UUID, code: str, timings: Timings
                    ) -> Position | None:
    """Where the job stands; a queued job takes its snapshot of persons first."""
    async with bulk_run(db, code) as run:
        job = await run.position(job_id)
        if job is None or job["state"] in ("finished", "failed"):
            return None
        if job["state"] == "running":
            return Position(job["fiscal_year"], job["cursor"], job["total"])
        started = time.perf_counter()
        total = await run.snapshot(job_id, code=code, day=assessment_date(job["fiscal_year"]),
                                   fiscal_year=job["fiscal_year"])
        timings.add("snapshot of the taxpayers", started)
        return Position(job["fiscal_year"], 0, total)


async def _compute(db: Database, job_id: UUID, code: str, *, fiscal_year: int, start: int,
                   context: TaxContext, today: date, timings: Timings) -> Computed:
    """Reads and assesses the chunk after ``start`` (a read-only transaction of its own)."""
    async with bulk_run(db, code) as run:
        taxpayers = await run.chunk(job_id, start, start + context.chunk_size)
        batch = await assess_taxpayers(await run.inputs(), taxpayers,
                                       rules=rules_for(context.rule_book, fiscal_year),
                                       config=await tax_config(run.register),
                                       allow_unverified=context.allow_unverified, today=today,
                                       timings=timings, yield_every=500)
    return Computed(start, len(taxpayers), batch)


async def _write(db: Database, job_id: UUID, code: str, computed: Computed, *, today: date,
                 timings: Timings, fault: Fault | None) -> bool:
    """Commits the chunk if the cursor still stands at its start (False: someone else did)."""
    batch, lap = computed.batch, timings.lap()
    async with bulk_run(db, code) as run:
        cursor = await run.cursor_for_update(job_id)
        lap("wait for the job row")
        if cursor != computed.start:
            return False
        await run.write(batch.assessed, municipality_code=code, job_id=job_id,
                        assessed_on=today, source=SOURCE, lap=lap)
        if batch.refused:
            await run.refuse(job_id, code, batch.refused)
        if fault is not None:
            fault(computed.start)  # tests: a crash after the writes, before the commit
        corrected = sum(1 for a in batch.assessed if a.outcome.is_correction)
        await run.progress(job_id, cursor=computed.start + computed.persons,
                           assessed=len(batch.assessed) - corrected, corrected=corrected,
                           unchanged=len(batch.unchanged), refused=len(batch.refused))
        lap("job progress")
    lap("commit")
    return True


async def _finish(db: Database, job_id: UUID, code: str, total: int) -> None:
    async with bulk_run(db, code) as run:
        await run.finish(job_id, total)


async def run_job(db: Database, *, job_id: UUID, code: str, context: TaxContext, today: date,
                  timings: Timings | None = None, fault: Fault | None = None,
                  should_stop: Callable[[], bool] = lambda: False) -> None:
    """Runs the job from wherever it stands (queued, or running after a crash) to its end, or
    until asked to stop between two chunks."""
    timings = timings or Timings()
    with _fewer_collections():
        await _run(db, job_id=job_id, code=code, context=context, today=today, timings=timings,
                   fault=fault, should_stop=should_stop)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A chunk allocates hundreds of thousands of small objects that all live until it is
    written: the default gen-0 threshold (700) runs the cyclic collector over them again and
    again, a quarter of the job's CPU. Nothing here makes cycles, so collect far less often."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


async def _run(db: Database, *, job_id: UUID, code: str, context: TaxContext, today: date,
               timings: Timings, fault: Fault | None, should_stop: Callable[[], bool]) -> None:
    while not should_stop():
        position = await _position(db, job_id, code, timings)
        if position is None:
            return
        if position.cursor >= position.total:
            await _finish(db, job_id, code, position.total)
            return

        def compute(start: int, fiscal_year: int = position.fiscal_year) -> asyncio.Task[Computed]:
            return asyncio.ensure_future(_compute(db, job_id, code, fiscal_year=fiscal_year,
                                                  start=start, context=context, today=today,
                                                  timings=timings))

        pending = compute(position.cursor)
        try:
            while not should_stop():
                computed = await pending
                if computed.persons == 0:
                    break
                pending = compute(computed.start + computed.persons)  # while this one writes
                if not await _write(db, job_id, code, computed, today=today, timings=timings,
                                    fault=fault):
                    break  # another runner moved the cursor: start again from where it is
        finally:
            if not pending.done():
                pending.cancel()
                await asyncio.gather(pending, return_exceptions=True)
