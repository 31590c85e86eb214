"""Automation's handlers through the write pipeline, on stores in memory
(kyodo_automation.testing): saving a scenario's versions and its refusals, a person's
decision on a queued item, an event starting the runs that wait for it. No PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel

from kyodo_automation.service_layer import commands as c
from kyodo_automation.service_layer import handlers
from kyodo_automation.service_layer.scenarios import parse_for_save, refuse_out_of_scope
from kyodo_automation.service_layer.when_event_start_runs import when_event_start_runs
from kyodo_automation.testing import SANJO, FakeAutomation
from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.errors import Conflict, Forbidden, RuleBroken
from kyodo_common.events import Envelope
from kyodo_common.idempotency import StoredResponse
from kyodo_common.testing import MemoryKeys
from kyodo_common.write_pipeline import Command, Handler, WritePipeline

DIED = "jp.kyodo.resident.died.v1"
MANUAL = """scenario: tax-check
title: 税額の確認
minutes_per_item: 2
trigger:
  manual: {}
steps:
  - call: GET /tax/rules
"""
ON_DEATH = f"""scenario: on-death
title: 死亡時の確認
minutes_per_item: 5
trigger:
  event:
    type: [{DIED}]
    where: {{reason: 死亡}}
steps:
  - call: GET /tax/rules
"""


class Office:
    """The pipeline on automation in memory, as Sanjo's scenario author calls it."""

    def __init__(self) -> None:
        self.db = FakeAutomation()
        self.keys = MemoryKeys()
        self.pipeline = WritePipeline(None, source="kyodo/automation", keys=self.keys,
                                      unit_of_work=self.db.unit_of_work)
        principal = Principal(subject="author-1", home_municipality=SANJO, kind="staff",
                              roles=frozenset(), scopes=frozenset(), expires_at=0.0,
                              token_id="t")
        self.acting = Acting(principal=principal, municipality=SANJO, scopes=frozenset(),
                             grant_id=None, expires_at=0.0)

    async def run(self, command: Command, handler: Handler[Any],
                  key: str | None = None) -> StoredResponse:
        return await self.pipeline.answer(command, handler, acting=self.acting,
                                          key=key or str(uuid.uuid4()),
                                          fingerprint=(type(command).__name__, repr(command)))

    async def save(self, source: str, name: str, key: str | None = None) -> StoredResponse:
        return await self.run(c.SaveScenarioVersion(
            name=name, scenario=parse_for_save(source, name), source=source,
            created_by="author-1"), handlers.save_scenario_version, key)

    def queued_item(self, *, kind: str = "approval", state: str = "open") -> uuid.UUID:
        run_id, item_id = uuid.uuid4(), uuid.uuid4()
        self.db.runs[run_id] = SimpleNamespace(id=run_id, state="waiting")
        self.db.queue[item_id] = SimpleNamespace(
            id=item_id, run_id=run_id, scenario="tax-check", kind=kind, step="approve",
            item=None, key="approve", reason="支払いを承認しますか", data={}, state=state,
            decision=None, note=None, decided_by=None, decided_at=None,
            created_at=datetime(2026, 12, 7, tzinfo=UTC))
        return item_id


async def test_saving_a_scenario_numbers_its_versions_and_says_where_each_is() -> None:
    office = Office()
    first = await office.save(MANUAL, "tax-check")
    second = await office.save(MANUAL, "tax-check")

    assert (first.status, second.status) == (201, 201)
    assert (first.body["version"], second.body["version"]) == (1, 2)
    assert first.body["scopes_needed"] == ["tax:read"] and first.body["trigger"] == "manual"
    assert second.headers == {
        "Location": f"/v1/municipalities/{SANJO}/automation/scenarios/tax-check/versions/2"}
    assert [v.version for v in office.db.versions] == [1, 2]


async def test_a_repeated_save_with_the_same_key_gets_the_first_answer_and_no_new_version(
) -> None:
    office = Office()
    first = await office.save(MANUAL, "tax-check", key="save-once")
    again = await office.save(MANUAL, "tax-check", key="save-once")
    assert again == first and [v.version for v in office.db.versions] == [1]


def test_a_scenario_saved_under_another_name_is_refused_naming_the_line() -> None:
    with pytest.raises(RuleBroken) as refused:
        parse_for_save(MANUAL, "other-name")
    assert refused.value.kind == "invalid-scenario"
    assert [(p["name"], p["line"]) for p in refused.value.invalid_params] == [("/scenario", 1)]


def test_an_invalid_scenario_is_refused_with_every_problem_and_its_line() -> None:
    with pytest.raises(RuleBroken) as refused:
        parse_for_save(MANUAL + "    colour: red\n", "tax-check")
    assert [(p["name"], p["line"]) for p in refused.value.invalid_params] == [
        ("/steps/0/colour", 8)]


def test_a_call_outside_the_accounts_scopes_is_refused_before_anything_is_saved() -> None:
    scenario = parse_for_save(MANUAL, "tax-check")
    refuse_out_of_scope(scenario, frozenset({"tax:read"}))
    with pytest.raises(RuleBroken) as refused:
        refuse_out_of_scope(scenario, frozenset({"residents:read"}))
    assert refused.value.kind == "out-of-scope"
    assert [p["name"] for p in refused.value.invalid_params] == ["/steps/0/call"]


async def test_an_approval_resumes_its_run_with_the_decision_in_the_journal() -> None:
    office = Office()
    item = office.queued_item()
    answer = await office.run(c.DecideItem(item_id=item, decision="approved", note="確認済",
                                           by="manager-1", may_approve=True),
                              handlers.decide_item)
    assert answer.status == 200
    assert (answer.body["state"], answer.body["decision"]) == ("decided", "approved")
    run_id = office.db.queue[item].run_id
    assert office.db.runs[run_id].state == "queued"
    assert [(j.status, j.output["by"]) for j in office.db.journal] == [("approved", "manager-1")]


@pytest.mark.parametrize(("kind", "state", "decision", "may_approve", "refusal"), [
    ("approval", "decided", "approved", True, Conflict),      # decided already
    ("approval", "open", "resolved", True, RuleBroken),       # not a decision of an approval
    ("approval", "open", "approved", False, Forbidden),       # without automation:approve
    ("row", "open", "approved", True, RuleBroken),            # an approval's word for a row
])
async def test_a_decision_the_item_does_not_allow_is_refused_and_changes_nothing(
    kind: str, state: str, decision: str, may_approve: bool, refusal: type[Exception],
) -> None:
    office = Office()
    item = office.queued_item(kind=kind, state=state)
    before = vars(office.db.queue[item]).copy()
    with pytest.raises(refusal):
        await office.run(c.DecideItem(item_id=item, decision=decision, note=None,
                                      by="clerk-1", may_approve=may_approve),
                         handlers.decide_item)
    assert vars(office.db.queue[item]) == before
    assert office.db.runs[office.db.queue[item].run_id].state == "waiting"
    assert office.db.journal == [] and office.keys.answers == {}


async def test_a_manual_run_is_queued_with_its_inputs() -> None:
    office = Office()
    await office.save(MANUAL, "tax-check")
    answer = await office.run(c.StartRun(
        name="tax-check", version=office.db.latest("tax-check"),
        scenario=parse_for_save(MANUAL, "tax-check"), inputs={"fiscal_year": 2026},
        trigger="manual", started_by="author-1"), handlers.start_run)
    assert answer.status == 202 and answer.body["state"] == "queued"
    [run] = office.db.runs.values()
    assert (run.inputs, run.version, run.trigger) == ({"fiscal_year": 2026}, 1, "manual")
    assert answer.headers["Location"].endswith(f"/automation/runs/{run.id}")


class _Died(BaseModel):
    reason: str


async def test_an_event_starts_a_run_of_each_scenario_that_waits_for_it_and_matches() -> None:
    office = Office()
    await office.save(ON_DEATH, "on-death")
    await office.save(MANUAL, "tax-check")  # waits for no event
    uow = office.db.inbox_unit_of_work()

    def envelope(event: _Died, event_type: str = DIED) -> Envelope:
        return Envelope(type=event_type, source="kyodo/residents", subject="x",
                        municipality=SANJO, data=event.model_dump_json().encode())

    delivered = [(_Died(reason="死亡"), envelope(_Died(reason="死亡"))),
                 (_Died(reason="失踪宣告"), envelope(_Died(reason="失踪宣告"))),  # where: no
                 (_Died(reason="死亡"), envelope(_Died(reason="死亡"),
                                               "jp.kyodo.resident.moved_in.v1"))]
    await when_event_start_runs(uow, delivered)  # type: ignore[arg-type]
    uow.flush()

    [run] = office.db.runs.values()
    assert (run.scenario, run.state, run.started_by) == ("on-death", "queued", "automation")
    assert run.trigger == f"event:{delivered[0][1].id}"
    assert run.inputs == {"event": {"reason": "死亡"}, "event_type": DIED}
