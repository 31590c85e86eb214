"""A large field-survey file as a job (issue #21): a file no row of which can be imported is
refused whole (problem+json naming each bad row, nothing stored); another is queued (202, the
same answer to the same Idempotency-Key) with the rows it refused by themselves, and the worker
imports it chunk by chunk; a crash inside a chunk leaves nothing of that chunk, and the next run
continues from the cursor to the end: each house, survey, event and access-log entry once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_disaster.adapters.survey_imports import record_failure
from kyodo_disaster.domain.rules import load_rules
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.job_runner import run_pending_imports
from kyodo_disaster.service_layer.survey_import_jobs import run_import_job
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .disaster_kit import Clerk, disaster_app, feed, published, resident, unique_block

pytestmark = pytest.mark.integration
HEADER = ("survey_ref,postal_code,address,survey_kind,damage_ratio,surveyed_on,"
          "applicant_resident_number,copies\n")
ROWS = 12
SYNC_ROWS = 5  # files of more rows are jobs here
CHUNK = 5


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var"),
                            import_sync_rows=SYNC_ROWS) as c:
        yield c


async def _count(db: Database, sql: str, **params: object) -> int:
    async with db.tenant_transaction(SANJO) as session:
        return int((await session.execute(sa.text(sql), params)).scalar_one())


class _Crash(Exception):
    pass


async def test_a_large_file_is_refused_whole_or_imported_by_chunks_through_a_crash(
    client: httpx.AsyncClient, disaster_db: Database, infrastructure: Infrastructure,
) -> None:
    block = unique_block()
    addresses = [f"新潟県三条市旭町二丁目{block}番{n}号" for n in range(1, ROWS + 1)]
    people = [resident(address=a, given=f"住人{n}", household_id=uuid.uuid4())
              for n, a in enumerate(addresses)]
    await feed(disaster_db, SANJO, *people)
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    today = today_in_japan().isoformat()
    rows = [f"J-{n},955-8686,{a},一次調査,{20 + n},{today},"
            f"{people[n].resident_number if n % 2 == 0 else ''},{1 if n % 2 == 0 else ''}"
            for n, a in enumerate(addresses)]
    url = f"/disasters/{disaster['id']}/surveys/import"
    houses = "SELECT count(*) FROM houses WHERE disaster_id = :d"
    imports = "SELECT count(*) FROM survey_imports WHERE disaster_id = :d"

    hopeless = [f"X-{n},955-8686,{a},一次調査,12.345,{today},," for n, a in enumerate(addresses)]
    refused = await clerk.post(url, content=(HEADER + "\n".join(hopeless) + "\n").encode())
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [p["name"] for p in refused.json()["invalid_params"]] == [
        f"line {n + 2}: damage_ratio" for n in range(ROWS)]
    assert await _count(disaster_db, houses, d=disaster["id"]) == 0, "nothing stored"
    assert await _count(disaster_db, imports, d=disaster["id"]) == 0, "no job made"

    rows.insert(2, f"J-X,955-8686,{addresses[2]},一次調査,12.345,{today},,")  # line 4
    body = (HEADER + "\n".join(rows) + "\n").encode()
    key = uuid.uuid4().hex
    queued = await clerk.post(url, content=body, key=key)
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert (job["state"], job["total"], job["done"], job["refused"]) == ("queued", ROWS + 1, 1, 1)
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(4, "damage_ratio")]
    location = queued.headers["Location"]
    assert location.endswith(f"/disaster/survey-imports/{job['id']}")
    again = await clerk.post(url, content=body, key=key)
    assert (again.status_code, again.json()["id"], again.headers["Location"]) == (
        202, job["id"], location), "the same key, the same import"
    assert await _count(disaster_db, imports, d=disaster["id"]) == 1
    import_id = uuid.UUID(job["id"])
    context = DisasterContext(rules=load_rules(None), allow_unverified=False)

    def crash_in_the_second_chunk(cursor: int) -> None:
        if cursor == CHUNK:
            raise _Crash

    with pytest.raises(_Crash):
        await run_import_job(disaster_db, import_id=import_id, code=SANJO, context=context,
                             today=today_in_japan(), should_stop=lambda: False,
                             chunk_rows=CHUNK, fault=crash_in_the_second_chunk)
    halfway = (await client.get(location, headers=clerk.headers)).json()
    # The first chunk: five rows of the file, one of them refused when it came.
    assert (halfway["state"], halfway["done"], halfway["houses_created"]) == (
        "running", CHUNK, CHUNK - 1)
    assert await _count(disaster_db, houses, d=disaster["id"]) == CHUNK - 1, \
        "the crashed chunk left nothing"

    assert await run_pending_imports(disaster_db, asyncio.Event(), context) >= 1
    done = (await client.get(location, headers=clerk.headers)).json()
    assert (done["state"], done["done"], done["total"], done["progress"]) == (
        "finished", ROWS + 1, ROWS + 1, 1.0)
    assert (done["houses_created"], done["surveys_recorded"], done["applications_created"],
            done["refused"]) == (ROWS, ROWS, ROWS // 2, 1)
    assert done["finished_at"] is not None
    assert await _count(disaster_db, houses, d=disaster["id"]) == ROWS
    assert await _count(disaster_db, "SELECT count(*) FROM applications WHERE disaster_id = :d",
                        d=disaster["id"]) == ROWS // 2
    assert await _count(disaster_db, "SELECT count(*) FROM survey_imports WHERE id = :i "
                        "AND content IS NULL", i=str(import_id)) == 1, "the file is dropped"
    async with disaster_db.tenant_transaction(SANJO) as session:
        ids = [str(h) for h in (await session.execute(sa.text(
            "SELECT id FROM houses WHERE disaster_id = :d"), {"d": disaster["id"]})).scalars()]
    for house in ids:
        events = await published(infrastructure, house)
        assert [t for t, _ in events] == ["jp.kyodo.disaster.house_damage_assessed.v1"], house
        assert await _count(disaster_db, "SELECT count(*) FROM access_log WHERE subject_id = :h "
                            "AND action = 'house.assessed' AND actor = :a",
                            h=house, a="sanjo-clerk") == 1, house
    assert await _count(disaster_db, "SELECT count(*) FROM access_log WHERE subject_id = :i "
                        "AND action = 'survey_import.requested'", i=str(import_id)) == 1


async def test_an_import_failing_again_and_again_is_failed_and_its_file_dropped(
    client: httpx.AsyncClient, disaster_db: Database,
) -> None:
    block = unique_block()
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    today = today_in_japan().isoformat()
    rows = [f"K-{n},955-8686,新潟県三条市旭町二丁目{block}番{n}号,一次調査,30,{today},,"
            for n in range(SYNC_ROWS + 1)]
    queued = await clerk.post(f"/disasters/{disaster['id']}/surveys/import",
                              content=(HEADER + "\n".join(rows) + "\n").encode())
    assert queued.status_code == 202, queued.text
    import_id = uuid.UUID(queued.json()["id"])
    for _ in range(2):
        await record_failure(disaster_db, import_id=import_id, code=SANJO,
                             error="OperationalError: the database went away", max_attempts=2)
    failed = (await client.get(queued.headers["Location"], headers=clerk.headers)).json()
    assert (failed["state"], failed["attempts"], failed["done"]) == ("failed", 2, 0)
    assert failed["error"] == "OperationalError: the database went away"
    assert await _count(disaster_db, "SELECT count(*) FROM survey_imports WHERE id = :i "
                        "AND content IS NULL", i=str(import_id)) == 1, "the file is dropped"
    context = DisasterContext(rules=load_rules(None), allow_unverified=False)
    await run_import_job(disaster_db, import_id=import_id, code=SANJO, context=context,
                         today=today_in_japan(), should_stop=lambda: False)
    assert await _count(disaster_db, "SELECT count(*) FROM houses WHERE disaster_id = :d",
                        d=disaster["id"]) == 0, "a failed import is not run again"


async def test_an_unknown_import_is_404(client: httpx.AsyncClient) -> None:
    clerk = Clerk(client, SANJO)
    missing = await clerk.get(f"/survey-imports/{uuid.uuid4()}")
    assert missing.status_code == 404, missing.text
    assert missing.headers["content-type"].startswith("application/problem+json")
