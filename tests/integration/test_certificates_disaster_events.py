"""罹災証明書 from the disaster service's own events (kyodo.disaster.v1), through the worker's
subscriptions: assessed → issuable; a re-survey with another grade voids the earlier copies;
redelivery changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from kyodo_disaster_events import (
    HouseDamageAssessed,
    HouseDamageReassessed,
)

from kyodo_certificates.adapters.tables import certificates, damage_assessments
from kyodo_certificates.worker import SUBSCRIPTIONS
from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .certificates_kit import (
    Counter,
    certificates_app,
    feed,
    flat,
    pdf_pages,
    registered,
    state,
)
from .conftest import NAGAOKA
from .damage_events_kit import ADDRESS, assessed, deliver, reassessed

pytestmark = pytest.mark.integration

VERIFY = "/v1/certificates/verify"


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def verified(client: httpx.AsyncClient, issuance: dict[str, Any]) -> str:
    code = issuance["copies"][0]["verification_code"]
    result: str = (await client.get(f"{VERIFY}/{code}")).json()["result"]
    return result


async def statuses(db: Database, house: uuid.UUID) -> list[str]:
    async with db.tenant_transaction(NAGAOKA) as session:
        return list((await session.execute(
            sa.select(certificates.c.status).where(certificates.c.assessment_id == house)
            .order_by(certificates.c.issued_at))).scalars())


async def test_both_disaster_events_are_subscribed() -> None:
    handlers = {s.event: s.handler for s in SUBSCRIPTIONS}
    assert handlers[HouseDamageAssessed] is handlers[HouseDamageReassessed]


async def test_a_re_survey_with_another_grade_voids_the_earlier_certificate(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(family="長岡", given="再調", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    first = assessed(person.resident_id)
    await deliver(certificates_db, first)
    counter = Counter(client, NAGAOKA)
    body = {"assessment_id": str(first.house_id)}

    old, pdf = await counter.issued_pdf("damage", body)
    text = flat(pdf_pages(pdf)[0])
    assert "令和6年7月大雨災害" in text and "住家の被害の程度半壊" in text
    assert "長岡再調" in text and f"被災住家の所在地{ADDRESS}" in text
    assert await verified(client, old) == "genuine"

    second = reassessed(first, grade="大規模半壊", grade_code="large_scale_half")
    await deliver(certificates_db, second)
    assert await verified(client, old) == "voided"
    record = await client.get(counter.url(f"/{old['copies'][0]['certificate_id']}"),
                              headers=counter.headers)
    assert record.json()["status"] == "voided"

    new, pdf = await counter.issued_pdf("damage", body)
    text = flat(pdf_pages(pdf)[0])
    assert "住家の被害の程度大規模半壊" in text and "調査日令和6年9月10日" in text
    assert await verified(client, new) == "genuine"

    # Redelivery, and the first survey arriving late: nothing changes.
    await deliver(certificates_db, second, first, second)
    assert await verified(client, new) == "genuine"
    assert await statuses(certificates_db, first.house_id) == ["voided", "issued"]
    async with certificates_db.tenant_transaction(NAGAOKA) as session:
        row = (await session.execute(sa.select(damage_assessments).where(
            damage_assessments.c.assessment_id == first.house_id))).one()
    assert row.version == 2 and row.facts["grade"] == "大規模半壊"


async def test_a_newer_version_with_the_same_grade_voids_nothing(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(family="長岡", given="同等", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    first = assessed(person.resident_id, certificate_requested=False, requests=())
    await deliver(certificates_db, first)
    issuance, _ = await Counter(client, NAGAOKA).issued_pdf(
        "damage", {"assessment_id": str(first.house_id)})
    await deliver(certificates_db, first.model_copy(update={
        "version": 2, "certificate_requested": True}))
    assert await verified(client, issuance) == "genuine"


async def test_the_householder_registered_after_the_assessment_is_named_at_issuance(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(family="長岡", given="後着", address=ADDRESS)
    first = assessed(person.resident_id)
    await deliver(certificates_db, first)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    _, pdf = await Counter(client, NAGAOKA).issued_pdf(
        "damage", {"assessment_id": str(first.house_id)})
    text = flat(pdf_pages(pdf)[0])
    assert "長岡後着" in text and "住家の被害の程度半壊" in text
