"""Importing 給与支払報告書: good rows in, bad rows reported by line, the same file again
changes nothing, a changed report supersedes the earlier one, and a large file is a job that
shows its progress and resumes after a crash."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_tax.service_layer.imports import run_import_job
from kyodo_tax.service_layer.job_runner import run_pending_imports
from kyodo_testing import Infrastructure

from .conftest import MITSUKE
from .tax_harness import TaxClerk, configure, new_person, register, report_csv, report_row, tax_app

pytestmark = pytest.mark.integration
FY = 2025
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tax_db: Database,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TaxClerk]:
    await configure(tax_db, MITSUKE)
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield TaxClerk(client, MITSUKE)


async def _stored(db: Database) -> tuple[int, int, int]:
    async with db.tenant_transaction(MITSUKE) as session:
        row = (await session.execute(sa.text(
            "SELECT (SELECT count(*) FROM salary_reports), "
            "(SELECT count(*) FROM salary_reports WHERE superseded_by IS NULL), "
            "(SELECT count(*) FROM salary_imports)"))).one()
    return int(row[0]), int(row[1]), int(row[2])


async def test_bad_rows_are_reported_good_rows_kept_and_a_second_import_changes_nothing(
        clerk: TaxClerk, tax_db: Database) -> None:
    people = [new_person() for _ in range(3)]
    for person in people:
        await register(tax_db, MITSUKE, person, since=date(2018, 4, 1))
    stranger = new_person()  # never registered in Mitsuke
    stranger.records[MITSUKE] = (uuid.uuid4(), "0000000019")
    rows = [
        report_row(people[0], MITSUKE, 4_000_000),                       # line 2: good
        report_row(people[1], MITSUKE, 3_000_000, salary_income="3,0x0"),  # line 3: amount
        report_row(people[1], MITSUKE, 3_000_000, birth_date="1981-01-01"),  # 4: not register's
        report_row(stranger, MITSUKE, 2_000_000),                        # line 5: unknown
        report_row(people[2], MITSUKE, 5_000_000, spouse="general", dependants_under_16=2),
        report_row(people[0], MITSUKE, 4_000_000),                       # line 7: duplicate
    ]
    rows[1]["salary_income"] = "3,0x0"
    content = report_csv(rows)
    before = await _stored(tax_db)

    first = await clerk.import_csv(content, FY)
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["received"], body["accepted"], body["rejected"]) == (6, 2, 4)
    assert {(p["line"], p["name"]) for p in body["problems"]} == {
        (3, "salary_income"), (4, "birth_date"), (5, "resident_number"),
        (7, "resident_number")}
    assert not body["already_imported"]
    after_first = await _stored(tax_db)
    assert after_first[0] - before[0] == 2

    again = await clerk.import_csv(content, FY)  # another Idempotency-Key, the same file
    assert again.status_code == 200 and again.json()["already_imported"]
    assert again.json()["import_id"] == body["import_id"]
    assert await _stored(tax_db) == after_first

    shown = await clerk.get(f"/salary-reports/imports/{body['import_id']}")
    assert shown.json()["problems"] == body["problems"]

    # A corrected file: one report changed, one the same, one new error fixed.
    rows[1]["salary_income"] = 3_000_000
    corrected = await clerk.import_csv(report_csv([rows[0], rows[1], {
        **rows[4], "salary_income": 5_200_000}]), FY)
    assert corrected.status_code == 201
    c = corrected.json()
    assert (c["accepted"], c["unchanged"], c["superseding"], c["rejected"]) == (2, 1, 1, 0)
    total, active, imports = await _stored(tax_db)
    assert (total - after_first[0], active - after_first[1], imports - after_first[2]) == (
        2, 1, 1)


async def test_a_file_that_cannot_be_read_is_refused_whole(clerk: TaxClerk,
                                                           tax_db: Database) -> None:
    before = await _stored(tax_db)
    response = await clerk.import_csv(b"employer_number,nickname\n1,x\n", FY)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert {p["name"] for p in response.json()["invalid_params"]} >= {"nickname"}
    unsupported = await clerk.post(f"/salary-reports/imports?fiscal_year={FY}",
                                   content=b"<xml/>", **{"Content-Type": "application/xml"})
    assert unsupported.status_code == 415
    assert await _stored(tax_db) == before


async def test_the_same_idempotency_key_replays_the_first_answer(clerk: TaxClerk,
                                                                 tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, MITSUKE, person, since=date(2019, 1, 1))
    content = report_csv([report_row(person, MITSUKE, 2_500_000)])
    first = await clerk.import_csv(content, FY, key="import-once")
    replay = await clerk.import_csv(content, FY, key="import-once")
    assert first.status_code == replay.status_code == 201
    assert first.json() == replay.json()
    other = await clerk.import_csv(report_csv([report_row(person, MITSUKE, 1)]), FY,
                                   key="import-once")
    assert other.status_code == 422  # the key was used for another file


async def test_json_import(clerk: TaxClerk, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, MITSUKE, person, since=date(2019, 1, 1))
    rows = [report_row(person, MITSUKE, 3_300_000), {"employer_number": "9"}]
    response = await clerk.post(f"/salary-reports/imports?fiscal_year={FY}", {"rows": rows})
    assert response.status_code == 201, response.text
    assert response.json()["accepted"] == 1 and response.json()["rejected"] == 1
    assert {p["line"] for p in response.json()["problems"]} == {2}


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
async def queuing_clerk(clerk: TaxClerk, infrastructure: Infrastructure,
                        tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TaxClerk]:
    """The API with a tiny synchronous limit, so that a file of a few rows becomes a job."""
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var"),
                       import_sync_rows=5) as client:
        yield TaxClerk(client, MITSUKE)


async def _reports_of(db: Database, import_id: str) -> tuple[int, int]:
    async with db.tenant_transaction(MITSUKE) as session:
        row = (await session.execute(sa.text(
            "SELECT count(*), count(DISTINCT row_key) FROM salary_reports "
            "WHERE import_id = :i"), {"i": import_id})).one()
    return int(row[0]), int(row[1])


async def test_a_large_file_is_a_job_that_shows_progress_and_resumes_after_a_crash(
        queuing_clerk: TaxClerk, tax_db: Database) -> None:
    people = [new_person() for _ in range(12)]
    for person in people:
        await register(tax_db, MITSUKE, person, since=date(2017, 4, 1))
    stranger = new_person()
    stranger.records[MITSUKE] = (uuid.uuid4(), "0000000027")
    rows = [report_row(p, MITSUKE, 2_000_000 + 1000 * n) for n, p in enumerate(people)]
    rows.insert(3, {**report_row(people[0], MITSUKE, 1), "salary_income": "x"})  # line 5
    rows.append(report_row(stranger, MITSUKE, 1_000_000))  # line 15
    started = await queuing_clerk.import_csv(report_csv(rows), FY)
    assert started.status_code == 202, started.text
    job = started.json()
    location = started.headers["Location"]
    assert location.endswith(f"/salary-reports/imports/{job['import_id']}")
    # the unreadable row is done (refused) at once; nothing is stored yet
    assert (job["state"], job["received"], job["done"], job["accepted"], job["rejected"]) == (
        "queued", 14, 1, 0, 1)
    assert await _reports_of(tax_db, job["import_id"]) == (0, 0)

    def crash_in_the_third_chunk(cursor: int) -> None:
        if cursor == 8:
            raise Crash("the process died after the chunk's writes, before its commit")

    with pytest.raises(Crash):
        await run_import_job(tax_db, import_id=uuid.UUID(job["import_id"]), code=MITSUKE,
                             today=today_in_japan(), should_stop=lambda: False, chunk_rows=4,
                             fault=crash_in_the_third_chunk)
    midway = (await queuing_clerk.get(f"/salary-reports/imports/{job['import_id']}")).json()
    assert (midway["state"], midway["done"], midway["accepted"]) == ("running", 9, 8)
    assert midway["progress"] == pytest.approx(9 / 14, abs=1e-4)
    assert await _reports_of(tax_db, job["import_id"]) == (8, 8)  # the third chunk: nothing

    # the worker's loop finds it through its door and continues from the cursor
    assert await run_pending_imports(tax_db, asyncio.Event()) == 1
    final = (await queuing_clerk.get(f"/salary-reports/imports/{job['import_id']}")).json()
    assert (final["state"], final["done"], final["progress"]) == ("finished", 14, 1.0)
    assert (final["accepted"], final["unchanged"], final["rejected"]) == (12, 0, 2)
    assert [(p["line"], p["name"]) for p in final["problems"]] == [
        (5, "salary_income"), (15, "resident_number")]
    assert await _reports_of(tax_db, job["import_id"]) == (12, 12)  # each row exactly once
    async with tax_db.tenant_transaction(MITSUKE) as session:
        kept = (await session.execute(sa.text(
            "SELECT content IS NULL FROM salary_imports WHERE id = :i"),
            {"i": job["import_id"]})).scalar()
    assert kept  # the file (personal data) is not kept once imported
    again = await queuing_clerk.import_csv(report_csv(rows), FY)
    assert again.status_code == 200 and again.json()["already_imported"]
