"""The 1 January rule end to end: the read model is fed with the residents service's events
(as the tax worker's consumer would), then each municipality assesses, or refuses to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import sqlalchemy as sa

from kyodo_common.db import Database
from kyodo_tax.adapters.register_view import SqlRegister
from kyodo_tax.service_layer.lookups import taxpayer_on_january_first
from kyodo_testing import Infrastructure

from .conftest import NAGAOKA, SANJO
from .tax_harness import (
    TaxClerk,
    configure,
    move,
    new_person,
    register,
    report_csv,
    report_row,
    tax_app,
)

pytestmark = pytest.mark.integration
FY = 2025  # 令和7年度: 賦課期日 1 January 2025


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tax_db: Database,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    for code in (SANJO, NAGAOKA):
        await configure(tax_db, code)
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def _filed_everywhere(client: httpx.AsyncClient, person: object) -> None:
    """The employer sends the report to both (it does not know the 1 January address)."""
    for code in (SANJO, NAGAOKA):
        await TaxClerk(client, code).import_csv(
            report_csv([report_row(person, code, 4_000_000)]), FY)  # type: ignore[arg-type]


async def test_moved_out_of_sanjo_on_2_january_is_taxed_by_sanjo(
        client: httpx.AsyncClient, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2015, 4, 1))
    await move(tax_db, person, origin=SANJO, destination=NAGAOKA, on=date(FY, 1, 2))

    async with tax_db.tenant_transaction(SANJO) as session:
        in_sanjo = await taxpayer_on_january_first(
            SqlRegister(session), person.platform_person_id, FY)
    async with tax_db.tenant_transaction(NAGAOKA) as session:
        in_nagaoka = await taxpayer_on_january_first(
            SqlRegister(session), person.platform_person_id, FY)
    assert in_sanjo is not None and in_sanjo.address == "旭町二丁目3番1号"
    assert in_nagaoka is None

    sanjo, nagaoka = TaxClerk(client, SANJO), TaxClerk(client, NAGAOKA)
    imported = await sanjo.import_csv(report_csv([report_row(person, SANJO, 4_000_000)]), FY)
    assert imported.json()["accepted"] == 1, imported.text
    refused = await nagaoka.import_csv(
        report_csv([report_row(person, NAGAOKA, 4_000_000)]), FY)
    assert refused.json()["accepted"] == 0
    assert "1 January 2025" in refused.json()["problems"][0]["reason"]

    assessed = await sanjo.assess(person, FY)
    assert assessed.status_code == 201, assessed.text
    assert assessed.json()["january_first"]["address"] == "旭町二丁目3番1号"
    assert assessed.json()["total"] == 175_500  # worked example 1 of the unit tests
    elsewhere = await nagaoka.assess(person, FY)
    assert elsewhere.status_code == 422
    assert elsewhere.json()["type"].endswith("not-registered-on-1-january")


async def test_moved_on_31_december_is_taxed_by_the_new_municipality(
        client: httpx.AsyncClient, tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2010, 1, 1))
    await move(tax_db, person, origin=SANJO, destination=NAGAOKA, on=date(FY - 1, 12, 31))
    await _filed_everywhere(client, person)

    assert (await TaxClerk(client, SANJO).assess(person, FY)).status_code == 422
    assessed = await TaxClerk(client, NAGAOKA).assess(person, FY)
    assert assessed.status_code == 201, assessed.text
    assert assessed.json()["january_first"]["address"] == "大手通1丁目4番地10"
    # The year before, Sanjo taxed them (registered there on 1 January 2024).
    async with tax_db.tenant_transaction(SANJO) as session:
        assert await taxpayer_on_january_first(
            SqlRegister(session), person.platform_person_id, FY - 1)


async def test_a_redelivered_event_adds_nothing(tax_db: Database) -> None:
    person = new_person()
    for _ in range(3):
        await register(tax_db, SANJO, person, since=date(2020, 1, 1))
    async with tax_db.tenant_transaction(SANJO) as session:
        count = (await session.execute(sa.text(
            "SELECT count(*) FROM register_history WHERE platform_person_id = :p"),
            {"p": person.platform_person_id})).scalar_one()
    assert count == 1


async def test_the_residence_endpoint_answers_for_the_year(client: httpx.AsyncClient,
                                                           tax_db: Database) -> None:
    person = new_person()
    await register(tax_db, SANJO, person, since=date(2015, 4, 1))
    await move(tax_db, person, origin=SANJO, destination=NAGAOKA, on=date(FY, 1, 2))
    path = f"/persons/{person.platform_person_id}/residence"
    here = (await TaxClerk(client, SANJO).get(path, fiscal_year=FY)).json()
    there = (await TaxClerk(client, NAGAOKA).get(path, fiscal_year=FY)).json()
    following = (await TaxClerk(client, NAGAOKA).get(path, fiscal_year=FY + 1)).json()
    assert here["taxed_here"] and here["january_first"]["address"] == "旭町二丁目3番1号"
    assert not there["taxed_here"] and there["january_first"] is None
    assert following["taxed_here"]
