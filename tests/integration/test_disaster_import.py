"""Surveys imported from a field-survey CSV, bad rows reported by line, re-import idempotent;
then a certificate job marks the applications ready and the houses are republished."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_disaster.service_layer.job_runner import run_pending_jobs
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .disaster_kit import Clerk, disaster_app, feed, published, resident, unique_block

pytestmark = pytest.mark.integration
HEADER = ("survey_ref,postal_code,address,survey_kind,damage_ratio,surveyed_on,"
          "applicant_resident_number,copies\n")


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def _count(db: Database, table: str, disaster_id: str) -> int:
    async with db.tenant_transaction(SANJO) as session:
        return int((await session.execute(
            sa.text(f"SELECT count(*) FROM {table} WHERE disaster_id = :d"),  # noqa: S608
            {"d": disaster_id})).scalar_one())


async def test_a_field_survey_file_with_bad_rows_then_fixed_and_imported_again(
    client: httpx.AsyncClient, disaster_db: Database,
) -> None:
    block = unique_block()
    addresses = [f"新潟県三条市旭町二丁目{block}番{n}号" for n in range(1, 5)]
    people = [resident(address=a, given=f"住人{n}", household_id=uuid.uuid4())
              for n, a in enumerate(addresses)]
    await feed(disaster_db, SANJO, *people)
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    today = today_in_japan().isoformat()
    rows = [
        f"F-1,955-8686,{addresses[0]},一次調査,55,{today},{people[0].resident_number},2",
        f"F-2,955-8686,{addresses[1]},一次調査,12.345,{today},,",  # three decimals
        f"F-3,955-8686,{addresses[2]},一次調査,25,{today},,",
        f"F-4,955-8686,新潟県三条市本町1番1号,一次調査,25,{today},,",  # outside the area
        f"F-5,955-8686,{addresses[3]},二次調査,30,{today},,",  # no first survey yet
        f"F-6,955-8686,{addresses[2]},二次調査,41,{today},,",  # re-survey in the same file
        f"F-7,955-8686,{addresses[3]},一次調査,25,{today},{people[0].resident_number},1",
    ]
    url = f"/disasters/{disaster['id']}/surveys/import"
    dry = await clerk.post(url + "?dry_run=true", content="\n".join([HEADER + rows[0], *rows[1:]])
                           .encode())
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert await _count(disaster_db, "houses", disaster["id"]) == 0, "a dry run writes nothing"

    first = await clerk.post(url, content=(HEADER + "\n".join(rows) + "\n").encode())
    assert first.status_code == 200, first.text
    report = first.json()
    assert [(e["line"], e["field"]) for e in report["errors"]] == [
        (3, "damage_ratio"), (5, "address"), (6, "kind"), (8, "applicant_resident_number")]
    assert "the first is 一次調査" in report["errors"][2]["reason"]
    assert (report["houses_created"], report["surveys_recorded"],
            report["applications_created"]) == (2, 3, 1)
    assert report == dry.json() | {"dry_run": False}, "the dry run told the same"

    fixed = rows.copy()
    fixed[1] = f"F-2,955-8686,{addresses[1]},一次調査,12.34,{today},,"
    fixed[4] = f"F-5,955-8686,{addresses[3]},一次調査,30,{today},,"
    fixed[6] = f"F-7,955-8686,{addresses[3]},二次調査,25,{today},{people[3].resident_number},1"
    again = await clerk.post(url, content=(HEADER + "\n".join(fixed)).encode("cp932"))
    assert again.status_code == 200, again.text
    second = again.json()
    assert [(e["line"], e["field"]) for e in second["errors"]] == [(5, "address")]
    assert (second["unchanged"], second["surveys_recorded"], second["houses_created"],
            second["applications_created"]) == (3, 3, 2, 1)

    thrice = await clerk.post(url, content=(HEADER + "\n".join(fixed)).encode())
    assert (thrice.json()["unchanged"], thrice.json()["surveys_recorded"]) == (6, 0)
    changed = fixed.copy()
    changed[0] = f"F-1,955-8686,{addresses[0]},一次調査,56,{today},,"
    conflict = await clerk.post(url, content=(HEADER + changed[0]).encode())
    assert conflict.json()["errors"][0]["field"] == "survey_ref"
    assert await _count(disaster_db, "surveys", disaster["id"]) == 6
    assert await _count(disaster_db, "applications", disaster["id"]) == 2

    bad_header = await clerk.post(url, content=b"ref,address\nx,y\n")
    assert bad_header.status_code == 422
    wrong_type = await clerk.post(url, {"rows": []})
    assert wrong_type.status_code == 415


async def test_a_certificate_job_marks_applications_ready_and_republishes_the_houses(
    client: httpx.AsyncClient, disaster_db: Database, infrastructure: Infrastructure,
) -> None:
    block = unique_block()
    addresses = [f"新潟県三条市元町{block}番{n}号" for n in range(1, 4)]
    people = [resident(address=a, household_id=uuid.uuid4()) for a in addresses]
    await feed(disaster_db, SANJO, *people)
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    today = today_in_japan().isoformat()
    csv = HEADER + "\n".join(
        f"J-{n},955-8686,{a},一次調査,{40 + n},{today},{p.resident_number},{n + 1}"
        for n, (a, p) in enumerate(zip(addresses[:2], people[:2], strict=True)))
    assert (await clerk.post(f"/disasters/{disaster['id']}/surveys/import",
                             content=csv.encode())).json()["applications_created"] == 2
    unsurveyed = await clerk.house(disaster["id"], addresses[2])
    pending = await clerk.post(f"/houses/{unsurveyed['id']}/applications",
                               {"applicant_resident_id": str(people[2].resident_id)})
    assert pending.status_code == 201, pending.text
    stranger = await clerk.post(f"/houses/{unsurveyed['id']}/applications",
                                {"applicant_resident_id": str(people[0].resident_id)})
    assert stranger.status_code == 422

    listed = (await clerk.get(f"/disasters/{disaster['id']}/applications")).json()
    ids = [a["id"] for a in listed["items"]] + [str(uuid.uuid4())]
    assert len(ids) == 4 and listed["next"] is None
    # Keyset pages: two of one and two, the cursor carried from the first to the second.
    first = (await clerk.get(f"/disasters/{disaster['id']}/applications", limit=1)).json()
    rest = (await clerk.get(f"/disasters/{disaster['id']}/applications", limit=2,
                            cursor=first["next"])).json()
    assert [a["id"] for a in first["items"] + rest["items"]] == ids[:3]
    assert rest["next"] is None
    for params in ({"limit": 0}, {"limit": 501}, {"cursor": first["next"][:-2]},
                   {"cursor": "eyJhIjoxfQ"}):
        refused = await clerk.get(f"/disasters/{disaster['id']}/applications", **params)
        assert refused.status_code == 422, params
        assert [p["name"] for p in refused.json()["invalid_params"]] == list(params)
    started = await clerk.post("/certificate-jobs", {"application_ids": ids})
    assert started.status_code == 202, started.text
    job_url = started.headers["Location"].split("/disaster", 1)[1]
    assert started.json()["state"] == "queued" and started.json()["total"] == 4

    await run_pending_jobs(disaster_db, asyncio.Event(), chunk_size=2)
    job = (await clerk.get(job_url)).json()
    assert (job["state"], job["processed"], job["marked_ready"], job["refused"]) == (
        "finished", 4, 2, 2)
    assert {r["reason"] for r in job["refusals"]} == {
        "the house has not been surveyed yet", "no such application"}

    ready = (await clerk.get(f"/disasters/{disaster['id']}/applications",
                             status="ready")).json()["items"]
    house_id = next(a["house_id"] for a in ready if a["copies"] == 2)
    events = await published(infrastructure, house_id)
    assert [e["certificate_requested"] for _, e in events] == [False, True]
    requested = events[-1][1]
    assert requested["requests"][0]["copies"] == 2 and requested["version"] == 3
    assert requested["survey_version"] == 1 and requested["grade"] == "大規模半壊"  # 41 %
    # Who asked for the job travels with the request: certificates logs the issuance as theirs.
    first_request = requested["requests"][0]
    assert first_request["job_id"] == started.json()["id"]
    assert (first_request["requested_by"], first_request["requested_by_home"],
            first_request["grant_id"]) == ("sanjo-clerk", SANJO, None)

    again = await clerk.post("/certificate-jobs", {"application_ids": [a["id"] for a in ready]})
    await run_pending_jobs(disaster_db, asyncio.Event(), chunk_size=2)
    rerun = (await clerk.get(again.headers["Location"].split("/disaster", 1)[1])).json()
    assert (rerun["already_ready"], rerun["marked_ready"]) == (2, 0)
    assert len(await published(infrastructure, house_id)) == 2, "nothing new to publish"

    house = (await clerk.get(f"/houses/{house_id}")).json()
    resurveyed = await clerk.survey(house, "52", kind="second", appeal_reason="再調査の依頼")
    assert resurveyed.status_code == 201, resurveyed.text
    kind, reassessed = (await published(infrastructure, house_id))[-1]
    assert kind == "jp.kyodo.disaster.house_damage_reassessed.v1"
    assert (reassessed["grade"], reassessed["previous_grade"]) == ("全壊", "大規模半壊")
    assert reassessed["certificate_requested"] is True, "certificates re-issues on the new grade"
    assert reassessed["requests"] == requested["requests"]
    assert (reassessed["version"], reassessed["survey_version"]) == (4, 2)
