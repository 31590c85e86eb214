"""The built-in scenarios' logic, over a fake platform (the intake runs for real in the
integration tests)."""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kyodo_automation.domain.dry_run import MemoryJournal
from kyodo_automation.domain.engine import Engine, Record, Response
from kyodo_automation.domain.event_filter import matches
from kyodo_automation.domain.scenario import parse
from kyodo_automation.service_layer.trigger_events import TRIGGER_EVENT_TYPES

PERSON = "0b6f3c1e-58f4-4a55-9a8e-2f0d6f7c9a11"
DIED = "jp.kyodo.resident.died.v1"
MOVED_OUT = "jp.kyodo.resident.moved_out.v1"


def builtin(name: str) -> str:
    return (resources.files("kyodo_automation") / "builtin" / f"{name}.yaml").read_text()


class Tax:
    def __init__(self, method: str = "special") -> None:
        self.method = method
        self.calls: list[tuple[str, str, Any]] = []

    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response:
        self.calls.append((method, path, body))
        if method == "GET" and "/assessments" in path:
            assert purpose
            return Response(200, {"items": [{"id": "a-2", "version": 2,
                                             "collection": {"method": self.method}},
                                            {"id": "a-1", "version": 1,
                                             "collection": {"method": "special"}}],
                                  "next": None})
        if method == "GET" and "/applications" in path:
            return Response(200, {"items": [{"id": "app-1"}, {"id": "app-2"}], "next": None})
        return Response(200, {"id": "job-1"} if "certificate-jobs" in path else {})


def register_event(on: str) -> dict[str, Any]:
    return {"municipality_code": "152048", "effective_date": on, "reason": "x",
            "residents": [{"platform_person_id": PERSON, "resident_number": "1000017",
                           "family_name": "三条", "given_name": "太郎"}]}


async def run(name: str, platform: Any, journal: MemoryJournal, inputs: dict[str, Any],
              granted: frozenset[str]) -> Any:
    scenario = parse(builtin(name), known_event_types=TRIGGER_EVENT_TYPES)
    return await Engine(scenario, run_id="r", platform=platform, journal=journal,
                        granted=granted).run(inputs)


async def test_on_death_the_current_years_special_collection_is_switched_and_told() -> None:
    tax, journal = Tax(), MemoryJournal()
    outcome = await run("resident-leaves-switch-collection", tax, journal,
                        {"event": register_event("2026-03-10"), "event_type": DIED},
                        frozenset({"tax:read", "tax:write"}))
    assert outcome.state == "done", outcome.error
    assert tax.calls == [
        ("GET", f"/tax/persons/{PERSON}/assessments?fiscal_year=2025", None),
        ("POST", "/tax/assessments/a-2/collection-switch",
         {"reason": "died", "on": "2026-03-10"})]
    (told,) = journal.notifications
    assert told["to"] == "税務課" and "2025 年度" in told["message"] and "死亡" in told["message"]


async def test_on_moving_out_a_person_confirms_before_the_switch() -> None:
    tax, journal = Tax(), MemoryJournal()
    inputs = {"event": register_event("2026-07-01"), "event_type": MOVED_OUT}
    granted = frozenset({"tax:read", "tax:write"})
    waiting = await run("resident-leaves-switch-collection", tax, journal, inputs, granted)
    assert waiting.state == "waiting"
    assert [c[0] for c in tax.calls] == ["GET"]
    assert "2026 年度" in journal.human[0]["reason"]
    journal.records[journal.human[0]["key"]] = Record(journal.human[0]["key"], "approval",
                                                      "approved", None)
    done = await run("resident-leaves-switch-collection", tax, journal, inputs, granted)
    assert done.state == "done"
    assert tax.calls[-1] == ("POST", "/tax/assessments/a-2/collection-switch",
                             {"reason": "left_job", "on": "2026-07-01"})


async def test_ordinary_collection_is_left_alone() -> None:
    tax, journal = Tax(method="ordinary"), MemoryJournal()
    outcome = await run("resident-leaves-switch-collection", tax, journal,
                        {"event": register_event("2026-03-10"), "event_type": DIED},
                        frozenset({"tax:read", "tax:write"}))
    assert outcome.state == "done" and [c[0] for c in tax.calls] == ["GET"]
    assert journal.notifications == []


async def test_after_a_declaration_the_received_applications_go_to_a_certificate_job() -> None:
    disaster, journal = Tax(), MemoryJournal(approve_all=True)
    event = {"disaster_id": "d-1", "name": "令和8年7月大雨災害"}
    outcome = await run("disaster-certificates", disaster, journal,
                        {"event": event, "event_type": "jp.kyodo.disaster.declared.v1"},
                        frozenset({"disaster:read", "disaster:write"}))
    assert outcome.state == "done", outcome.error
    assert disaster.calls == [
        ("GET", "/disaster/disasters/d-1/applications?status=received&limit=500", None),
        ("POST", "/disaster/certificate-jobs", {"application_ids": ["app-1", "app-2"]})]
    assert outcome.outputs == {"job": "job-1"}
    assert "2 件" in journal.notifications[0]["message"]


class PagedDisaster:
    """Disaster's list of applications, paged as the real API pages it (`limit`, `cursor`,
    `items` and `next`)."""

    def __init__(self, count: int) -> None:
        self.ids = [f"app-{n:05d}" for n in range(count)]
        self.calls: list[tuple[str, str, Any]] = []

    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response:
        self.calls.append((method, path, body))
        if method == "POST":
            return Response(202, {"id": "job-1"})
        query = parse_qs(urlsplit(path).query)
        limit = int(query["limit"][0])
        after = query.get("cursor", [""])[0]
        rest = [i for i in self.ids if i > after]
        page = rest[:limit]
        return Response(200, {"items": [{"id": i} for i in page],
                              "next": page[-1] if len(rest) > limit else None})


async def test_the_certificate_job_gets_every_page_of_applications() -> None:
    disaster, journal = PagedDisaster(2_001), MemoryJournal(approve_all=True)
    event = {"disaster_id": "d-1", "name": "令和8年7月大雨災害"}
    outcome = await run("disaster-certificates", disaster, journal,
                        {"event": event, "event_type": "jp.kyodo.disaster.declared.v1"},
                        frozenset({"disaster:read", "disaster:write"}))
    assert outcome.state == "done", outcome.error
    gets = [path for method, path, _ in disaster.calls if method == "GET"]
    first = "/disaster/disasters/d-1/applications?status=received&limit=500"
    assert gets == [first, *(f"{first}&cursor=app-{n * 500 - 1:05d}" for n in range(1, 5))]
    (post,) = [body for method, _, body in disaster.calls if method == "POST"]
    assert post["application_ids"] == disaster.ids
    assert "2001 件" in journal.notifications[0]["message"]


async def test_a_resumed_run_does_not_fetch_the_pages_it_has_again() -> None:
    disaster, journal = PagedDisaster(1_001), MemoryJournal(approve_all=True)
    event = {"disaster_id": "d-1", "name": "x"}
    inputs = {"event": event, "event_type": "jp.kyodo.disaster.declared.v1"}
    granted = frozenset({"disaster:read", "disaster:write"})
    await run("disaster-certificates", disaster, journal, inputs, granted)
    first = len(disaster.calls)
    # the run cut short after the pages but before the list was kept: resumed from the journal
    del journal.records["/steps/1"]
    again = await run("disaster-certificates", disaster, journal, inputs, granted)
    assert again.state == "done"
    assert [c[0] for c in disaster.calls[first:]] == []


def test_event_filters_follow_dotted_paths() -> None:
    data = {"reason": "転出", "residents": [{"status": "moved_out", "age": 3}]}
    assert matches({"residents.0.status": "moved_out", "reason": "転出"}, data)
    assert matches({"residents.0.age": "3"}, data)
    assert not matches({"residents.1.status": "moved_out"}, data)
    assert not matches({"reason": "死亡"}, data)
    assert matches(None, data)


def test_an_event_trigger_must_name_an_event_automation_receives() -> None:
    import pytest

    from kyodo_automation.domain.scenario import ScenarioInvalid

    text = ("scenario: demo\ntitle: x\nminutes_per_item: 1\ntrigger:\n  event:\n"
            "    type: [jp.kyodo.resident.died.v1, jp.kyodo.tax.assessed.v9]\n"
            "steps:\n  - set: {a: 1}\n")
    with pytest.raises(ScenarioInvalid) as refused:
        parse(text, known_event_types=TRIGGER_EVENT_TYPES)
    (problem,) = refused.value.problems
    assert (problem.pointer, problem.line) == ("/trigger/event/type/1", 6)
