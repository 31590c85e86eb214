"""Assessments and corrections: a new version only when the inputs change, with the
difference; events in the outbox; reads need a purpose and are logged; collection switches."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import asyncpg
import pytest
import sqlalchemy as sa

from kyodo_common.db import Database, asyncpg_dsn
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .tax_harness import TaxClerk, configure, new_person, register, report_csv, report_row, tax_app

pytestmark = pytest.mark.integration
FY = 2025


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tax_db: Database,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TaxClerk]:
    await configure(tax_db, SANJO)
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield TaxClerk(client, SANJO)


async def _events(infrastructure: Infrastructure, person: Any) -> list[asyncpg.Record]:
    """The outbox as the relay sees it (the app role may only append to it)."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url("tax")))
    try:
        return await conn.fetch("SELECT type, key, data FROM outbox WHERE key = $1 ORDER BY id",
                                str(person.platform_person_id))
    finally:
        await conn.close()


async def test_first_assessment_then_a_correction_with_the_difference(
        clerk: TaxClerk, tax_db: Database, infrastructure: Infrastructure) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2012, 4, 1))
    await clerk.import_csv(report_csv([report_row(person, SANJO, 4_000_000)]), FY)

    first = await clerk.assess(person, FY)
    assert first.status_code == 201, first.text
    a = first.json()
    assert (a["version"], a["kind"], a["total"], a["difference"]) == (1, "initial", 175_500,
                                                                       None)
    assert a["income"]["salary_income"] == 2_760_000 and a["taxable_base"] == 1_730_000
    assert a["income_levy"]["adjustment_credit_municipal"] == 1_500
    assert a["collection"]["method"] == "special"
    assert [i["amount"] for i in a["collection"]["instalments"]] == [14_900] + [14_600] * 11

    same = await clerk.assess(person, FY)  # nothing changed: no new version, no event
    assert same.status_code == 200 and same.json()["id"] == a["id"]

    declared = await clerk.post("/declarations", {
        "fiscal_year": FY, "platform_person_id": str(person.platform_person_id),
        "spouse": {"birth_date": "1982-05-05"},
        "dependants": [{"birth_date": "2004-06-01"}]})  # 20 on 31 December 2024: 特定
    assert declared.status_code == 201, declared.text
    assert declared.json()["dependants"]["specified"] == 1
    corrected = await clerk.assess(person, FY)
    assert corrected.status_code == 201
    c = corrected.json()
    # Deductions + 330,000 + 450,000: 課税標準 950,000; 市 57,000 − credit (D 280,000 → 8,400)
    # = 48,600; 県 38,000 − 5,600 = 32,400; + 5,000 = 86,000.
    assert (c["version"], c["kind"], c["taxable_base"], c["total"]) == (
        2, "correction", 950_000, 86_000)
    assert (c["previous_total"], c["difference"]) == (175_500, 86_000 - 175_500)
    assert sum(i["amount"] for i in c["collection"]["instalments"]) == 86_000

    events = await _events(infrastructure, person)
    assert [e["type"] for e in events] == ["jp.kyodo.tax.assessed.v1",
                                           "jp.kyodo.tax.assessment_corrected.v1"]
    assert '"difference": -89500' in events[1]["data"]

    versions = await clerk.get(f"/persons/{person.platform_person_id}/assessments",
                               fiscal_year=FY)
    assert [v["version"] for v in versions.json()["items"]] == [2, 1]
    # Newest first in keyset pages: the cursor of the first page leads to the second.
    url = f"/persons/{person.platform_person_id}/assessments"
    first = (await clerk.get(url, fiscal_year=FY, limit=1)).json()
    assert [v["version"] for v in first["items"]] == [2] and first["next"]
    second = (await clerk.get(url, fiscal_year=FY, limit=1, cursor=first["next"])).json()
    assert [v["version"] for v in second["items"]] == [1] and second["next"] is None
    for params in ({"limit": 0}, {"limit": 501}, {"cursor": "WyJ0YXgucnVsZXMiLDFd"}):
        refused = await clerk.get(url, fiscal_year=FY, **params)
        assert refused.status_code == 422
        assert [p["name"] for p in refused.json()["invalid_params"]] == list(params)


async def test_reads_need_a_purpose_and_are_logged(clerk: TaxClerk, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2012, 4, 1))
    await clerk.import_csv(report_csv([report_row(person, SANJO, 3_000_000)]), FY)
    assessment_id = (await clerk.assess(person, FY)).json()["id"]
    no_purpose = await clerk.client.get(clerk.url(f"/assessments/{assessment_id}"), headers={
        "Authorization": clerk.headers["Authorization"]})
    assert no_purpose.status_code == 400
    assert (await clerk.get(f"/assessments/{assessment_id}")).status_code == 200
    async with tax_db.tenant_transaction(SANJO) as session:
        logged = (await session.execute(sa.text(
            "SELECT action, purpose FROM access_log WHERE subject_id = :s ORDER BY id"),
            {"s": str(person.platform_person_id)})).all()
    assert [tuple(r) for r in logged] == [("assessment.made", None),
                                          ("assessment.read", "tax-assessment")]


async def test_leaving_the_job_switches_the_rest_to_ordinary_collection(
        clerk: TaxClerk, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2012, 4, 1))
    await clerk.import_csv(report_csv([report_row(person, SANJO, 4_000_000)]), FY)
    assessment_id = (await clerk.assess(person, FY)).json()["id"]
    switched = await clerk.post(f"/assessments/{assessment_id}/collection-switch",
                                {"reason": "left_job", "on": "2025-09-15"})
    assert switched.status_code == 200, switched.text
    collection = switched.json()["collection"]
    assert collection["method"] == "ordinary" and collection["switch_reason"] == "left_job"
    billed = [(i["year"], i["month"], i["amount"]) for i in collection["instalments"]
              if i["method"] == "ordinary"]
    assert billed == [(2025, 10, 58_400), (2026, 1, 58_400)]  # 8 × 14,600 = 116,800
    assert sum(i["amount"] for i in collection["instalments"]) == 175_500
    again = await clerk.post(f"/assessments/{assessment_id}/collection-switch",
                             {"reason": "died", "on": "2025-10-01"})
    assert again.status_code == 409


async def test_unknown_year_and_person_not_assessable(clerk: TaxClerk,
                                                      tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2012, 4, 1))
    no_rules = await clerk.assess(person, 2030)
    assert no_rules.status_code == 422 and no_rules.json()["invalid_params"][0]["name"] == (
        "fiscal_year")
    no_income = await clerk.assess(person, FY)
    assert no_income.status_code == 422
    assert "no salary report or declaration" in no_income.json()["detail"]
