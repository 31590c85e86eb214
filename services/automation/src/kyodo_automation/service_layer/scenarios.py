"""Scenarios of a municipality: their service account, and their versions (each checked on
save against the schema, the template language and the account's scopes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from kyodo_automation.adapters.platform_http import AccountRefused, AccountTokens
from kyodo_automation.domain.scenario import Problem, Scenario, ScenarioInvalid, check_scopes, parse
from kyodo_automation.domain.schedule import describe
from kyodo_automation.service_layer.context import AutomationContext
from kyodo_automation.service_layer.ports import ScenarioStore
from kyodo_automation.service_layer.trigger_events import TRIGGER_EVENT_TYPES
from kyodo_common.errors import Conflict, NotFound, RuleBroken


@dataclass(frozen=True)
class Account:
    client_id: str
    client_secret: str
    scopes: frozenset[str]


def invalid(exc: ScenarioInvalid, title: str = "Invalid scenario",
            kind: str = "invalid-scenario") -> RuleBroken:
    return RuleBroken("; ".join(f"line {p.line}: {p.reason}" for p in exc.problems[:5]),
                      title=title,
                      kind=kind,
                      invalid_params=[p.as_param() for p in exc.problems])


async def granted_scopes(tokens: AccountTokens) -> frozenset[str]:
    """What identity grants the account now: the truth at save time and at run time."""
    try:
        return (await tokens.current()).scopes
    except AccountRefused as exc:
        raise Conflict(str(exc),
                       title="Account refused",
                       kind="account-refused") from None


async def load_account(scenarios: ScenarioStore, context: AutomationContext, *, code: str,
                       scenario: str) -> Account | None:
    row = await scenarios.account(scenario)
    if row is None:
        return None
    secret = context.cipher.decrypt(row.client_secret,
                                    bound_to=context.bound_to(code, scenario, row.client_id))
    return Account(row.client_id, secret, frozenset(row.scopes))


async def attach_account(scenarios: ScenarioStore, context: AutomationContext, *, code: str,
                         scenario: str, client_id: str, client_secret: str, scopes: frozenset[str],
                         granted_by: str) -> None:
    secret = context.cipher.encrypt(client_secret,
                                    bound_to=context.bound_to(code, scenario, client_id))
    await scenarios.put_account(code=code, scenario=scenario, client_id=client_id,
                                client_secret=secret, scopes=sorted(scopes),
                                granted_by=granted_by)


def parse_for_save(source: str, name: str) -> Scenario:
    try:
        scenario = parse(source, known_event_types=TRIGGER_EVENT_TYPES)
    except ScenarioInvalid as exc:
        raise invalid(exc) from None
    if scenario.name != name:
        raise invalid(ScenarioInvalid([Problem("/scenario", 1, f"the scenario in the URL is "
                                                               f"{name!r}")]))
    return scenario


def refuse_out_of_scope(scenario: Scenario, granted: frozenset[str]) -> None:
    try:
        check_scopes(scenario, granted)
    except ScenarioInvalid as exc:
        raise invalid(exc, "Call outside the account's scopes", "out-of-scope") from None


async def save_version(scenarios: ScenarioStore, *, code: str, scenario: Scenario,
                       source: str, created_by: str) -> dict[str, Any]:
    await scenarios.lock(code, scenario.name)
    version = (await scenarios.latest_number(scenario.name) or 0) + 1
    row = {"id": uuid.uuid4(), "municipality_code": code, "scenario": scenario.name,
           "version": version, "source": source, "definition": scenario.source,
           "title": scenario.title, "trigger_kind": scenario.trigger_kind,
           "event_types": list(scenario.event_types), "minutes_per_item": scenario.minutes_per_item,
           "scopes_needed": sorted(scenario.scopes_needed), "created_by": created_by}
    await scenarios.add_version(row)
    return version_public(row)


def version_public(row: Any) -> dict[str, Any]:
    v: dict[str, Any] = row if isinstance(row, dict) else dict(row._mapping)
    created_at = v.get("created_at")
    return {"scenario": v["scenario"], "version": v["version"], "title": v["title"],
            "trigger": v["trigger_kind"], "event_types": list(v.get("event_types") or []),
            "minutes_per_item": float(v["minutes_per_item"]),
            "scopes_needed": list(v["scopes_needed"]), "created_by": v["created_by"],
            "created_at": created_at.isoformat() if created_at else None,
            "schedule": _schedule(v)}


def _schedule(v: dict[str, Any]) -> dict[str, Any] | None:
    """A scheduled version's schedule with its defaults (time zone, catch_up) made explicit."""
    schedule = (v.get("definition") or {}).get("trigger", {}).get("schedule")
    return describe(schedule) if v["trigger_kind"] == "schedule" and schedule else None


async def latest_version(scenarios: ScenarioStore, scenario: str,
                         version: int | None = None) -> Any:
    row = await scenarios.version(scenario, version)
    if row is None:
        raise NotFound("the scenario" if version is None else "that version")
    return row
