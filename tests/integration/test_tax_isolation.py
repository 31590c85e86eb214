"""Row-level security on tax data: one municipality's transaction and API see nothing of
another's salary reports, declarations, assessments, register history or jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from kyodo_common.db import Database
from kyodo_testing import Infrastructure, TokenMinter

from .conftest import NAGAOKA, SANJO
from .tax_harness import (
    SCOPES,
    TaxClerk,
    configure,
    new_person,
    register,
    report_csv,
    report_row,
    tax_app,
)

pytestmark = pytest.mark.integration
FY = 2025
TABLES = ("register_history", "salary_imports", "salary_reports", "declarations",
          "assessments", "bulk_jobs", "tax_configs", "access_log", "idempotency_keys")


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tax_db: Database,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    for code in (SANJO, NAGAOKA):
        await configure(tax_db, code)
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_each_municipality_sees_only_its_own_tax_rows(
        client: httpx.AsyncClient, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, NAGAOKA, person, since=date(2016, 4, 1))
    nagaoka = TaxClerk(client, NAGAOKA)
    await nagaoka.import_csv(report_csv([report_row(person, NAGAOKA, 5_000_000)]), FY)
    assessment = (await nagaoka.assess(person, FY)).json()

    async with tax_db.tenant_transaction(SANJO) as session:
        for table in TABLES:
            codes = set((await session.execute(sa.text(
                f"SELECT DISTINCT municipality_code FROM {table}"))).scalars())  # noqa: S608
            assert codes <= {SANJO}, table
        changed = await session.execute(sa.text(
            "UPDATE assessments SET total = 0 WHERE id = :id"), {"id": assessment["id"]})
        assert changed.rowcount == 0  # type: ignore[attr-defined]

    async with tax_db.platform_transaction() as session:  # no tenant: no rows at all
        for table in TABLES:
            count = (await session.execute(sa.text(
                f"SELECT count(*) FROM {table}"))).scalar_one()  # noqa: S608
            assert count == 0, table

    sanjo = TaxClerk(client, SANJO)
    assert (await sanjo.get(f"/assessments/{assessment['id']}")).status_code == 404
    assert (await sanjo.get(f"/persons/{person.platform_person_id}/assessments")).json() == {
        "items": [], "next": None}
    assert (await sanjo.assess(person, FY)).status_code == 422  # not Sanjo's register


async def test_writing_a_row_for_another_municipality_is_refused(tax_db: Database) -> None:
    with pytest.raises(DBAPIError):
        async with tax_db.tenant_transaction(SANJO) as session:
            await session.execute(sa.text(
                "INSERT INTO tax_configs (municipality_code, version, name, prefecture, "
                "per_capita_municipal, per_capita_prefectural, forest_environment_tax, kyuchi, "
                "designated_city) VALUES (:c, 99, 'x', 'x', 0, 0, 0, 1, false)"),
                {"c": "082201"})


async def test_a_token_of_one_municipality_cannot_act_for_another(
        client: httpx.AsyncClient) -> None:
    token = TokenMinter.shared().token(SANJO, SCOPES)
    response = await client.get(f"/v1/municipalities/{NAGAOKA}/tax/rules",
                                headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    own = await client.get(f"/v1/municipalities/{SANJO}/tax/rules",
                           headers={"Authorization": f"Bearer {token}"})
    assert [r["fiscal_year"] for r in own.json()["items"]] == [2021, 2022, 2023, 2024, 2025, 2026]
    assert [r["fully_verified"] for r in own.json()["items"]] == [True] * 6  # DOMAIN.md: all
    reader = TokenMinter.shared().token(SANJO, "tax:read")
    refused = await client.post(f"/v1/municipalities/{SANJO}/tax/bulk-assessments",
                                json={"fiscal_year": FY},
                                headers={"Authorization": f"Bearer {reader}",
                                         "Idempotency-Key": "k"})
    assert refused.status_code == 403
