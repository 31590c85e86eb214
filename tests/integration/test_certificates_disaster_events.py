"""罹災証明書 from the disaster service's own events (kyodo.disaster.v1), through the worker's
subscriptions: assessed → issuable; a re-survey with another grade voids the earlier copies;
redelivery changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from kyodo_certificates.adapters.tables import certificates, damage_assessments
from kyodo_certificates.worker import SUBSCRIPTIONS
from kyodo_common.db import Database
from kyodo_common.events import DomainEvent
from kyodo_disaster.events import (
    CertificateRequest,
    DisasterRef,
    HouseDamageAssessed,
    HouseDamageReassessed,
)
from kyodo_launcher.testing import Infrastructure

from .certificates_kit import (
    Counter,
    certificates_app,
    envelope,
    feed,
    flat,
    pdf_pages,
    registered,
    state,
)
from .conftest import NAGAOKA

pytestmark = pytest.mark.integration

VERIFY = "/v1/certificates/verify"
FLOOD = DisasterRef(disaster_id=uuid.uuid4(), name="令和6年7月大雨災害", kind="flood",
                    kind_label="水害", occurred_on=date(2024, 7, 25))
ADDRESS = "新潟県長岡市大手通2丁目6番地"


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


def assessed(householder: uuid.UUID | None, **changes: Any) -> HouseDamageAssessed:
    values: dict[str, Any] = {
        "house_id": uuid.uuid4(), "version": 1, "municipality_code": NAGAOKA,
        "disaster": FLOOD, "address": ADDRESS, "postal_code": "9400062", "grade": "半壊",
        "grade_code": "half", "surveyed_on": date(2024, 8, 2), "survey_version": 1,
        "survey_kind": "一次調査", "method": "現地調査",
        "occupant_resident_ids": (householder,) if householder else (),
        "householder_resident_id": householder, "applicant_resident_id": householder,
        "certificate_requested": householder is not None,
        "requests": (CertificateRequest(application_id=uuid.uuid4(),
                                        applicant_resident_id=householder, copies=1),)
        if householder else ()}
    values.update(changes)
    return HouseDamageAssessed(**values)


def reassessed(first: HouseDamageAssessed, **changes: Any) -> HouseDamageReassessed:
    values: dict[str, Any] = {
        **first.model_dump(), "version": first.version + 1,
        "survey_version": first.survey_version + 1, "survey_kind": "二次調査",
        "surveyed_on": date(2024, 9, 10), "previous_grade": first.grade,
        "previous_grade_code": first.grade_code,
        "previous_survey_version": first.survey_version}
    values.update(changes)
    return HouseDamageReassessed(**values)


async def deliver(db: Database, *events: DomainEvent) -> None:
    """As the worker does: the subscribed handler in the publishing municipality's
    transaction (the inbox is bypassed, so a redelivery reaches the handler again)."""
    by_type = {s.event: s for s in SUBSCRIPTIONS}
    for event in events:
        async with db.tenant_transaction(NAGAOKA) as session:
            await by_type[type(event)].handler(session, event, envelope(NAGAOKA))


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
