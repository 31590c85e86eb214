"""Support grants reach only as far as the stricken town asked: a partner lent
``certificates:issue`` issues in its name, and handles what it issued itself, but downloads or
voids the town's own certificates only if the town also lent ``certificates:manage``. Every
certificate records who issued it, from which town, under which grant."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_residents.service_layer.unit_of_work import RegisterInboxUnitOfWork
from kyodo_residents.service_layer.when_certificate_issued_log_access import (
    when_certificate_issued_log_access,
)
from kyodo_residents.upstream.certificates import CertificateIssued
from kyodo_testing import Infrastructure, TokenMinter
from tests.integration.certificates_kit import (
    PURPOSE,
    Counter,
    certificates_app,
    feed,
    registered,
    state,
)
from tests.integration.db_roles import as_relay
from tests.integration.residents_client import Clerk, residents_app
from tests.security.callers import Caller

pytestmark = pytest.mark.integration

SANJO, NAGAOKA = "152048", "152021"
PARTNER = Caller("nagaoka-clerk", sees=False, scopes="certificates:issue residents:read",
                 grant_id="grant-7", home=NAGAOKA)
PARTNER_WITH_MANAGE = Caller("nagaoka-clerk", sees=False,
                             scopes="certificates:issue certificates:manage",
                             grant_id="grant-8", home=NAGAOKA)


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


URL = f"/v1/municipalities/{SANJO}/certificates"


async def _issue(client: httpx.AsyncClient, headers: dict[str, str], resident: uuid.UUID
                 ) -> dict[str, Any]:
    response = await client.post(f"{URL}/residence", json={
        "resident_id": str(resident), "terminal": "本庁1", "printer": "プリンタ001"},
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
    assert response.status_code == 201, response.text
    copy: dict[str, Any] = response.json()["copies"][0]
    return copy


async def _void(client: httpx.AsyncClient, headers: dict[str, str], certificate: str
                ) -> httpx.Response:
    return await client.post(f"{URL}/{certificate}/void", json={"reason": "誤交付"},
                             headers={**headers, "Idempotency-Key": uuid.uuid4().hex})


async def test_a_partner_handles_what_it_issued_but_not_the_towns_own_certificates(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(household_id=uuid.uuid4())
    await feed(certificates_db, SANJO, registered(SANJO, person))
    home = Counter(client, SANJO)
    partner = PARTNER.headers(SANJO)
    towns_own = await _issue(client, home.headers, person.resident_id)
    partners = await _issue(client, partner, person.resident_id)

    refused = await client.get(towns_own["pdf"], headers=partner)
    assert refused.status_code == 403, refused.text
    assert "certificates:manage" in refused.json()["detail"]
    not_voided = await _void(client, partner, towns_own["certificate_id"])
    assert not_voided.status_code == 403, not_voided.text
    record = await client.get(f"{URL}/{towns_own['certificate_id']}", headers=home.headers)
    assert record.json()["status"] == "issued"

    own = await client.get(partners["pdf"], headers=partner)
    assert own.status_code == 200 and own.headers["content-type"] == "application/pdf"
    assert (await _void(client, partner, partners["certificate_id"])).status_code == 200

    lent = PARTNER_WITH_MANAGE.headers(SANJO)
    assert (await client.get(towns_own["pdf"], headers=lent)).status_code == 200
    manager = {"Authorization": "Bearer " + TokenMinter.shared().token(
        SANJO, "certificates:issue certificates:manage", subject="sanjo-chief"),
        "X-Kyodo-Purpose": PURPOSE}
    assert (await client.get(partners["pdf"], headers=manager)).status_code == 200


async def test_a_certificate_records_its_issuer_home_town_and_grant(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(household_id=uuid.uuid4())
    await feed(certificates_db, SANJO, registered(SANJO, person))
    issued = await _issue(client, PARTNER.headers(SANJO), person.resident_id)
    record = (await client.get(f"{URL}/{issued['certificate_id']}",
                               headers=Counter(client, SANJO).headers)).json()
    assert (record["issued_by"], record["issued_by_home"], record["grant_id"]) == (
        "nagaoka-clerk", NAGAOKA, "grant-7")
    home = await _issue(client, Counter(client, SANJO).headers, person.resident_id)
    record = (await client.get(f"{URL}/{home['certificate_id']}",
                               headers=Counter(client, SANJO).headers)).json()
    assert (record["issued_by"], record["issued_by_home"], record["grant_id"]) == (
        "test-clerk", SANJO, None)


async def test_a_partners_issuance_is_in_the_residents_access_log_with_its_grant(
    client: httpx.AsyncClient, certificates_db: Database, residents_db: Database,
    infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """What a resident is told of who looked at their data includes a certificate of them
    issued by another town's clerk, and under which grant."""
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as residents:
        clerk = Clerk(residents, SANJO, TokenMinter.shared())
        person = (await clerk.move_in(effective=today_in_japan().isoformat()))["residents"][0]
        resident_id = uuid.UUID(person["resident_id"])
        await feed(certificates_db, SANJO, registered(SANJO, state(resident_id=resident_id)))
        issued = await _issue(client, PARTNER.headers(SANJO), resident_id)
        rows = await as_relay(infrastructure, "certificates",
                              "SELECT event_id, data FROM outbox WHERE type = $1 "
                              "AND subject = $2", CertificateIssued.event_type,
                              issued["certificate_id"])
        assert len(rows) == 1
        row = rows[0]
        envelope = Envelope(id=str(row["event_id"]), type=CertificateIssued.event_type,
                            source="kyodo/certificates", subject=issued["certificate_id"],
                            municipality=SANJO, data=row["data"].encode())
        async with residents_db.tenant_transaction(SANJO) as session:  # as the worker would
            await when_certificate_issued_log_access(
                RegisterInboxUnitOfWork(session),
                CertificateIssued.model_validate_json(row["data"]), envelope)
        log = (await clerk.get(f"/{resident_id}/access-log")).json()["items"]
    entries = [e for e in log if e["action"] == "certificate.issued.residence"]
    assert [(e["actor"], e["actor_home"], e["grant_id"]) for e in entries] == [
        ("nagaoka-clerk", NAGAOKA, "grant-7")]


async def test_a_partner_lent_manage_cannot_download_a_protected_persons_certificate(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    """Issued by home staff to the protected person herself: the copy shows her address."""
    person = state(given="守", sex="female", household_id=uuid.uuid4()).model_copy(update={
        "protected": True, "protected_from": today_in_japan(),
        "protected_until": today_in_japan().replace(year=today_in_japan().year + 1)})
    await feed(certificates_db, SANJO, registered(SANJO, person))
    home = Counter(client, SANJO)
    response = await client.post(f"{URL}/residence", json={
        "resident_id": str(person.resident_id), "terminal": "本庁1", "printer": "プリンタ001",
        "applicant": {"resident_id": str(person.resident_id)}},
        headers={**home.headers, "Idempotency-Key": uuid.uuid4().hex})
    assert response.status_code == 201, response.text
    copy = response.json()["copies"][0]
    assert (await client.get(copy["pdf"], headers=home.headers)).status_code == 200
    lent = await client.get(copy["pdf"], headers=PARTNER_WITH_MANAGE.headers(SANJO))
    assert lent.status_code == 404, lent.text
