"""Scheduled scenarios: the worker looks every few seconds for slots that are due and starts
one run per slot (the slot's row and the run commit together). A worker back from being down
finds the latest slot it missed due (`catch_up: latest`) and runs it once; `schedule_slots`
keeps two workers from both running it."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime

from kyodo_automation.adapters.stores import schedule_transaction, scheduled_scenarios
from kyodo_automation.domain.scenario import Scenario
from kyodo_automation.domain.schedule import due_slot
from kyodo_automation.service_layer.runs import start_run
from kyodo_automation.service_layer.scenarios import latest_version
from kyodo_common.db import Database
from kyodo_common.runtime import sleep_or_stop

log = logging.getLogger(__name__)


async def start_due_runs(db: Database, now: datetime | None = None) -> int:
    """Starts the runs due at ``now``; returns how many were started."""
    now = now or datetime.now(UTC)
    started = 0
    for code, name in await scheduled_scenarios(db):
        async with schedule_transaction(db, code) as store:
            version = await latest_version(store.scenarios, name)
            scenario = Scenario.from_source(version.definition)
            slot = due_slot(scenario.trigger.get("schedule", {}), now,
                            since=version.created_at) \
                if scenario.trigger_kind == "schedule" else None
            if slot is None:
                continue
            run_id = uuid.uuid4()
            if not await store.claim_slot(code=code, scenario=name, slot=slot, run_id=run_id):
                continue  # this slot's run was started already
            await start_run(store.runs, code=code, scenario=scenario, version=version,
                            inputs={"scheduled_for": slot}, trigger=f"schedule:{slot}",
                            started_by="automation", run_id=run_id)
        started += 1
    return started


async def run_scheduler(database_url: str, stop: asyncio.Event, *,
                        interval_seconds: float = 20.0) -> None:
    db = Database(database_url, pool_size=2)
    try:
        while not stop.is_set():
            try:
                await start_due_runs(db)
            except Exception as exc:  # the database away: try again on the next look
                log.warning("scheduler interrupted (%s)", type(exc).__name__)
            await sleep_or_stop(stop, interval_seconds)
    finally:
        await db.dispose()
