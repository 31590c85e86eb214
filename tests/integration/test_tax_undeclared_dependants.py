"""The ＊ of an undeclared dependant (DOMAIN.md §5), end to end: a declaration names the
spouse and a child by person, tax assesses and writes its event to the outbox, tax's outbox
relay publishes it to the broker, the certificates service's inbox consumer applies it with its
real subscriptions, and the counter issues the spouse's 課税証明書 with ＊ in every amount,
until she declares herself."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import asyncpg
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from kyodo_residents_events import ResidentRegistered

from kyodo_certificates.adapters.tables import tax_assessments
from kyodo_certificates.worker import SUBSCRIPTIONS
from kyodo_common.db import Database, asyncpg_dsn
from kyodo_common.events.inbox import InboxConsumer
from kyodo_common.events.relay import OutboxRelay
from kyodo_testing import Infrastructure, TokenMinter

from .certificates_kit import Counter, certificates_app, feed, flat, pdf_pages, registered
from .conftest import SANJO
from .tax_harness import (
    SCOPES,
    Person,
    TaxClerk,
    configure,
    new_person,
    register,
    report_csv,
    report_row,
    tax_app,
)
from .tax_harness import feed as feed_tax

pytestmark = pytest.mark.integration
FY = 2025
ADDRESS = "旭町二丁目3番1号"


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tax_db: Database,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TaxClerk]:
    await configure(tax_db, SANJO)
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield TaxClerk(client, SANJO)


@pytest.fixture(scope="module")
async def counter(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                  ) -> AsyncIterator[Counter]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Counter(client, SANJO)


@pytest.fixture
async def delivery(infrastructure: Infrastructure, certificates_db: Database,
                   producer: AIOKafkaProducer) -> AsyncIterator[None]:
    """Tax's outbox relay and the certificates inbox consumer, running as in the workers."""
    stop = asyncio.Event()
    relay = OutboxRelay(infrastructure.urls("tax")["RELAY_DATABASE_URL"], producer,
                        poll_interval=0.2)
    consumer = InboxConsumer(name=f"test-{uuid.uuid4().hex[:8]}", db=certificates_db,
                             bootstrap_servers=infrastructure.bootstrap_servers,
                             subscriptions=SUBSCRIPTIONS, dead_letters=producer)
    tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)


async def _delivered(certificates_db: Database, person: Person, version: int,
                     timeout: float = 60.0) -> None:
    """Until the certificates read model holds the person's own assessment at ``version``
    (their dependants' ＊ records are written in the same transaction)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with certificates_db.tenant_transaction(SANJO) as session:
            held = (await session.execute(
                sa.select(sa.func.max(tax_assessments.c.version)).where(
                    tax_assessments.c.resident_id == person.records[SANJO][0],
                    tax_assessments.c.dependant_of.is_(None)))).scalar_one()
        if held is not None and held >= version:
            return
        assert asyncio.get_running_loop().time() < deadline, "the event did not arrive"
        await asyncio.sleep(0.1)


async def _event(infrastructure: Infrastructure, person: Person) -> dict[str, Any]:
    """The person's newest tax event as the relay reads it from the outbox."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url("tax")))
    try:
        data = await conn.fetchval("SELECT data::text FROM outbox WHERE key = $1 "
                                   "ORDER BY id DESC LIMIT 1", str(person.platform_person_id))
    finally:
        await conn.close()
    return dict(json.loads(data))


async def _declare(clerk: TaxClerk, person: Person, **body: Any) -> None:
    response = await clerk.post("/declarations", {
        "fiscal_year": FY, "platform_person_id": str(person.platform_person_id), **body})
    assert response.status_code == 201, response.text


async def test_an_undeclared_spouse_has_stars_on_her_certificate_through_the_tax_event(
        clerk: TaxClerk, counter: Counter, tax_db: Database, certificates_db: Database,
        infrastructure: Infrastructure, delivery: None) -> None:
    taxpayer, wife = new_person(), new_person(birth=date(1982, 7, 7))
    son = new_person(birth=date(2004, 5, 5))  # 20 at the end of 2024: 特定扶養親族
    for person in (taxpayer, wife, son):
        await register(tax_db, SANJO, person, since=date(2010, 4, 1), address=ADDRESS)
        await feed(certificates_db, SANJO,
                   registered(SANJO, person.state(SANJO, 1, "resident", ADDRESS)))
    # The son works and his employer reported it: he declared; the wife filed nothing.
    await clerk.import_csv(report_csv([report_row(taxpayer, SANJO, 5_000_000),
                                       report_row(son, SANJO, 1_000_000)]), FY)
    elsewhere = new_person(birth=date(1950, 1, 1))  # not registered here on 1 January
    await _declare(clerk, taxpayer,
                   spouse={"birth_date": "1982-07-07",
                           "platform_person_id": str(wife.platform_person_id)},
                   dependants=[{"birth_date": "2004-05-05",
                                "platform_person_id": str(son.platform_person_id)},
                               {"birth_date": "1950-01-01",
                                "platform_person_id": str(elsewhere.platform_person_id)}])
    assessed = await clerk.assess(taxpayer, FY)
    assert assessed.status_code == 201, assessed.text

    await _delivered(certificates_db, taxpayer, 1)
    data = await _event(infrastructure, taxpayer)
    assert [(p["platform_person_id"], p["resident_id"], p["declared"])
            for p in data["dependant_persons"]] == [
        (str(wife.platform_person_id), str(wife.records[SANJO][0]), False),
        (str(son.platform_person_id), str(son.records[SANJO][0]), True)]

    _, pdf = await counter.issued_pdf("tax", {"resident_id": str(wife.records[SANJO][0]),
                                              "fiscal_year": FY})
    text = flat(pdf_pages(pdf)[0])
    assert "非課税証明書（令和7年度）" in text
    assert f"住所（令和7年1月1日現在）{ADDRESS}" in text
    for line in ("総所得金額等", "課税標準額", "市町村民税所得割額", "道府県民税均等割額",
                 "年税額"):
        assert f"{line}＊" in text, line
    assert "円" not in text.split("所得（")[1].split("扶養等")[0]
    # The son declared (his own report): no ＊ record; his own assessment is still to come.
    son_certificate = await counter.issue("tax", {"resident_id": str(son.records[SANJO][0]),
                                                  "fiscal_year": FY})
    assert son_certificate.status_code == 404, son_certificate.text

    # She declares her own pension; her own assessment wins over the ＊ record.
    await _declare(clerk, wife, pension_revenue=1_500_000)
    assert (await clerk.assess(wife, FY)).status_code == 201
    await _delivered(certificates_db, wife, 1)
    _, own = await counter.issued_pdf("tax", {"resident_id": str(wife.records[SANJO][0]),
                                              "fiscal_year": FY})
    assert "公的年金等収入1,500,000円" in flat(pdf_pages(own)[0])


async def test_a_correction_without_the_dependant_takes_the_stars_back(
        clerk: TaxClerk, counter: Counter, tax_db: Database, certificates_db: Database,
        infrastructure: Infrastructure, delivery: None) -> None:
    taxpayer, wife = new_person(), new_person(birth=date(1975, 3, 3))
    for person in (taxpayer, wife):
        await register(tax_db, SANJO, person, since=date(2010, 4, 1), address=ADDRESS)
        await feed(certificates_db, SANJO,
                   registered(SANJO, person.state(SANJO, 1, "resident", ADDRESS)))
    await clerk.import_csv(report_csv([report_row(taxpayer, SANJO, 4_500_000)]), FY)
    spouse = {"birth_date": "1975-03-03", "platform_person_id": str(wife.platform_person_id)}
    himself = await clerk.post("/declarations", {
        "fiscal_year": FY, "platform_person_id": str(taxpayer.platform_person_id),
        "spouse": {**spouse, "platform_person_id": str(taxpayer.platform_person_id)}})
    assert himself.status_code == 422, himself.text
    assert himself.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in himself.json()["invalid_params"]] == [
        "spouse.platform_person_id"]
    await _declare(clerk, taxpayer, spouse=spouse)
    assert (await clerk.assess(taxpayer, FY)).status_code == 201
    await _delivered(certificates_db, taxpayer, 1)
    wife_body = {"resident_id": str(wife.records[SANJO][0]), "fiscal_year": FY}
    assert (await counter.issue("tax", wife_body)).status_code == 201

    await _declare(clerk, taxpayer)  # no spouse any more: a correction (version 2)
    corrected = await clerk.assess(taxpayer, FY)
    assert corrected.status_code == 201 and corrected.json()["version"] == 2
    await _delivered(certificates_db, taxpayer, 2)
    assert (await _event(infrastructure, taxpayer))["dependant_persons"] == []
    assert (await counter.issue("tax", wife_body)).status_code == 404


async def test_a_protected_spouse_never_travels_in_the_supporters_event(
        clerk: TaxClerk, counter: Counter, tax_db: Database, certificates_db: Database,
        infrastructure: Infrastructure, delivery: None) -> None:
    """支援措置: the supporter may be the very person she is protected from; even a tax officer
    who may see protected people assesses him without her in his event, and no ＊ record."""
    taxpayer, wife = new_person(), new_person(birth=date(1985, 8, 8))
    await register(tax_db, SANJO, taxpayer, since=date(2010, 4, 1), address=ADDRESS)
    hidden = wife.state(SANJO, 1, "resident", "ひみつ町1番地").model_copy(update={
        "protected": True, "protected_from": date(2024, 1, 1),
        "protected_until": date(2099, 12, 31)})
    await feed_tax(tax_db, SANJO, ResidentRegistered, effective=date(2010, 4, 1),
                   states=[hidden])
    await clerk.import_csv(report_csv([report_row(taxpayer, SANJO, 4_500_000)]), FY)
    officer = TaxClerk(clerk.client, SANJO)
    officer.headers["Authorization"] = "Bearer " + TokenMinter.shared().token(
        SANJO, f"{SCOPES} protected:read")
    await _declare(officer, taxpayer, spouse={
        "birth_date": "1985-08-08", "platform_person_id": str(wife.platform_person_id)})
    assert (await officer.assess(taxpayer, FY)).status_code == 201
    await _delivered(certificates_db, taxpayer, 1)
    data = await _event(infrastructure, taxpayer)
    assert data["dependant_persons"] == [] and data["amounts"]["spouse"] == "general"
    async with certificates_db.tenant_transaction(SANJO) as session:
        records = (await session.execute(sa.select(sa.func.count()).where(
            tax_assessments.c.dependant_of == taxpayer.platform_person_id))).scalar_one()
    assert records == 0
