"""Per-municipality settings from identity's MunicipalityConfigured, on the printed certificate
and its record: fees per kind (罹災証明書 free by default), 元年 display, the mayor's name."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import PerCapita, TenantConfig

from kyodo_certificates.upstream.disaster import DamageAssessed, Disaster, Grade
from kyodo_common.db import Database
from kyodo_common.tenancy import municipality_check_digit
from kyodo_testing import Infrastructure

from .certificates_kit import Counter, certificates_app, feed, flat, pdf_pages, registered, state

pytestmark = pytest.mark.integration
PER_CAPITA = PerCapita(municipal=3000, prefectural=1000, forest_env=1000)


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def configured_town(db: Database, **config: Any) -> str:
    """A town of its own per test (a valid code outside the demo ones), configured."""
    first = f"9{secrets.randbelow(10_000):04d}"
    code = first + str(municipality_check_digit(first))
    await feed(db, code, MunicipalityConfigured(
        code=code, name="試験市", name_en="Shiken", prefecture="新潟県",
        config=TenantConfig(per_capita=PER_CAPITA, **config), version=1))
    return code


def house(code: str, householder: uuid.UUID, occurred_on: date = date(2024, 7, 25)
          ) -> DamageAssessed:
    return DamageAssessed(
        assessment_id=uuid.uuid4(), version=1, municipality_code=code,
        disaster=Disaster(disaster_id=uuid.uuid4(), name="台風第19号", occurred_on=occurred_on),
        house_address="新潟県試験市本町1番1号", householder_resident_id=householder,
        householder_name="試験　被災", householder_address="新潟県試験市本町1番1号",
        grade=Grade.HALF, surveyed_on=occurred_on)


async def recorded_fee(db: Database, code: str, certificate_id: str) -> int:
    async with db.tenant_transaction(code) as session:
        fee: int = (await session.execute(sa.text(
            "SELECT fee_yen FROM certificates WHERE id = :id"), {"id": certificate_id})
        ).scalar_one()
    return fee


async def test_a_fee_set_for_one_kind_is_charged_on_that_kind_only(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    code = await configured_town(certificates_db, certificate_fee_yen=300,
                                 certificate_fees_yen={"residence": 450})
    person = state()
    await feed(certificates_db, code, registered(code, person), house(code, person.resident_id))
    counter = Counter(client, code)
    residence = await counter.issue("residence", {"resident_id": str(person.resident_id),
                                                  "copies": 2})
    assert residence.status_code == 201, residence.text
    assert residence.json()["fee_yen_per_copy"] == 450
    assert residence.json()["fee_yen_total"] == 900
    copy = residence.json()["copies"][1]["certificate_id"]
    assert await recorded_fee(certificates_db, code, copy) == 450  # the record charges it

    other = await configured_town(certificates_db, certificate_fee_yen=300,
                                  certificate_fees_yen={"tax": 450})
    elsewhere = state()
    await feed(certificates_db, other, registered(other, elsewhere))
    unchanged = await Counter(client, other).issue("residence",
                                                   {"resident_id": str(elsewhere.resident_id)})
    assert unchanged.status_code == 201 and unchanged.json()["fee_yen_per_copy"] == 300


async def test_a_damage_certificate_is_free_unless_the_town_sets_its_fee(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    free = await configured_town(certificates_db, certificate_fee_yen=400)
    person = state()
    damaged = house(free, person.resident_id)
    await feed(certificates_db, free, registered(free, person), damaged)
    issued = await Counter(client, free).issue("damage",
                                               {"assessment_id": str(damaged.assessment_id)})
    assert issued.status_code == 201 and issued.json()["fee_yen_per_copy"] == 0

    charging = await configured_town(certificates_db, certificate_fee_yen=400,
                                     certificate_fees_yen={"damage": 200})
    elsewhere = state()
    other = house(charging, elsewhere.resident_id)
    await feed(certificates_db, charging, registered(charging, elsewhere), other)
    charged = await Counter(client, charging).issue("damage",
                                                    {"assessment_id": str(other.assessment_id)})
    assert charged.status_code == 201 and charged.json()["fee_yen_per_copy"] == 200
    copy = charged.json()["copies"][0]["certificate_id"]
    assert await recorded_fee(certificates_db, charging, copy) == 200


@pytest.mark.parametrize(("gannen", "printed", "not_printed"), [
    (True, "令和元年10月12日", "令和1年"), (False, "令和1年10月12日", "令和元年")])
async def test_the_first_year_of_an_era_is_printed_as_the_town_configured(
    client: httpx.AsyncClient, certificates_db: Database, gannen: bool, printed: str,
    not_printed: str,
) -> None:
    code = await configured_town(certificates_db, gannen=gannen)
    person = state(since=date(2019, 10, 12), birth=date(1980, 4, 1))
    typhoon = house(code, person.resident_id, occurred_on=date(2019, 10, 12))
    await feed(certificates_db, code, registered(code, person), typhoon)
    counter = Counter(client, code)
    _, residence = await counter.issued_pdf("residence", {"resident_id": str(person.resident_id)})
    _, damage = await counter.issued_pdf("damage", {"assessment_id": str(typhoon.assessment_id)})
    for pdf in (residence, damage):
        text = flat(pdf_pages(pdf)[0])
        assert printed in text and not_printed not in text


async def test_the_mayor_printed_is_the_one_the_town_configured(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    code = await configured_town(certificates_db, mayor_name="試験　一郎")
    person = state()
    damaged = house(code, person.resident_id)
    await feed(certificates_db, code, registered(code, person), damaged)
    _, pdf = await Counter(client, code).issued_pdf(
        "damage", {"assessment_id": str(damaged.assessment_id)})
    assert "試験市長試験一郎" in flat(pdf_pages(pdf)[0])
