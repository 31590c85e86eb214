"""Automation against the real identity, tax and databases: validation with lines, scopes at
save and at run time, a dry run that changes nothing, a 1,000-row intake whose worker is
killed in the middle, and the time-saved report of the month it ran in."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa

from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .automation_kit import (
    Automation,
    LoopbackPlatform,
    Town,
    Worker,
    automation_api,
    count,
    new_client,
    new_town,
    wait_for,
)
from .tax_harness import new_person, register, report_csv, report_row

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
INTAKE = "salary-report-intake"
FY = 2025
JST = ZoneInfo("Asia/Tokyo")
SOURCE = (resources.files("kyodo_automation") / "builtin" / f"{INTAKE}.yaml").read_text()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("automation")


@pytest.fixture(scope="module")
def platform(infrastructure: Infrastructure, var_dir: Path) -> Iterator[LoopbackPlatform]:
    running = LoopbackPlatform(infrastructure, var_dir)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
async def api(infrastructure: Infrastructure, var_dir: Path,
              platform: LoopbackPlatform) -> AsyncIterator[httpx.AsyncClient]:
    async with automation_api(infrastructure, var_dir, platform.url) as client:
        yield client


@pytest.fixture(scope="module")
async def automation_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("automation")["DATABASE_URL"])
    yield db
    await db.dispose()


async def _town_with_intake(http: httpx.AsyncClient, platform: LoopbackPlatform,
                            tax_db: Database, api: httpx.AsyncClient,
                            scopes: list[str]) -> tuple[Town, Automation]:
    town = await new_town(http, platform, tax_db)
    staff = Automation(api, town.code)
    client_id, secret = await new_client(http, platform, town, scopes)
    granted = await staff.grant(INTAKE, client_id, secret)
    assert granted.status_code == 200, granted.text
    assert granted.json()["scopes"] == sorted(scopes)
    return town, staff


async def test_a_scenario_is_validated_on_save_with_the_line_of_each_problem(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient) -> None:
    _, staff = await _town_with_intake(http, platform, tax_db, api, ["tax:write"])
    broken = SOURCE.replace("    as: row\n", "    as: row\n    colour: red\n")
    response = await staff.save(INTAKE, broken)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    line = broken.splitlines().index("    colour: red") + 1
    assert response.json()["invalid_params"] == [
        {"name": "/steps/0/colour", "line": line, "reason": "unknown key 'colour'"}]
    assert (await staff.get(f"/scenarios/{INTAKE}/versions")).status_code == 404

    saved = await staff.save(INTAKE, SOURCE)
    assert saved.status_code == 201, saved.text
    assert (saved.json()["version"], saved.json()["scopes_needed"]) == (1, ["tax:write"])
    again = await staff.save(INTAKE, SOURCE.replace("minutes_per_item: 3", "minutes_per_item: 4"))
    assert again.json()["version"] == 2
    versions = (await staff.get(f"/scenarios/{INTAKE}/versions")).json()["items"]
    assert [(v["version"], v["minutes_per_item"]) for v in versions] == [(1, 3.0), (2, 4.0)]


async def test_a_call_outside_the_accounts_scopes_is_refused_at_save_and_at_run_time(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database, infrastructure: Infrastructure,
        var_dir: Path) -> None:
    town, staff = await _town_with_intake(http, platform, tax_db, api, ["tax:read"])
    refused = await staff.save(INTAKE, SOURCE)
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("/out-of-scope")
    (param,) = refused.json()["invalid_params"]
    call_line = next(i for i, text in enumerate(SOURCE.splitlines(), 1)
                     if text.strip().startswith("call: POST /tax/"))
    assert (param["name"], param["line"]) == ("/steps/0/do/0/call", call_line)
    assert "tax:write" in param["reason"]

    # The admin grants tax:write; the scenario is saved. Then the admin swaps the account
    # for a narrower one: the run is refused before any call is made.
    wide_id, wide_secret = await new_client(http, platform, town, ["tax:write"])
    assert (await staff.grant(INTAKE, wide_id, wide_secret)).status_code == 200
    assert (await staff.save(INTAKE, SOURCE)).status_code == 201
    narrow_id, narrow_secret = await new_client(http, platform, town, ["tax:read"])
    assert (await staff.grant(INTAKE, narrow_id, narrow_secret)).status_code == 200
    person = new_person()
    await register(tax_db, town.code, person, since=date(2020, 1, 1))
    started = await staff.upload(INTAKE, report_csv([report_row(person, town.code, 3_000_000)]),
                                 fiscal_year=FY)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    with Worker(infrastructure, var_dir, platform.url):
        run = await wait_for(lambda: staff.run_in(run_id, "done", "failed"), 60, "the run")
    assert run["state"] == "failed"
    assert "lacks the scope tax:write" in str(run["error"])
    assert await count(tax_db, town.code, "SELECT count(*) FROM salary_reports") == 0
    steps = (await staff.get(f"/runs/{run_id}/steps")).json()["items"]
    assert [(s["kind"], s["status"]) for s in steps if s["kind"] == "call"] == [
        ("call", "refused")]


async def _snapshot(tax_db: Database, automation_db: Database, code: str) -> tuple[int, ...]:
    tax = [await count(tax_db, code, f"SELECT count(*) FROM {t}")  # noqa: S608 - fixed names
           for t in ("salary_reports", "salary_imports", "idempotency_keys", "access_log")]
    ours = [await count(automation_db, code, f"SELECT count(*) FROM {t}")  # noqa: S608
            for t in ("runs", "run_steps", "human_queue", "idempotency_keys")]
    return (*tax, *ours)


async def test_a_dry_run_lists_every_call_and_changes_nothing(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database) -> None:
    town, staff = await _town_with_intake(http, platform, tax_db, api, ["tax:write"])
    assert (await staff.save(INTAKE, SOURCE)).status_code == 201
    people = [new_person() for _ in range(3)]
    for person in people:
        await register(tax_db, town.code, person, since=date(2020, 1, 1))
    rows = [report_row(p, town.code, 3_000_000 + i) for i, p in enumerate(people)]
    rows.append({**rows[0], "salary_income": "多い"})  # fails the scenario's own check
    before = await _snapshot(tax_db, automation_db, town.code)
    response = await staff.upload(INTAKE, report_csv(rows), fiscal_year=FY, dry_run="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["items_processed"], body["items_failed"]) == ("done", 3, 1)
    assert [(c["method"], c["performed"]) for c in body["calls"]] == [("POST", False)] * 3
    assert body["calls"][0]["path"] == f"/tax/salary-reports/imports?fiscal_year={FY}&format=json"
    assert body["calls"][0]["body"]["rows"][0]["salary_income"] == 3_000_000
    assert [(h["kind"], h["item"]) for h in body["human_queue"]] == [("invalid_item", 3)]
    assert await _snapshot(tax_db, automation_db, town.code) == before


async def test_a_killed_worker_resumes_a_1000_row_intake_and_each_row_is_done_once(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database, infrastructure: Infrastructure,
        var_dir: Path) -> None:
    town, staff = await _town_with_intake(http, platform, tax_db, api, ["tax:write"])
    assert (await staff.save(INTAKE, SOURCE)).status_code == 201
    people = [new_person() for _ in range(1000)]
    for person in people:
        await register(tax_db, town.code, person, since=date(2020, 1, 1))
    rows = [report_row(p, town.code, 2_000_000 + i) for i, p in enumerate(people)]
    bad = set(range(7, 1000, 100))  # ten rows the scenario's checks send to the human queue
    for index in bad:
        rows[index] = {**rows[index], "birth_date": "昭和55年"}
    started = await staff.upload(INTAKE, report_csv(rows), fiscal_year=FY)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    items_sql = "SELECT count(*) FROM run_steps WHERE run_id = :r AND kind = 'item'"

    with Worker(infrastructure, var_dir, platform.url) as worker:
        async def some_done() -> bool:
            return await count(automation_db, town.code, items_sql, r=run_id) >= 150
        await wait_for(some_done, 120, "the first rows")
        worker.kill()
        cut_at = await count(automation_db, town.code, items_sql, r=run_id)
        assert cut_at < 1000
        assert (await staff.get(f"/runs/{run_id}")).json()["state"] == "running"

        worker.start()
        run = await wait_for(lambda: staff.run_in(run_id, "done", "failed"), 240,
                             "the resumed run")
    assert run["state"] == "done", run
    assert (run["items_done"], run["items_failed"]) == (990, 10)
    code = town.code
    assert await count(automation_db, code, items_sql, r=run_id) == 1000
    assert await count(automation_db, code, "SELECT count(*) FROM run_steps WHERE run_id = :r "
                       "AND kind = 'call' AND status = 'done'", r=run_id) == 990
    assert await count(tax_db, code, "SELECT count(*) FROM salary_reports") == 990
    assert await count(tax_db, code, "SELECT count(DISTINCT platform_person_id) "
                       "FROM salary_reports") == 990
    assert await count(tax_db, code, "SELECT count(*) FROM salary_imports") == 990
    assert await count(tax_db, code, "SELECT count(*) FROM idempotency_keys "
                       "WHERE key LIKE :k", k=f"automation-{run_id}-%") == 990
    queue = (await staff.get("/human-queue", run_id=run_id)).json()["items"]
    assert sorted(item["item"] for item in queue) == sorted(bad)
    assert all("birth_date" in item["reason"] for item in queue)
    # The rows are personal data: reading them needs a purpose, and the read is logged.
    unexplained = {k: v for k, v in staff.headers().items() if k != "X-Kyodo-Purpose"}
    assert (await api.get(staff.url("/human-queue"), headers=unexplained)).status_code == 400
    assert await count(automation_db, code, "SELECT count(*) FROM access_log "
                       "WHERE action = 'automation.human_queue.read'") == len(queue)

    month = datetime.now(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m")
    report = (await staff.get("/reports/time-saved", month=month)).json()
    assert report["scenarios"] == [{
        "scenario": INTAKE, "runs": 1, "items_processed": 990, "items_failed": 10,
        "minutes_per_item": 3.0, "hours_saved": 49.5, "failure_rate": 0.01}]
    assert (report["hours_saved"], report["failure_rate"]) == (49.5, 0.01)
    empty = (await staff.get("/reports/time-saved", month="2019-01")).json()
    assert empty["items_processed"] == 0 and empty["scenarios"] == []


async def _partner_token(http: httpx.AsyncClient, platform: LoopbackPlatform, town: Town,
                         scopes: list[str]) -> dict[str, str]:
    client_id, secret = await new_client(http, platform, town, scopes)
    token = (await http.post(f"{platform.url}/v1/auth/token", data={
        "grant_type": "client_credentials", "client_id": client_id,
        "client_secret": secret})).json()["access_token"]
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "automation"}


SWITCH = "resident-leaves-switch-collection"  # the built-in 普通徴収 switch


async def _taxed_by_special_collection(http: httpx.AsyncClient, platform: LoopbackPlatform,
                                       tax_db: Database, town: Town
                                       ) -> tuple[Any, dict[str, str], str]:
    """A person taxed by 特別徴収 in FY through their employer's salary report."""
    person = new_person()
    await register(tax_db, town.code, person, since=date(2020, 1, 1))
    tax = await _partner_token(http, platform, town, ["tax:read", "tax:write"])
    base = f"{platform.url}/v1/municipalities/{town.code}/tax"
    imported = await http.post(
        f"{base}/salary-reports/imports?fiscal_year={FY}",
        content=report_csv([report_row(person, town.code, 4_000_000)]),
        headers={**tax, "Content-Type": "text/csv", "Idempotency-Key": uuid.uuid4().hex})
    assert imported.status_code == 201, imported.text
    assessed = await http.post(f"{base}/assessments", json={
        "fiscal_year": FY, "platform_person_id": str(person.platform_person_id)},
        headers={**tax, "Idempotency-Key": uuid.uuid4().hex})
    assert assessed.status_code == 201, assessed.text
    assert assessed.json()["collection"]["method"] == "special"
    return person, tax, base


async def _switch_scenario_for_a_taxed_person(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient) -> tuple[Town, Automation, Any, dict[str, str], str]:
    """A new town whose staff saved the built-in 普通徴収 switch (its client may read and write
    tax), and a person of it taxed by 特別徴収."""
    town = await new_town(http, platform, tax_db)
    staff = Automation(api, town.code)
    builtins = (await staff.get("/builtin-scenarios")).json()["items"]
    source = next(b["source"] for b in builtins if b["scenario"] == SWITCH)
    client_id, secret = await new_client(http, platform, town, ["tax:read", "tax:write"])
    assert (await staff.grant(SWITCH, client_id, secret)).status_code == 200
    assert (await staff.save(SWITCH, source)).status_code == 201
    person, tax, base = await _taxed_by_special_collection(http, platform, tax_db, town)
    return town, staff, person, tax, base


async def _deliver(automation_db: Database, event: Any, *, source: str, subject: str,
                   code: str) -> str:
    """The event as the automation consumer would apply it; returns its id."""
    from kyodo_automation.service_layer.unit_of_work import AutomationInboxUnitOfWork
    from kyodo_automation.service_layer.when_event_start_runs import when_event_start_runs
    from kyodo_common.events import Envelope

    envelope = Envelope(type=event.event_type, source=source, subject=subject,
                        municipality=code, data=event.model_dump_json().encode())
    async with automation_db.tenant_transaction(code) as session:
        await when_event_start_runs(AutomationInboxUnitOfWork(session), [(event, envelope)])
    return envelope.id


async def test_a_death_switches_the_years_special_collection_and_tells_the_tax_office(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database, infrastructure: Infrastructure,
        var_dir: Path) -> None:
    from kyodo_residents_events import ResidentDied

    name = SWITCH
    town, staff, person, tax, base = await _switch_scenario_for_a_taxed_person(
        http, platform, tax_db, api)

    died = ResidentDied(municipality_code=town.code, effective_date=date(FY, 9, 15),
                        reason="死亡", subject_id=person.records[town.code][0],
                        residents=(person.state(town.code, 2, "died", "旭町二丁目3番1号"),))
    event_id = await _deliver(automation_db, died, source="kyodo/residents",
                              subject=died.subject, code=town.code)
    (run,) = (await staff.get(f"/scenarios/{name}/runs")).json()["items"]
    assert (run["state"], run["trigger"]) == ("queued", f"event:{event_id}")

    with Worker(infrastructure, var_dir, platform.url):
        done = await wait_for(lambda: staff.run_in(run["id"], "done", "failed", "waiting"), 60,
                              "the run")
    assert done["state"] == "done", (done["error"], done["failed_step"])
    after = (await http.get(f"{base}/persons/{person.platform_person_id}/assessments",
                            params={"fiscal_year": FY}, headers=tax)).json()
    assert after["items"][0]["collection"]["method"] == "ordinary"
    steps = (await staff.get(f"/runs/{run['id']}/steps")).json()["items"]
    assert [(s["kind"], s["status"]) for s in steps if s["kind"] != "item"] == [
        ("call", "done"), ("call", "done"), ("notify", "done")]
    # The steps in keyset pages: one, then the rest through the first page's cursor.
    first = (await staff.get(f"/runs/{run['id']}/steps", limit=1)).json()
    rest = (await staff.get(f"/runs/{run['id']}/steps", limit=500, cursor=first["next"])).json()
    assert first["items"] + rest["items"] == steps and rest["next"] is None
    for params in ({"limit": 0}, {"limit": 501}, {"cursor": "Zm9v"}):
        refused = await staff.get(f"/runs/{run['id']}/steps", **params)
        assert [p["name"] for p in refused.json()["invalid_params"]] == list(params)
    assert all(s["trace_id"] == done["trace_id"] for s in steps)
    relay = Database(infrastructure.relay_url("automation"))  # reads every tenant's outbox
    try:
        async with relay.platform_transaction() as session:
            told = (await session.execute(sa.text(
                "SELECT data FROM outbox WHERE municipality_code = :c AND type = :t"),
                {"c": town.code, "t": "jp.kyodo.automation.notified.v1"})).scalars().all()
    finally:
        await relay.dispose()
    assert len(told) == 1 and told[0]["to"] == "税務課" and "死亡" in told[0]["message"]


async def test_a_schedule_starts_one_run_per_slot_however_many_look(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database) -> None:
    import asyncio

    from kyodo_automation.service_layer.schedules import start_due_runs

    town = await new_town(http, platform, tax_db)
    staff = Automation(api, town.code)
    client_id, secret = await new_client(http, platform, town, ["tax:read"])
    assert (await staff.grant("daily-rules", client_id, secret)).status_code == 200
    source = ("scenario: daily-rules\ntitle: 税制の確認\nminutes_per_item: 1\n"
              "trigger:\n  schedule: {every: 1d}\nsteps:\n  - call: GET /tax/rules\n")
    assert (await staff.save("daily-rules", source)).status_code == 201
    now = datetime.now(ZoneInfo("Asia/Tokyo"))
    started = await asyncio.gather(*(start_due_runs(automation_db, now) for _ in range(3)))
    assert sum(started) >= 1
    (run,) = (await staff.get("/scenarios/daily-rules/runs")).json()["items"]
    assert run["trigger"] == f"schedule:{now:%Y-%m-%d}T00:00"
    assert await start_due_runs(automation_db, now) >= 0
    assert len((await staff.get("/scenarios/daily-rules/runs")).json()["items"]) == 1


async def test_a_slot_missed_while_no_worker_ran_is_caught_up_once(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database) -> None:
    """The worker is down across three 09:00 slots; on its return (two workers at once, on an
    injected clock) the latest slot runs once, and the schedule shows what it does."""
    import asyncio

    from kyodo_automation.service_layer.schedules import start_due_runs

    town = await new_town(http, platform, tax_db)
    staff = Automation(api, town.code)
    client_id, secret = await new_client(http, platform, town, ["tax:read"])
    assert (await staff.grant("morning-rules", client_id, secret)).status_code == 200
    head = "scenario: morning-rules\ntitle: 税制の確認\nminutes_per_item: 1\ntrigger:\n"
    steps = "steps:\n  - call: GET /tax/rules\n"
    refused = await staff.save("morning-rules", head + "  schedule: {cron: 0 9 * * 8}\n" + steps)
    assert refused.status_code == 422
    assert [(p["name"], p["line"]) for p in refused.json()["invalid_params"]] == [
        ("/trigger/schedule/cron", 5)]
    saved = await staff.save("morning-rules", head + "  schedule: {cron: 0 9 * * *}\n" + steps)
    assert saved.status_code == 201
    shown = (await staff.get("/scenarios/morning-rules/versions/1")).json()
    assert shown["schedule"] == {"cron": "0 9 * * *", "timezone": "Asia/Tokyo",
                                 "catch_up": "latest"}

    back = (datetime.now(JST) + timedelta(days=3)).replace(hour=11, minute=30)
    await asyncio.gather(*(start_due_runs(automation_db, back) for _ in range(2)))
    await start_due_runs(automation_db, back + timedelta(hours=3))
    runs = (await staff.get("/scenarios/morning-rules/runs")).json()["items"]
    assert [r["trigger"] for r in runs] == [f"schedule:{back:%Y-%m-%d}T09:00"]


async def test_a_move_out_waits_for_a_persons_approval_then_switches(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        api: httpx.AsyncClient, automation_db: Database, infrastructure: Infrastructure,
        var_dir: Path) -> None:
    from kyodo_residents_events import ResidentMovedOut

    from .automation_kit import AUTHOR_SCOPES

    name = SWITCH
    town, staff, person, tax, base = await _switch_scenario_for_a_taxed_person(
        http, platform, tax_db, api)

    moved = ResidentMovedOut(
        municipality_code=town.code, effective_date=date(FY, 10, 1), reason="転出",
        subject_id=person.records[town.code][0],
        residents=(person.state(town.code, 2, "moved_out", "旭町二丁目3番1号"),))
    await _deliver(automation_db, moved, source="kyodo/residents", subject=moved.subject,
                   code=town.code)
    (run,) = (await staff.get(f"/scenarios/{name}/runs")).json()["items"]
    run_id = run["id"]

    with Worker(infrastructure, var_dir, platform.url):
        await wait_for(lambda: staff.run_in(run_id, "waiting", "failed", "done"), 60,
                       "the approval")
        assert (await staff.run_in(run_id, "waiting")) is not None
        (question,) = (await staff.get("/human-queue", run_id=run_id)).json()["items"]
        assert question["kind"] == "approval" and f"{FY} 年度" in question["reason"]
        still = (await http.get(f"{base}/persons/{person.platform_person_id}/assessments",
                                params={"fiscal_year": FY}, headers=tax)).json()
        assert still["items"][0]["collection"]["method"] == "special"

        decide = staff.url(f"/human-queue/{question['id']}/decision")
        author_only = await api.post(decide, json={"decision": "approved"},
                                     headers=staff.headers(AUTHOR_SCOPES))
        assert author_only.status_code == 403
        approved = await api.post(decide, json={"decision": "approved", "note": "退職確認済"},
                                  headers=staff.headers())
        assert approved.status_code == 200, approved.text
        assert approved.json()["decided_by"] == "automation-clerk"
        again = await api.post(decide, json={"decision": "rejected"}, headers=staff.headers())
        assert again.status_code == 409
        done = await wait_for(lambda: staff.run_in(run_id, "done", "failed"), 60,
                              "the resumed run")
    assert done["state"] == "done", (done["error"], done["failed_step"])
    after = (await http.get(f"{base}/persons/{person.platform_person_id}/assessments",
                            params={"fiscal_year": FY}, headers=tax)).json()
    assert after["items"][0]["collection"]["method"] == "ordinary"
    steps = (await staff.get(f"/runs/{run_id}/steps")).json()["items"]
    switch = next(s for s in steps if s["kind"] == "call" and s["input"]["method"] == "POST")
    assert switch["input"]["body"] == {"reason": "left_job", "on": f"{FY}-10-01"}
    assert [s["status"] for s in steps if s["kind"] == "approval"] == ["approved"]


async def test_after_a_declaration_and_an_approval_the_surveyed_houses_get_certificates(
        http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database,
        disaster_db: Database, api: httpx.AsyncClient, infrastructure: Infrastructure,
        automation_db: Database, var_dir: Path) -> None:
    import asyncio

    from kyodo_disaster_events import DisasterDeclared

    from kyodo_common.clock import today_in_japan
    from kyodo_disaster.service_layer.job_runner import run_pending_jobs

    from .disaster_kit import feed as feed_residents
    from .disaster_kit import published, resident, unique_block

    name = "disaster-certificates"
    town = await new_town(http, platform, tax_db)
    staff = Automation(api, town.code)
    source = next(b["source"] for b in (await staff.get("/builtin-scenarios")).json()["items"]
                  if b["scenario"] == name)
    client_id, secret = await new_client(http, platform, town, ["disaster:read",
                                                               "disaster:write"])
    assert (await staff.grant(name, client_id, secret)).status_code == 200
    assert (await staff.save(name, source)).status_code == 201

    # The disaster office declares, surveys two houses and takes three applications.
    office = await _partner_token(http, platform, town, ["disaster:read", "disaster:write"])
    base = f"{platform.url}/v1/municipalities/{town.code}/disaster"
    block = unique_block()
    addresses = [f"新潟県三条市元町{block}番{n}号" for n in range(1, 4)]
    people = [resident(address=a, household_id=uuid.uuid4()) for a in addresses]
    await feed_residents(disaster_db, town.code, *people)
    today = today_in_japan()
    declared = await http.post(f"{base}/disasters", headers={
        **office, "Idempotency-Key": uuid.uuid4().hex}, json={
        "name": "令和8年7月大雨災害", "kind": "flood",
        "occurred_on": str(today - timedelta(days=3)), "affected_area": ["元町"],
        "application_opens_on": str(today - timedelta(days=2)),
        "application_closes_on": str(today + timedelta(days=60))})
    assert declared.status_code == 201, declared.text
    disaster_id = declared.json()["id"]
    csv = ("survey_ref,postal_code,address,survey_kind,damage_ratio,surveyed_on,"
           "applicant_resident_number,copies\n" + "\n".join(
               f"A-{n},955-8686,{a},一次調査,{40 + n},{today},{p.resident_number},1"
               for n, (a, p) in enumerate(zip(addresses[:2], people[:2], strict=True))))
    imported = await http.post(f"{base}/disasters/{disaster_id}/surveys/import",
                               content=csv.encode(), headers={
                                   **office, "Idempotency-Key": uuid.uuid4().hex,
                                   "Content-Type": "text/csv"})
    assert imported.json()["applications_created"] == 2, imported.text
    house = await http.post(f"{base}/disasters/{disaster_id}/houses", headers={
        **office, "Idempotency-Key": uuid.uuid4().hex},
        json={"postal_code": "955-8686", "address": addresses[2]})
    unsurveyed = await http.post(f"{base}/houses/{house.json()['id']}/applications", headers={
        **office, "Idempotency-Key": uuid.uuid4().hex},
        json={"applicant_resident_id": str(people[2].resident_id)})
    assert unsurveyed.status_code == 201, unsurveyed.text

    (event_type, data), *_ = await published(infrastructure, disaster_id)
    event = DisasterDeclared.model_validate(data)
    assert event_type == event.event_type
    await _deliver(automation_db, event, source="kyodo/disaster", subject=disaster_id,
                   code=town.code)
    (run,) = (await staff.get(f"/scenarios/{name}/runs")).json()["items"]

    with Worker(infrastructure, var_dir, platform.url):
        await wait_for(lambda: staff.run_in(run["id"], "waiting", "failed"), 60, "the approval")
        (question,) = (await staff.get("/human-queue", run_id=run["id"])).json()["items"]
        assert "令和8年7月大雨災害" in question["reason"]
        approved = await api.post(staff.url(f"/human-queue/{question['id']}/decision"),
                                  json={"decision": "approved"}, headers=staff.headers())
        assert approved.status_code == 200, approved.text
        done = await wait_for(lambda: staff.run_in(run["id"], "done", "failed"), 60, "the run")
    assert done["state"] == "done", (done["error"], done["failed_step"])
    job_id = done["outputs"]["job"]
    await run_pending_jobs(disaster_db, asyncio.Event(), chunk_size=10)
    job = (await http.get(f"{base}/certificate-jobs/{job_id}", headers=office)).json()
    assert (job["state"], job["total"], job["marked_ready"], job["refused"]) == (
        "finished", 3, 2, 1)
    assert job["refusals"][0]["reason"] == "the house has not been surveyed yet"
