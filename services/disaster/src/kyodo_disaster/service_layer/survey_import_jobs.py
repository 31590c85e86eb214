"""A large 現地調査票 file as a job: checked when it comes, imported by the worker in chunks.

When it comes, every row is checked against what it can break by itself (its format, grade,
the affected area, the dates): a file no row of which passes is refused whole (422, each bad
row named by line and field) and nothing is stored; otherwise the file is queued with the rows
refused so far. The worker then imports it chunk by chunk, in one transaction per chunk: the
chunk's houses, surveys, applications, events (outbox) and access-log entries commit with the
import's counts and cursor. A crash loses the chunk under way, never half of it, and the next
run continues at the cursor; a row already recorded is recognised by its ``survey_ref``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import RuleBroken
from kyodo_disaster.adapters.stores import SqlStores
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.field_csv import FieldRow, RowError, parse
from kyodo_disaster.service_layer.common import disaster_or_404
from kyodo_disaster.service_layer.context import SOURCE, DisasterContext
from kyodo_disaster.service_layer.import_checks import ImportReport, check_rows
from kyodo_disaster.service_layer.imports import import_accesses, import_rows
from kyodo_disaster.service_layer.ports import Stores

CHUNK_ROWS = 500  # rows per transaction: a crash redoes at most this many
RUNNABLE = ("queued", "running")  # then finished or failed (tax's jobs say the same)
MAX_NAMED = 100  # bad rows named in a refusal's invalid_params


def row_errors(errors: Sequence[RowError]) -> list[dict[str, Any]]:
    return [{"line": e.line, "field": e.field, "reason": e.reason} for e in errors]


async def queue_import(stores: Stores, *, actor: Actor, disaster: Disaster, text: str,
                       rows: list[FieldRow], errors: list[RowError], context: DisasterContext,
                       today: date) -> uuid.UUID:
    """Raises RuleBroken (nothing stored) when no row can be imported; else queues the file
    with the rows refused by themselves, which count as done."""
    report = ImportReport(rows=len(rows) + len(errors), errors=list(errors))
    passed = check_rows(rows, disaster=disaster, context=context, today=today, report=report)
    refused = sorted(report.errors, key=lambda e: e.line)
    if not passed:
        raise RuleBroken(f"no row of the file can be imported ({len(refused)} rows break the "
                         "rules); nothing was queued: correct the file and send it again",
                         title="Invalid file",
                         invalid_params=[{"name": f"line {e.line}: {e.field}",
                                          "reason": e.reason} for e in refused[:MAX_NAMED]])
    import_id = uuid.uuid4()
    await stores.survey_imports.add(import_id=import_id, code=stores.municipality_code,
                                    disaster_id=disaster.id, content=text, total=report.rows,
                                    done=len(refused), errors=row_errors(refused), actor=actor)
    return import_id


@dataclass(frozen=True)
class Step:
    """A chunk's place: the cursor it began at (None: nothing to do) and whether it was the
    last."""

    cursor: int | None
    finished: bool


async def import_next_chunk(stores: Stores, import_id: uuid.UUID, *,
                            rows_of: Callable[[Any], list[FieldRow]],
                            context: DisasterContext, today: date, chunk_rows: int,
                            now: datetime) -> Step:
    """The next chunk of the import, in the stores' transaction (the import row locked, so
    two workers never import the same chunk). ``rows_of(job)`` parses the job's file."""
    job = await stores.survey_imports.locked(import_id)
    if job is None or job.state not in RUNNABLE:
        return Step(cursor=None, finished=True)
    rows = rows_of(job)
    chunk = rows[job.cursor:job.cursor + chunk_rows]
    # Only the refusals made when the file came can name lines of this chunk: the later
    # chunks' are not committed yet.
    refused_before = {e["line"] for e in job.errors}
    todo = [row for row in chunk if row.line not in refused_before]
    actor = Actor(subject=job.requested_by, home=job.requested_by_home,
                  municipality=stores.municipality_code, grant_id=job.grant_id)
    report = ImportReport(rows=0)
    if todo:
        disaster = await disaster_or_404(stores.disasters, job.disaster_id, for_update=True)
        report = await import_rows(stores, actor=actor, disaster=disaster, rows=todo,
                                   errors=[], context=context, today=today)
        # No request runs this: the import's requester is logged, as they asked for it.
        for access in import_accesses(report):
            await stores.access_log.record(actor, action=access.action,
                                           subject_type=access.subject_type,
                                           subject_ids=access.subject_ids,
                                           fields=access.fields, purpose=access.purpose)
    last = job.cursor + len(chunk) >= len(rows)
    await stores.survey_imports.progress(
        import_id, state="finished" if last else "running", cursor=job.cursor + len(chunk),
        done=len(todo), houses_created=report.houses_created,
        surveys_recorded=report.surveys_recorded, unchanged=report.unchanged,
        applications_created=report.applications_created, errors=row_errors(report.errors),
        started_at=job.started_at or now, finished_at=now if last else None)
    return Step(cursor=job.cursor, finished=last)


async def run_import_job(db: Database, *, import_id: uuid.UUID, code: str,
                         context: DisasterContext, today: date,
                         should_stop: Callable[[], bool], chunk_rows: int = CHUNK_ROWS,
                         fault: Callable[[int], None] | None = None) -> None:
    """The worker's side: a unit of work per chunk until the import finished (or the worker
    should stop). ``fault`` (tests) runs after a chunk's writes, before its commit."""
    parsed: list[FieldRow] | None = None

    def rows_of(job: Any) -> list[FieldRow]:
        nonlocal parsed
        if parsed is None:  # checked when it came: parsed once per run, not per chunk
            parsed = parse(job.content)[0]
        return parsed

    while not should_stop():
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
            step = await import_next_chunk(SqlStores(uow), import_id, rows_of=rows_of,
                                           context=context, today=today,
                                           chunk_rows=chunk_rows, now=datetime.now(UTC))
            if fault is not None and step.cursor is not None:
                fault(step.cursor)
            await uow.commit()
        if step.finished:
            return
