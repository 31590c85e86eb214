"""One handler per automation command: the use case, and what the caller is answered. A
handler takes its stores from the unit of work (AutomationUnitOfWork: ``uow.runs``,
``uow.scenarios``, ``uow.queue``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kyodo_automation.service_layer import commands as c
from kyodo_automation.service_layer import runs, scenarios
from kyodo_common.errors import Conflict, Forbidden, NotFound, RuleBroken
from kyodo_common.write_pipeline import Outcome

DECISIONS = {"approval": ("approved", "rejected")}
OTHER_DECISIONS = ("resolved", "dismissed")


def _base(uow: Any) -> str:
    return f"/v1/municipalities/{uow.municipality_code}/automation"


async def start_run(command: c.StartRun, uow: Any) -> Outcome:
    run_id = await runs.start_run(uow.runs, code=uow.municipality_code,
                                  scenario=command.scenario, version=command.version,
                                  inputs=command.inputs, trigger=command.trigger,
                                  started_by=command.started_by)
    body = {"id": str(run_id), "scenario": command.name, "version": command.version.version,
            "state": "queued"}
    return Outcome(body, result="accepted", location=f"{_base(uow)}/runs/{run_id}")


async def save_scenario_version(command: c.SaveScenarioVersion, uow: Any) -> Outcome:
    body = await scenarios.save_version(uow.scenarios, code=uow.municipality_code,
                                        scenario=command.scenario, source=command.source,
                                        created_by=command.created_by)
    return Outcome(body, result="created", location=f"{_base(uow)}/scenarios/{command.name}/"
                                                    f"versions/{body['version']}")


async def decide_item(command: c.DecideItem, uow: Any) -> Outcome:
    queue = uow.queue
    row = await queue.get(command.item_id, lock=True)
    if row is None:
        raise NotFound("the item")
    if row.state != "open":
        raise Conflict("this item was decided already")
    allowed = DECISIONS.get(row.kind, OTHER_DECISIONS)
    if command.decision not in allowed:
        raise RuleBroken(f"a {row.kind} item is decided with " + " or ".join(allowed),
                         invalid_params=[{"name": "decision", "reason": "not for this item"}])
    if row.kind == "approval" and not command.may_approve:
        raise Forbidden("the scope automation:approve is required")
    await queue.decide(command.item_id, decision=command.decision, note=command.note,
                       by=command.by, at=datetime.now(UTC))
    if row.kind == "approval":  # the decision joins the run's journal; the run goes on
        await queue.resume(row, code=uow.municipality_code, decision=command.decision,
                           by=command.by, note=command.note)
    return Outcome(item_public(await queue.get(command.item_id)))


def item_public(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "run_id": str(row.run_id), "scenario": row.scenario,
            "kind": row.kind, "step": row.step, "item": row.item, "reason": row.reason,
            "data": row.data, "state": row.state, "decision": row.decision, "note": row.note,
            "decided_by": row.decided_by,
            "decided_at": row.decided_at.isoformat() if row.decided_at else None,
            "created_at": row.created_at.isoformat()}
