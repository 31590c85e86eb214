"""Bulk assessment as one durable job: progress, a crash in the middle, resumption, and every
person assessed exactly once with one event each."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date
from importlib import resources

import asyncpg
import pytest
import sqlalchemy as sa
from kyodo_residents_events import ResidentMovedOut

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, asyncpg_dsn
from kyodo_tax.domain.rulebook import RuleBook, load_rule_book, parse_rule_set
from kyodo_tax.service_layer.bulk_run import run_job
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.job_runner import run_pending_jobs
from kyodo_testing import Infrastructure

from .tax_harness import (
    TaxClerk,
    configure,
    feed,
    new_person,
    register,
    report_csv,
    report_row,
    tax_app,
)

pytestmark = pytest.mark.integration
UONUMA = "152251"
FY = 2025
CHUNK = 25

def _rules_with_an_unverified_row() -> RuleBook:
    """The shipped rules mark nothing unverified any more; the refusal path is shown with the
    under-65 pension row of FY marked unverified, as a future file may mark a rule."""
    shipped = load_rule_book()
    text = (resources.files("kyodo_tax.rules") / f"fy{FY}.toml").read_text("utf-8")
    row = '{ below = 1_300_001, base = "income", rate = "1", add = -600_000'
    assert row in text
    marked = parse_rule_set(text.replace(row, row + ", verified = false", 1), source="test")
    return RuleBook([marked, *(shipped.for_year(y) for y in shipped.fiscal_years if y != FY)])


CONTEXT = TaxContext(rule_book=_rules_with_an_unverified_row(), chunk_size=CHUNK)


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tax_db: Database,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TaxClerk]:
    await configure(tax_db, UONUMA)
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var"),
                       bulk_chunk_size=CHUNK) as client:
        yield TaxClerk(client, UONUMA)


async def _count(db: Database, sql: str, **params: object) -> int:
    async with db.tenant_transaction(UONUMA) as session:
        return int((await session.execute(sa.text(sql), params)).scalar_one())


async def _events(infrastructure: Infrastructure) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url("tax")))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE municipality_code = $1 "
                                       "AND type LIKE 'jp.kyodo.tax.%'", UONUMA))
    finally:
        await conn.close()


async def test_a_crashed_job_resumes_and_assesses_each_person_once(
        clerk: TaxClerk, tax_db: Database, infrastructure: Infrastructure) -> None:
    salaried = [new_person() for _ in range(128)]
    for person in salaried:
        await register(tax_db, UONUMA, person, since=date(2015, 4, 1))
    await clerk.import_csv(report_csv([report_row(p, UONUMA, 2_000_000 + 10_000 * i)
                                       for i, p in enumerate(salaried)]), FY)
    pensioner = new_person(birth=date(1963, 5, 5))  # under 65: the row marked unverified
    gone = new_person()  # left before 1 January: not this municipality's taxpayer
    for person in (pensioner, gone):
        await register(tax_db, UONUMA, person, since=date(2015, 4, 1))
        await clerk.post("/declarations", {"fiscal_year": FY, "pension_revenue": 1_200_000,
                                           "platform_person_id": str(person.platform_person_id)})
    await feed(tax_db, UONUMA, ResidentMovedOut, effective=date(2024, 11, 30),
               states=[gone.state(UONUMA, 2, "moved_out", "x")])

    started = await clerk.post("/bulk-assessments", {"fiscal_year": FY})
    assert started.status_code == 202, started.text
    job_id = uuid.UUID(started.json()["id"])
    assert started.json()["state"] == "queued"
    assert (await clerk.post("/bulk-assessments", {"fiscal_year": FY})).status_code == 409

    def crash_in_the_third_chunk(cursor: int) -> None:
        if cursor == 2 * CHUNK:
            raise Crash("the process died here, after its writes, before its commit")

    with pytest.raises(Crash):
        await run_job(tax_db, job_id=job_id, code=UONUMA, context=CONTEXT,
                      today=today_in_japan(), fault=crash_in_the_third_chunk)
    progress = (await clerk.get(f"/bulk-assessments/{job_id}")).json()
    assert (progress["state"], progress["total"], progress["done"]) == ("running", 129, 50)
    assert progress["progress"] == pytest.approx(50 / 129, abs=1e-4)
    done_before = await _count(tax_db, "SELECT count(*) FROM assessments WHERE job_id = :j",
                               j=job_id)
    assert done_before + progress["refused"] == 50  # the third chunk left nothing behind

    await run_job(tax_db, job_id=job_id, code=UONUMA, context=CONTEXT, today=today_in_japan())
    final = (await clerk.get(f"/bulk-assessments/{job_id}")).json()
    assert (final["state"], final["done"], final["assessed"], final["refused"]) == (
        "finished", 129, 128, 1)
    assert final["progress"] == 1.0
    per_person = await _count(tax_db, "SELECT count(DISTINCT platform_person_id) FROM "
                                      "assessments WHERE job_id = :j", j=job_id)
    rows = await _count(tax_db, "SELECT count(*) FROM assessments WHERE job_id = :j", j=job_id)
    assert per_person == rows == 128
    assert await _events(infrastructure) == 128
    refusals = (await clerk.get(f"/bulk-assessments/{job_id}/refusals")).json()["items"]
    assert refusals == [{"platform_person_id": str(pensioner.platform_person_id),
                         "reason": refusals[0]["reason"]}]
    assert "pension_income.under_65" in refusals[0]["reason"]

    # Run again (two runners at once): nothing changed, so no new version and no event.
    again = await clerk.post("/bulk-assessments", {"fiscal_year": FY})
    second = uuid.UUID(again.json()["id"])
    await asyncio.gather(*(run_job(tax_db, job_id=second, code=UONUMA, context=CONTEXT,
                                   today=today_in_japan()) for _ in range(2)))
    status = (await clerk.get(f"/bulk-assessments/{second}")).json()
    assert (status["state"], status["unchanged"], status["assessed"]) == ("finished", 128, 0)
    assert await _events(infrastructure) == 128


async def test_the_worker_loop_picks_up_queued_jobs(clerk: TaxClerk, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, UONUMA, person, since=date(2015, 4, 1))
    await clerk.import_csv(report_csv([report_row(person, UONUMA, 3_100_000)]), 2024)
    started = await clerk.post("/bulk-assessments", {"fiscal_year": 2024})
    assert await run_pending_jobs(tax_db, CONTEXT, asyncio.Event()) >= 1
    status = (await clerk.get(f"/bulk-assessments/{started.json()['id']}")).json()
    assert status["state"] == "finished" and status["assessed"] >= 1
