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
from kyodo_tax.adapters.assessment_store import write_assessments
from kyodo_tax.adapters.raw import raw_connection
from kyodo_tax.domain.ages import assessment_date
from kyodo_tax.domain.residence import Taxpayer
from kyodo_tax.service_layer.assessing import Batch, Timings, assess_taxpayers
from kyodo_tax.service_layer.context import SOURCE, TaxContext
from kyodo_tax.service_layer.lookups import rules_for, tax_config

# Whoever was resident here at the end of 1 January (per record, then per person), with a
# salary report or a declaration for the year.
_SNAPSHOT = """
    INSERT INTO bulk_job_persons (job_id, seq, municipality_code, platform_person_id,
                                  resident_id, resident_number, birth_date, postal_code, address)
    SELECT $1, row_number() OVER (ORDER BY r.platform_person_id), $2, r.platform_person_id,
           r.resident_id, r.resident_number, r.birth_date, r.postal_code, r.address
    FROM (
        SELECT DISTINCT ON (platform_person_id) *
        FROM (
            SELECT DISTINCT ON (resident_id) resident_id, platform_person_id, status,
                   resident_number, birth_date, postal_code, address, effective_date, version
            FROM register_history WHERE effective_date <= $3
            ORDER BY resident_id, effective_date DESC, version DESC
        ) per_record
        WHERE status = 'resident'
        ORDER BY platform_person_id, effective_date DESC, version DESC
    ) r
    WHERE EXISTS (SELECT 1 FROM salary_reports s WHERE s.fiscal_year = $4
                  AND s.superseded_by IS NULL AND s.platform_person_id = r.platform_person_id)
       OR EXISTS (SELECT 1 FROM declarations d WHERE d.fiscal_year = $4
                  AND d.platform_person_id = r.platform_person_id)
"""
_CHUNK = """
    SELECT platform_person_id, resident_id, resident_number, birth_date, postal_code, address
    FROM bulk_job_persons WHERE job_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq
"""
_REFUSALS = """
    INSERT INTO bulk_job_refusals (job_id, municipality_code, platform_person_id, reason)
    SELECT $1, $2, p, r FROM unnest($3::uuid[], $4::text[]) AS x(p, r)
"""
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
    async with db.tenant_transaction(code) as session:
        conn = await raw_connection(session)
        job = await conn.fetchrow("SELECT fiscal_year, state, cursor, total FROM bulk_jobs "
                                  "WHERE id = $1 FOR UPDATE", job_id)
        if job is None or job["state"] in ("finished", "failed"):
            return None
        if job["state"] == "running":
            return Position(job["fiscal_year"], job["cursor"], job["total"])
        started = time.perf_counter()
        status = await conn.execute(_SNAPSHOT, job_id, code,
                                    assessment_date(job["fiscal_year"]), job["fiscal_year"])
        total = int(status.split()[-1])
        await conn.execute("UPDATE bulk_jobs SET state = 'running', total = $2, attempts = 0, "
                           "started_at = now(), heartbeat_at = now() WHERE id = $1",
                           job_id, total)
        timings.add("snapshot of the taxpayers", started)
        return Position(job["fiscal_year"], 0, total)


async def _compute(db: Database, job_id: UUID, code: str, *, fiscal_year: int, start: int,
                   context: TaxContext, today: date, timings: Timings) -> Computed:
    """Reads and assesses the chunk after ``start`` (a read-only transaction of its own)."""
    async with db.tenant_transaction(code) as session:
        conn = await raw_connection(session)
        rows = await conn.fetch(_CHUNK, job_id, start, start + context.chunk_size)
        taxpayers = [Taxpayer(*row) for row in rows]
        batch = await assess_taxpayers(conn, taxpayers, rules=rules_for(context.rule_book,
                                                                        fiscal_year),
                                       config=await tax_config(session),
                                       allow_unverified=context.allow_unverified, today=today,
                                       timings=timings, yield_every=500)
    return Computed(start, len(rows), batch)


async def _write(db: Database, job_id: UUID, code: str, computed: Computed, *, today: date,
                 timings: Timings, fault: Fault | None) -> bool:
    """Commits the chunk if the cursor still stands at its start (False: someone else did)."""
    batch, lap = computed.batch, timings.lap()
    async with db.tenant_transaction(code) as session:
        conn = await raw_connection(session)
        cursor = await conn.fetchval("SELECT cursor FROM bulk_jobs WHERE id = $1 "
                                     "AND state = 'running' FOR UPDATE", job_id)
        lap("wait for the job row")
        if cursor != computed.start:
            return False
        await write_assessments(conn, batch.assessed, municipality_code=code, job_id=job_id,
                                assessed_on=today, source=SOURCE, lap=lap)
        if batch.refused:
            await conn.execute(_REFUSALS, job_id, code, *zip(*batch.refused, strict=True))
        if fault is not None:
            fault(computed.start)  # tests: a crash after the writes, before the commit
        corrected = sum(1 for a in batch.assessed if a.outcome.is_correction)
        await conn.execute(
            "UPDATE bulk_jobs SET cursor = $2, assessed = assessed + $3, "
            "corrected = corrected + $4, unchanged = unchanged + $5, refused = refused + $6, "
            "heartbeat_at = now() WHERE id = $1", job_id, computed.start + computed.persons,
            len(batch.assessed) - corrected, corrected, len(batch.unchanged),
            len(batch.refused))
        lap("job progress")
    lap("commit")
    return True


async def _finish(db: Database, job_id: UUID, code: str, total: int) -> None:
    async with db.tenant_transaction(code) as session:
        conn = await raw_connection(session)
        await conn.execute("UPDATE bulk_jobs SET state = 'finished', finished_at = now(), "
                           "heartbeat_at = now() WHERE id = $1 AND state = 'running' "
                           "AND cursor >= $2", job_id, total)


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
