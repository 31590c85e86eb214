"""Runs of a scenario: started (by a person, a file or an event), executed by the worker
through the engine, resumed after a crash, and finished with their counts."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from kyodo_automation.adapters.journal import DbJournal
from kyodo_automation.adapters.platform_http import AccountRefused
from kyodo_automation.adapters.stores import run_transaction
from kyodo_automation.domain import fields
from kyodo_automation.domain.dry_run import DryRunPlatform, MemoryJournal
from kyodo_automation.domain.engine import Engine, Outcome
from kyodo_automation.domain.scenario import Scenario
from kyodo_automation.service_layer.context import AutomationContext
from kyodo_automation.service_layer.ports import RunStore, ScenarioStore
from kyodo_automation.service_layer.scenarios import granted_scopes, latest_version, load_account
from kyodo_common.db import Database
from kyodo_common.errors import Conflict, RuleBroken, TooLarge

tracer = trace.get_tracer("kyodo.automation")
FINISHED = ("done", "failed", "rejected")
MAX_ROWS = 200_000


def typed_inputs(scenario: Scenario, values: dict[str, Any]) -> dict[str, Any]:
    """The run's inputs as the scenario declares them; 422 naming each bad one."""
    unknown = sorted(set(values) - set(scenario.inputs))
    problems = [{"name": f"inputs.{n}", "reason": "the scenario has no such input"}
                for n in unknown]
    declared = {n: s for n, s in scenario.inputs.items() if s["type"] != "rows"}
    result, bad = fields.typed({n: v for n, v in values.items() if n in declared}, declared)
    problems += [{"name": f"inputs.{p['name']}", "reason": p["reason"]} for p in bad]
    for name, spec in scenario.inputs.items():
        if spec["type"] == "rows":
            rows = values.get(name)
            if rows is None and spec.get("required"):
                problems.append({"name": f"inputs.{name}", "reason": "required"})
            elif rows is not None and not (isinstance(rows, list)
                                           and all(isinstance(r, dict) for r in rows)):
                problems.append({"name": f"inputs.{name}", "reason": "a list of rows"})
            elif rows is not None:
                result[name] = rows
    if problems:
        raise RuleBroken("the run's inputs do not match the scenario",
                         invalid_params=problems)
    return result


def rows_of_file(content: bytes, file_format: str) -> list[dict[str, Any]]:
    """A CSV file (UTF-8 or Shift_JIS, a header row) or JSON (a list of objects)."""
    try:
        if file_format == "json":
            loaded = json.loads(content)
            rows = loaded.get("rows") if isinstance(loaded, dict) else loaded
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp932")
            rows = list(csv.DictReader(io.StringIO(text)))
    except (ValueError, csv.Error) as exc:
        raise RuleBroken(str(exc)[:200],
                         title="File refused",
                         kind="file-refused",
                         invalid_params=[{"name": "file", "reason": "not readable"}]) from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise RuleBroken("a list of rows (objects) is expected",
                         title="File refused",
                         kind="file-refused",
                         invalid_params=[{"name": "file", "reason": "not a list of rows"}])
    if len(rows) > MAX_ROWS:
        raise TooLarge(f"at most {MAX_ROWS} rows per file",
                       title="Too many rows",
                       kind="too-many-rows")
    return [{k: v for k, v in r.items() if k is not None} for r in rows]


async def start_run(runs: RunStore, *, code: str, scenario: Scenario, version: Any,
                    inputs: dict[str, Any], trigger: str, started_by: str,
                    run_id: uuid.UUID | None = None) -> uuid.UUID:
    run_id = run_id or uuid.uuid4()
    await runs.add(
        id=run_id, municipality_code=code, scenario=scenario.name, version=version.version,
        state="queued", trigger=trigger, inputs=inputs,
        minutes_per_item=version.minutes_per_item, started_by=started_by)
    return run_id


async def dry_run(context: AutomationContext, scenarios: ScenarioStore, *, code: str,
                  scenario: Scenario, inputs: dict[str, Any]) -> dict[str, Any]:
    """Nothing is written: no run, no step, no queue item; reads use the account's token."""
    account = await load_account(scenarios, context, code=code, scenario=scenario.name)
    if account is None:
        raise Conflict("the municipality's admin has not given this scenario an account",
                       title="No account",
                       kind="no-account")
    tokens = context.tokens(account.client_id, account.client_secret)
    granted = await granted_scopes(tokens)
    platform = DryRunPlatform(context.platform(code, tokens))
    journal = MemoryJournal(approve_all=True)
    outcome = await Engine(scenario, run_id="dry-run", platform=platform, journal=journal,
                           granted=granted).run(inputs)
    if outcome.limit_exceeded:  # the scenario with these inputs could never run
        raise RuleBroken(outcome.error,
                         title="Expression limit exceeded",
                         kind="expression-limit",
                         invalid_params=[{"name": outcome.failed_step or "/steps",
                                       "reason": outcome.error or "exceeds a limit"}])
    return {"state": outcome.state, "error": outcome.error, "outputs": outcome.outputs,
            "items_processed": outcome.items_done, "items_failed": outcome.items_failed,
            "calls": [c.as_json() for c in platform.calls],
            "human_queue": [{k: h[k] for k in ("kind", "step", "item", "reason")}
                            for h in journal.human],
            "notifications": journal.notifications}


async def execute_run(db: Database, context: AutomationContext, *, run_id: uuid.UUID,
                      code: str, should_stop: Callable[[], bool]) -> None:
    """Runs (or resumes) one run to its end, or to an approval it waits for."""
    async with run_transaction(db, code) as (runs, scenarios):
        run = await runs.get(run_id)
        if run is None or run.state in FINISHED or run.state == "waiting":
            return
        version = await latest_version(scenarios, run.scenario, run.version)
        account = await load_account(scenarios, context, code=code, scenario=run.scenario)
    scenario = Scenario.from_source(version.definition)
    with tracer.start_as_current_span("automation run", attributes={
            "kyodo.municipality": code, "kyodo.automation.scenario": run.scenario,
            "kyodo.automation.run_id": str(run_id)}) as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
        await _update(db, code, run_id, state="running", trace_id=trace_id,
                      started_at=run.started_at or datetime.now(UTC))
        if account is None:
            await _finish(db, code, run_id, Outcome(
                state="failed", error="the scenario has no account (its admin removed it?)"))
            return
        tokens = context.tokens(account.client_id, account.client_secret)
        try:
            granted = (await tokens.current()).scopes
        except AccountRefused as exc:
            await _finish(db, code, run_id, Outcome(state="failed", error=str(exc)))
            return
        journal = await DbJournal.load(db, code=code, run_id=run_id, scenario=run.scenario,
                                       trace_id=trace_id)
        outcome = await Engine(scenario, run_id=str(run_id),
                               platform=context.platform(code, tokens), journal=journal,
                               granted=granted).run(run.inputs)
        await _finish(db, code, run_id, outcome)


async def _update(db: Database, code: str, run_id: uuid.UUID, **values: Any) -> None:
    async with run_transaction(db, code) as (runs, _):
        await runs.update(run_id, **values)


async def _finish(db: Database, code: str, run_id: uuid.UUID, outcome: Outcome) -> None:
    finished = outcome.state in FINISHED
    await _update(db, code, run_id, state=outcome.state, outputs=outcome.outputs or None,
                  items_done=outcome.items_done, items_failed=outcome.items_failed,
                  error=outcome.error, failed_step=outcome.failed_step,
                  finished_at=datetime.now(UTC) if finished else None)
