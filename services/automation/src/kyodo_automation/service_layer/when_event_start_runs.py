"""When an event a scenario waits for arrives, start a run of it. The scenario's latest
version decides; its `where` filters the event's data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kyodo_automation.domain.event_filter import matches
from kyodo_automation.domain.scenario import Scenario
from kyodo_automation.service_layer.ports import TriggerStore, TriggersUnitOfWork
from kyodo_automation.service_layer.runs import start_run
from kyodo_common.events import DomainEvent, Envelope


async def when_event_start_runs(uow: TriggersUnitOfWork,
                                delivered: Sequence[tuple[DomainEvent, Envelope]]) -> None:
    """For a consumer's run of events: one run per scenario whose latest version waits for an
    event (the inbox makes a redelivered event start nothing)."""
    store = uow.triggers
    # Every register and disaster event comes here, and most start nothing: a cheap question
    # first, once per event type of the run, before the query of the latest versions.
    waited: dict[str, bool] = {}
    for event, envelope in delivered:
        if envelope.type not in waited:
            waited[envelope.type] = await store.any_waits(envelope.type)
        if waited[envelope.type]:
            await _start_runs(store, event, envelope)


async def _start_runs(store: TriggerStore, event: DomainEvent, envelope: Envelope) -> None:
    rows = await store.latest_waiting(envelope.type)
    data: dict[str, Any] = json.loads(event.model_dump_json())
    for row in rows:
        scenario = Scenario.from_source(row.definition)
        if not matches(scenario.trigger["event"].get("where"), data):
            continue
        await start_run(store.runs, code=envelope.municipality, scenario=scenario, version=row,
                        inputs={"event": data, "event_type": envelope.type},
                        trigger=f"event:{envelope.id}", started_by="automation")

