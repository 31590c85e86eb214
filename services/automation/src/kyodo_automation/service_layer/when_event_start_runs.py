"""When an event a scenario waits for arrives, start a run of it. The scenario's latest
version decides; its `where` filters the event's data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_automation.adapters.tables import scenario_versions
from kyodo_automation.domain.event_filter import matches
from kyodo_automation.domain.scenario import Scenario
from kyodo_automation.service_layer.runs import start_run
from kyodo_automation.service_layer.trigger_events import TRIGGER_EVENTS
from kyodo_common.db.engine import raw_connection
from kyodo_common.events import DomainEvent, Envelope
from kyodo_common.events.inbox import Subscription, for_runs

# Any version of any scenario of the tenant (row-level security) waiting for this type.
_ANY_WAITS = (
    "SELECT EXISTS (SELECT 1 FROM scenario_versions WHERE event_types @> ARRAY[$1::text])")


async def when_event_start_runs(session: AsyncSession,
                                delivered: Sequence[tuple[DomainEvent, Envelope]]) -> None:
    """For a consumer's run of events: one run per scenario whose latest version waits for an
    event (the inbox makes a redelivered event start nothing)."""
    # Every register and disaster event comes here, and most start nothing: a cheap question
    # first (asyncpg, one prepared statement), once per event type of the run, before the
    # query of the latest versions.
    waited: dict[str, bool] = {}
    for event, envelope in delivered:
        if envelope.type not in waited:
            waited[envelope.type] = bool(
                await (await raw_connection(session)).fetchval(_ANY_WAITS, envelope.type))
        if waited[envelope.type]:
            await _start_runs(session, event, envelope)


async def _start_runs(session: AsyncSession, event: DomainEvent, envelope: Envelope) -> None:
    v = scenario_versions.c
    latest = (sa.select(scenario_versions).distinct(v.scenario)
              .order_by(v.scenario, v.version.desc()).subquery())
    rows = (await session.execute(sa.select(latest).where(
        latest.c.event_types.any(envelope.type)))).all()
    data: dict[str, Any] = json.loads(event.model_dump_json())
    for row in rows:
        scenario = Scenario.from_source(row.definition)
        if not matches(scenario.trigger["event"].get("where"), data):
            continue
        await start_run(session, code=envelope.municipality, scenario=scenario, version=row,
                        inputs={"event": data, "event_type": envelope.type},
                        trigger=f"event:{envelope.id}", started_by="automation")


SUBSCRIPTIONS: list[Subscription[Any]] = [
    for_runs(event, when_event_start_runs) for event in TRIGGER_EVENTS]
