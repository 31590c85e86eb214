"""Scenarios, their runs and the human queue in PostgreSQL: the stores the use cases write
through (kyodo_automation.service_layer.ports) and the views the routes read."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_automation.adapters.tables import (
    human_queue,
    run_steps,
    runs,
    scenario_accounts,
    scenario_versions,
    schedule_slots,
)
from kyodo_common.db import Database
from kyodo_common.db.engine import raw_connection
from kyodo_common.jobs import JobQueue

QUEUE = JobQueue(name="automation run", channel="kyodo_automation_runs",
                 runnable_sql="SELECT job_id, municipality_code FROM runnable_runs()")
# Any version of any scenario of the tenant (row-level security) waiting for this type.
_ANY_WAITS = (
    "SELECT EXISTS (SELECT 1 FROM scenario_versions WHERE event_types @> ARRAY[$1::text])")


class SqlScenarios:
    """Scenario versions and the account each scenario runs as."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def account(self, scenario: str) -> Any:
        """(client_id, client_secret as stored, scopes), or None."""
        a = scenario_accounts.c
        return (await self.session.execute(sa.select(a.client_id, a.client_secret, a.scopes)
                                           .where(a.scenario == scenario))).first()

    async def put_account(self, *, code: str, scenario: str, client_id: str,
                          client_secret: bytes, scopes: list[str], granted_by: str) -> None:
        values = {"client_id": client_id, "client_secret": client_secret, "scopes": scopes,
                  "granted_by": granted_by, "granted_at": sa.func.now()}
        await self.session.execute(insert(scenario_accounts).values(
            municipality_code=code, scenario=scenario, **values).on_conflict_do_update(
            index_elements=[scenario_accounts.c.municipality_code, scenario_accounts.c.scenario],
            set_=values))

    async def lock(self, code: str, scenario: str) -> None:
        """Until commit, another save of the scenario waits here."""
        await self.session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                                   {"k": f"automation:{code}:{scenario}"})

    async def latest_number(self, scenario: str) -> int | None:
        v = scenario_versions.c
        latest: int | None = (await self.session.execute(sa.select(sa.func.max(v.version))
                                                         .where(v.scenario == scenario))
                              ).scalar_one()
        return latest

    async def add_version(self, row: dict[str, Any]) -> None:
        await self.session.execute(sa.insert(scenario_versions).values(row))

    async def version(self, scenario: str, version: int | None = None) -> Any:
        """That version, or the latest; None if there is none."""
        v = scenario_versions.c
        query = sa.select(scenario_versions).where(v.scenario == scenario)
        query = query.where(v.version == version) if version else query.order_by(
            v.version.desc())
        return (await self.session.execute(query.limit(1))).first()


class SqlRuns:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, **values: Any) -> None:
        await self.session.execute(sa.insert(runs).values(**values))

    async def get(self, run_id: uuid.UUID) -> Any:
        return (await self.session.execute(sa.select(runs).where(runs.c.id == run_id))).first()

    async def update(self, run_id: uuid.UUID, **values: Any) -> None:
        await self.session.execute(sa.update(runs).where(runs.c.id == run_id).values(**values))


class SqlTriggers:
    """What an event that scenarios may wait for finds, and the runs it starts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.runs = SqlRuns(session)

    async def any_waits(self, event_type: str) -> bool:
        # asyncpg, one prepared statement: every register and disaster event asks this.
        return bool(await (await raw_connection(self.session)).fetchval(_ANY_WAITS,
                                                                        event_type))

    async def latest_waiting(self, event_type: str) -> list[Any]:
        """The latest version of each scenario, where it waits for this type."""
        v = scenario_versions.c
        latest = (sa.select(scenario_versions).distinct(v.scenario)
                  .order_by(v.scenario, v.version.desc()).subquery())
        return list((await self.session.execute(sa.select(latest).where(
            latest.c.event_types.any(event_type)))).all())


class SqlSchedule:
    """One tenant's transaction of the scheduler."""

    def __init__(self, session: AsyncSession) -> None:
        self.scenarios = SqlScenarios(session)
        self.runs = SqlRuns(session)
        self.session = session

    async def claim_slot(self, *, code: str, scenario: str, slot: str,
                         run_id: uuid.UUID) -> bool:
        """False if the slot's run was started already (by this worker or another)."""
        claimed = await self.session.execute(insert(schedule_slots).values(
            municipality_code=code, scenario=scenario, slot=slot, run_id=run_id,
        ).on_conflict_do_nothing().returning(schedule_slots.c.slot))
        return claimed.first() is not None


async def scheduled_scenarios(db: Database) -> list[tuple[str, str]]:
    """(municipality, scenario) of every scenario whose latest version is scheduled."""
    async with db.platform_transaction() as session:
        return [(code, name) for code, name in (await session.execute(sa.text(
            "SELECT municipality_code, scenario FROM scheduled_scenarios()"))).all()]


@asynccontextmanager
async def schedule_transaction(db: Database, code: str) -> AsyncIterator[SqlSchedule]:
    async with db.tenant_transaction(code) as session:
        yield SqlSchedule(session)


@asynccontextmanager
async def run_transaction(db: Database, code: str
                          ) -> AsyncIterator[tuple[SqlRuns, SqlScenarios]]:
    """A tenant transaction of the worker's run, committed when the block ends."""
    async with db.tenant_transaction(code) as session:
        yield SqlRuns(session), SqlScenarios(session)


async def record_failure(db: Database, *, run_id: uuid.UUID, code: str, error: str,
                         max_attempts: int) -> None:
    """The platform was away: the run is tried again on the next round, up to a bound."""
    async with db.tenant_transaction(code) as session:
        await session.execute(sa.update(runs).where(runs.c.id == run_id).values(
            attempts=runs.c.attempts + 1, error=error[:500],
            state=sa.case((runs.c.attempts + 1 >= max_attempts, "failed"), else_=runs.c.state),
            finished_at=sa.case((runs.c.attempts + 1 >= max_attempts, sa.func.now()),
                                else_=runs.c.finished_at)))


class SqlHumanQueue:
    """Items a person decides (approvals, rows a step could not process)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, item_id: uuid.UUID, *, lock: bool = False) -> Any:
        query = sa.select(human_queue).where(human_queue.c.id == item_id)
        return (await self.session.execute(query.with_for_update() if lock else query)).first()

    async def decide(self, item_id: uuid.UUID, *, decision: str, note: str | None, by: str,
                     at: datetime) -> None:
        await self.session.execute(sa.update(human_queue).where(human_queue.c.id == item_id)
                                   .values(state="decided", decision=decision, note=note,
                                           decided_by=by, decided_at=at))

    async def resume(self, row: Any, *, code: str, decision: str, by: str,
                     note: str | None) -> None:
        """The decision joins the run's journal, and the run is queued to go on from there."""
        await self.session.execute(sa.insert(run_steps).values(
            run_id=row.run_id, municipality_code=code, key=row.key,
            kind="approval", status=decision, step=row.step, item=row.item,
            input={"question": row.reason},
            output={"decision": decision, "by": by, "note": note}))
        await self.session.execute(sa.update(runs).where(
            runs.c.id == row.run_id, runs.c.state == "waiting").values(state="queued"))


# -- views of the routes --------------------------------------------------------------------

async def account_granted(session: AsyncSession, scenario: str) -> Any:
    a = scenario_accounts.c
    return (await session.execute(sa.select(a.client_id, a.scopes, a.granted_by, a.granted_at)
                                  .where(a.scenario == scenario))).first()


async def latest_versions(session: AsyncSession, *, after: str | None, limit: int) -> list[Any]:
    """The latest version of each scenario, in name order."""
    v = scenario_versions.c
    query = sa.select(scenario_versions).distinct(v.scenario)
    if after is not None:
        query = query.where(v.scenario > after)
    return list((await session.execute(query.order_by(v.scenario, v.version.desc())
                                       .limit(limit))).all())


async def versions_of(session: AsyncSession, scenario: str, *, after: int | None,
                      limit: int) -> list[Any]:
    v = scenario_versions.c
    query = sa.select(scenario_versions).where(v.scenario == scenario)
    if after is not None:
        query = query.where(v.version > after)
    return list((await session.execute(query.order_by(v.version).limit(limit))).all())


async def runs_of(session: AsyncSession, scenario: str, *, after: tuple[Any, Any] | None,
                  limit: int) -> list[Any]:
    """Newest first, after a previous page's last (created_at, id)."""
    r = runs.c
    query = sa.select(runs).where(r.scenario == scenario)
    if after is not None:
        query = query.where(sa.tuple_(r.created_at, r.id)
                            < sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    return list((await session.execute(query.order_by(r.created_at.desc(), r.id.desc())
                                       .limit(limit))).all())


async def steps_of(session: AsyncSession, run_id: uuid.UUID, *, after: str | None,
                   limit: int) -> list[Any]:
    s = run_steps.c
    query = sa.select(run_steps).where(s.run_id == run_id)
    if after is not None:
        query = query.where(s.key > after)
    return list((await session.execute(query.order_by(s.key).limit(limit))).all())


async def queue_items(session: AsyncSession, *, state: str, run_id: uuid.UUID | None,
                      after: tuple[Any, Any] | None, limit: int) -> list[Any]:
    """Oldest first, after a previous page's last (created_at, id)."""
    q = human_queue.c
    query = sa.select(human_queue).where(q.state == state)
    if run_id is not None:
        query = query.where(q.run_id == run_id)
    if after is not None:
        query = query.where(sa.tuple_(q.created_at, q.id)
                            > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    return list((await session.execute(query.order_by(q.created_at, q.id).limit(limit))).all())


async def finished_by_scenario(session: AsyncSession, start: datetime,
                               end: datetime) -> list[Any]:
    """Per scenario, the runs done in [start, end): count, items done and failed, minutes."""
    r = runs.c
    query = (sa.select(r.scenario, sa.func.count().label("runs"),
                       sa.func.sum(r.items_done).label("done"),
                       sa.func.sum(r.items_failed).label("failed"),
                       sa.func.sum(r.items_done * r.minutes_per_item).label("minutes"),
                       sa.func.max(r.minutes_per_item).label("per_item"))
             .where(r.finished_at >= start, r.finished_at < end, r.state == "done")
             .group_by(r.scenario).order_by(r.scenario))
    return list((await session.execute(query)).all())
