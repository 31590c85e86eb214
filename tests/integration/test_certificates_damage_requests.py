"""罹災証明書 issued by the certificates worker from the requests the disaster service's house
events carry: exactly once per (application, survey version) whatever the redelivery, on the
new grade after a re-survey (the old one voided), with the job's requester as the actor."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from kyodo_disaster_events import CertificateRequest, DisasterRef, HouseDamageAssessed

from kyodo_certificates.adapters.tables import certificates, damage_issuances
from kyodo_certificates.service_layer.job_runner import (
    QUEUE,
    DamageCertificates,
    run_damage_certificates,
)
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.db import Database
from kyodo_common.jobs import runnable_jobs
from kyodo_testing import Infrastructure, PlatformKeys

from . import db_roles
from .certificates_kit import (
    Counter,
    certificates_app,
    feed,
    flat,
    pdf_pages,
    registered,
    state,
    validated_offline,
)
from .conftest import NAGAOKA
from .damage_events_kit import ADDRESS, assessed, deliver, reassessed

pytestmark = pytest.mark.integration

VERIFY = "/v1/certificates/verify"
CLERK, CLERK_HOME, GRANT = "ouen-clerk-1", "152048", "grant-7"


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


@pytest.fixture(scope="module")
def worker(infrastructure: Infrastructure) -> DamageCertificates:
    return DamageCertificates(CertificatesSettings(
        database_url=infrastructure.urls("certificates")["DATABASE_URL"],
        verify_base_url="https://kyodo.example", job_chunk_size=2,
        **PlatformKeys.shared().env("certificates")))


def disaster() -> DisasterRef:
    """A disaster of its own per test, so each test's job sees only its requests."""
    return DisasterRef(disaster_id=uuid.uuid4(), name="令和6年7月大雨災害", kind="flood",
                       kind_label="水害", occurred_on=date(2024, 7, 25))


def requested(householder: uuid.UUID, flood: DisasterRef, *, copies: int = 1,
              by: str | None = CLERK, applicant: uuid.UUID | None = None
              ) -> HouseDamageAssessed:
    request = CertificateRequest(
        application_id=uuid.uuid4(), applicant_resident_id=applicant or householder,
        copies=copies, job_id=uuid.uuid4(), requested_by=by,
        requested_by_home=CLERK_HOME if by else None, grant_id=GRANT if by else None)
    return assessed(householder, disaster=flood, requests=(request,))


async def run(worker: DamageCertificates, db: Database, flood: DisasterRef) -> None:
    """One round of the worker's loop for this disaster (found through the narrow door)."""
    assert (flood.disaster_id, NAGAOKA) in await runnable_jobs(db, QUEUE)
    await asyncio.wait_for(worker.run_one(db, flood.disaster_id, NAGAOKA, lambda: False), 60)


async def issued_for(db: Database, application: uuid.UUID) -> list[Any]:
    async with db.tenant_transaction(NAGAOKA) as session:
        return list((await session.execute(
            sa.select(certificates.c.id, certificates.c.survey_version,
                      certificates.c.copy_number, certificates.c.status,
                      certificates.c.verification_code, certificates.c.issue_numbers,
                      certificates.c.issued_by, certificates.c.fee_yen)
            .where(certificates.c.application_id == application)
            .order_by(certificates.c.survey_version, certificates.c.copy_number))).all())


async def requests_of(db: Database, application: uuid.UUID) -> list[tuple[int, str]]:
    async with db.tenant_transaction(NAGAOKA) as session:
        return [(r.survey_version, r.status) for r in (await session.execute(
            sa.select(damage_issuances.c.survey_version, damage_issuances.c.status)
            .where(damage_issuances.c.application_id == application)
            .order_by(damage_issuances.c.survey_version))).all()]


async def as_owner(infrastructure: Infrastructure, sql: str, *args: Any) -> list[Any]:
    """As the owner, in Nagaoka's transaction (row-level security binds the owner too)."""
    return await db_roles.as_owner(infrastructure, "certificates", NAGAOKA, sql, *args)


async def verdict(client: httpx.AsyncClient, code: str) -> str:
    result: str = (await client.get(f"{VERIFY}/{code}")).json()["result"]
    return result


async def test_requested_certificates_are_issued_once_though_the_event_comes_twice(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
    infrastructure: Infrastructure,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="一括", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    event = requested(person.resident_id, flood, copies=2)
    application = event.requests[0].application_id
    await deliver(certificates_db, event, event)  # redelivered before the worker ran

    counter = Counter(client, NAGAOKA)
    progress_url = counter.url(f"/damage/disasters/{flood.disaster_id}")
    before = (await client.get(progress_url, headers=counter.headers)).json()
    assert (before["houses"], before["requested"], before["pending"], before["issued"]) == (
        1, 1, 1, 0)

    await run(worker, certificates_db, flood)
    await deliver(certificates_db, event)  # and once more after
    assert (flood.disaster_id, NAGAOKA) not in await runnable_jobs(certificates_db, QUEUE)

    copies = await issued_for(certificates_db, application)
    assert [(c.survey_version, c.copy_number, c.status) for c in copies] == [
        (1, 1, "issued"), (1, 2, "issued")]
    assert all(c.issued_by == CLERK and c.fee_yen >= 0 for c in copies)
    assert all(" 一括交付 電子 " in c.issue_numbers[0] for c in copies)
    assert await requests_of(certificates_db, application) == [(1, "issued")]
    after = (await client.get(progress_url, headers=counter.headers)).json()
    assert (after["requested"], after["pending"], after["issued"], after["copies_issued"]) == (
        1, 0, 1, 2)

    # The same pipeline as the counter: verifiable, logged as the clerk's act, announced.
    assert await verdict(client, copies[0].verification_code) == "genuine"
    logged = await as_owner(
        infrastructure, "SELECT actor, actor_home, grant_id, purpose FROM access_log "
        "WHERE action = 'certificate.issued.damage' AND subject_id = $1",
        str(person.resident_id))
    assert [(r["actor"], r["actor_home"], r["grant_id"]) for r in logged] == [
        (CLERK, CLERK_HOME, GRANT)]
    announced = await db_roles.as_relay(
        infrastructure, "certificates", "SELECT data FROM outbox "
        "WHERE type = 'jp.kyodo.certificate.issued.v1' AND key = ANY($1::text[])",
        [str(c.id) for c in copies])
    assert sorted(json.loads(r["data"])["copy_number"] for r in announced) == [1, 2]


async def test_the_database_refuses_a_second_issuance_of_the_same_request(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
    infrastructure: Infrastructure,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="二重", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    event = requested(person.resident_id, flood)
    application = event.requests[0].application_id
    await deliver(certificates_db, event)
    await run(worker, certificates_db, flood)

    # A bug (or an operator) puts the issued request back to pending: the unique index on
    # (application, survey version, copy) refuses the second certificate; the chunk fails.
    await as_owner(infrastructure, "UPDATE damage_issuances SET status = 'pending' "
                   "WHERE application_id = $1", application)
    with pytest.raises(Exception, match="certificates_damage_request"):
        await worker.run_one(certificates_db, flood.disaster_id, NAGAOKA, lambda: False)
    assert len(await issued_for(certificates_db, application)) == 1
    async with certificates_db.tenant_transaction(NAGAOKA) as session:
        attempts = (await session.execute(sa.select(damage_issuances.c.attempts).where(
            damage_issuances.c.application_id == application))).scalar_one()
    assert attempts == 1
    await as_owner(infrastructure, "UPDATE damage_issuances SET status = 'issued' "
                   "WHERE application_id = $1", application)  # leave no retry behind


async def test_a_re_survey_with_another_grade_voids_the_old_and_issues_a_new_one(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="再交付", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    first = requested(person.resident_id, flood)
    application = first.requests[0].application_id
    await deliver(certificates_db, first)
    await run(worker, certificates_db, flood)
    [old] = await issued_for(certificates_db, application)

    counter = Counter(client, NAGAOKA)
    pdf = await client.get(counter.url(f"/{old.id}/pdf"), headers=counter.headers)
    text = flat(pdf_pages(pdf.content)[0])
    assert "罹災証明書" in text and "災害名令和6年7月大雨災害" in text
    assert "住家の被害の程度半壊" in text and "長岡再交付" in text
    signed = await validated_offline(pdf.content)  # drawn and signed in the worker's thread
    assert signed.bottom_line
    assert signed.signing_cert.subject.native["organization_name"] == "長岡市"

    second = reassessed(first, grade="全壊", grade_code="total")
    await deliver(certificates_db, second)
    assert await verdict(client, old.verification_code) == "voided"
    await run(worker, certificates_db, flood)
    await deliver(certificates_db, second, first)  # redelivered, and the first one late

    old_again, new = await issued_for(certificates_db, application)
    assert (old_again.id, old_again.status, new.survey_version, new.status) == (
        old.id, "voided", 2, "issued")
    assert await verdict(client, old.verification_code) == "voided"
    assert await verdict(client, new.verification_code) == "genuine"
    assert await requests_of(certificates_db, application) == [(1, "voided"), (2, "issued")]

    # What the clerk sees: the application's requests and their copies, to print the new one.
    listed = await client.get(counter.url(f"/damage/disasters/{flood.disaster_id}/requests"),
                              params={"application_id": str(application)},
                              headers=counter.headers)
    assert listed.status_code == 200, listed.text
    assert [(r["survey_version"], r["status"], [c["status"] for c in r["copies"]])
            for r in listed.json()["items"]] == [(1, "voided", ["voided"]),
                                                    (2, "issued", ["issued"])]
    printable = listed.json()["items"][1]["copies"][0]
    assert printable["verification_code"] == new.verification_code
    pdf = await client.get(printable["pdf"], headers=counter.headers)
    text = flat(pdf_pages(pdf.content)[0])
    assert "住家の被害の程度全壊" in text and "調査日令和6年9月10日" in text
    assert "災害名令和6年7月大雨災害" in text


async def test_a_re_survey_with_the_same_grade_keeps_the_certificate_issued(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="据置", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    first = requested(person.resident_id, flood)
    application = first.requests[0].application_id
    await deliver(certificates_db, first)
    await run(worker, certificates_db, flood)
    await deliver(certificates_db, reassessed(first))  # 二次調査, still 半壊

    [only] = await issued_for(certificates_db, application)
    assert await verdict(client, only.verification_code) == "genuine"
    assert await requests_of(certificates_db, application) == [(1, "issued"), (2, "kept")]
    assert (flood.disaster_id, NAGAOKA) not in await runnable_jobs(certificates_db, QUEUE)


async def test_a_request_not_yet_issued_is_replaced_by_the_re_surveys(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="未交付", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    first = requested(person.resident_id, flood)
    application = first.requests[0].application_id
    await deliver(certificates_db, first, reassessed(first, grade="準半壊",
                                                     grade_code="quasi_half"))
    await run(worker, certificates_db, flood)
    [only] = await issued_for(certificates_db, application)
    assert only.survey_version == 2
    assert await requests_of(certificates_db, application) == [(1, "superseded"),
                                                               (2, "issued")]


async def test_a_protected_householder_is_refused_and_the_clerk_sees_why(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
    infrastructure: Infrastructure,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="保護", address=ADDRESS, protected=True)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    event = requested(person.resident_id, flood, applicant=uuid.uuid4(), by=None)
    application = event.requests[0].application_id
    await deliver(certificates_db, event)
    await run(worker, certificates_db, flood)

    assert await issued_for(certificates_db, application) == []
    counter = Counter(client, NAGAOKA)
    progress = (await client.get(counter.url(f"/damage/disasters/{flood.disaster_id}"),
                                 headers=counter.headers)).json()
    assert (progress["refused"], progress["pending"], progress["issued"]) == (1, 0, 0)
    [problem] = progress["problems"]
    assert problem["application_id"] == str(application) and problem["status"] == "refused"
    assert problem["reason"]


async def test_without_a_requester_the_worker_is_the_actor(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
    infrastructure: Infrastructure,
) -> None:
    flood = disaster()
    person = state(family="長岡", given="旧版", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    event = requested(person.resident_id, flood, by=None)  # as events before the field
    await deliver(certificates_db, event)
    await run(worker, certificates_db, flood)
    [copy] = await issued_for(certificates_db, event.requests[0].application_id)
    assert copy.issued_by == "certificates.read-models"
    logged = await as_owner(
        infrastructure, "SELECT actor, grant_id FROM access_log "
        "WHERE action = 'certificate.issued.damage' AND subject_id = $1",
        str(person.resident_id))
    assert [(r["actor"], r["grant_id"]) for r in logged] == [("certificates.read-models", None)]


async def test_the_worker_loop_issues_what_the_consumer_records_while_it_runs(
    certificates_db: Database, infrastructure: Infrastructure,
) -> None:
    """Woken by the NOTIFY of the recorded request: the fallback poll is longer than the
    test waits."""
    settings = CertificatesSettings(
        database_url=infrastructure.urls("certificates")["DATABASE_URL"],
        verify_base_url="https://kyodo.example", job_poll_seconds=120,
        **PlatformKeys.shared().env("certificates"))
    stop = asyncio.Event()
    loop = asyncio.create_task(run_damage_certificates(settings, stop))
    try:
        await asyncio.sleep(1.0)  # its first round has run and it listens
        flood = disaster()
        person = state(family="長岡", given="常駐", address=ADDRESS)
        await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
        event = requested(person.resident_id, flood)
        await deliver(certificates_db, event)
        application = event.requests[0].application_id
        for _ in range(300):
            if await issued_for(certificates_db, application):
                break
            await asyncio.sleep(0.1)
        assert [c.status for c in await issued_for(certificates_db, application)] == ["issued"]
    finally:
        stop.set()
        await asyncio.wait_for(loop, 15)


async def test_the_requests_are_listed_a_page_of_applications_at_a_time(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
) -> None:
    flood = disaster()
    people = [state(family="長岡", given=f"頁{n}", address=ADDRESS) for n in range(3)]
    await feed(certificates_db, NAGAOKA, *(registered(NAGAOKA, p) for p in people))
    events = [requested(p.resident_id, flood) for p in people]
    await deliver(certificates_db, *events)
    await run(worker, certificates_db, flood)

    counter = Counter(client, NAGAOKA)
    url = counter.url(f"/damage/disasters/{flood.disaster_id}/requests")
    first = (await client.get(url, params={"limit": 2}, headers=counter.headers)).json()
    rest = (await client.get(url, params={"limit": 2, "cursor": first["next"]},
                             headers=counter.headers)).json()
    listed = [r["application_id"] for r in first["items"] + rest["items"]]
    assert listed == sorted(str(e.requests[0].application_id) for e in events)
    assert len(first["items"]) == 2 and rest["next"] is None
    refused = (await client.get(url, params={"status": "refused"},
                                headers=counter.headers)).json()
    assert refused == {"items": [], "next": None}
    for params in ({"limit": 0}, {"limit": 501}, {"cursor": "bm9wZQ"}):
        bad = await client.get(url, params=params, headers=counter.headers)
        assert bad.status_code == 422
        assert [p["name"] for p in bad.json()["invalid_params"]] == list(params)
    wrong = await client.get(url, params={"status": "lost"}, headers=counter.headers)
    assert wrong.status_code == 422 and "status" in wrong.text


async def test_a_request_waits_for_the_householder_to_reach_the_register_read_model(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
    infrastructure: Infrastructure,
) -> None:
    """A 罹災証明書 names the 世帯主: issued before the register's event, it would be blank."""
    flood = disaster()
    person = state(family="長岡", given="後着", address=ADDRESS)
    event = requested(person.resident_id, flood)
    application = event.requests[0].application_id
    await deliver(certificates_db, event)  # the house's event before the register's
    await run(worker, certificates_db, flood)

    assert await issued_for(certificates_db, application) == []
    [waiting] = await as_owner(
        infrastructure, "SELECT status, attempts, reason, retry_at > now() AS later "
        "FROM damage_issuances WHERE application_id = $1", application)
    assert (waiting["status"], waiting["attempts"], waiting["later"]) == ("pending", 1, True)
    assert "世帯主" in waiting["reason"]
    assert (flood.disaster_id, NAGAOKA) not in await runnable_jobs(certificates_db, QUEUE)

    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    await as_owner(infrastructure, "UPDATE damage_issuances SET retry_at = now() "
                   "WHERE application_id = $1", application)  # as if the wait had passed
    await run(worker, certificates_db, flood)
    [copy] = await issued_for(certificates_db, application)
    counter = Counter(client, NAGAOKA)
    pdf = await client.get(counter.url(f"/{copy.id}/pdf"), headers=counter.headers)
    assert "世帯主氏名長岡後着" in flat(pdf_pages(pdf.content)[0])


async def test_chunks_in_flight_issue_each_request_once_with_no_serial_skipped(
    client: httpx.AsyncClient, certificates_db: Database, worker: DamageCertificates,
) -> None:
    """Chunks of 2, three in flight (one drawn while the next is planned and the last
    stored): each of 7 requests is issued once, and a chunk never plans a request another
    chunk in flight holds, so the day's serials have no gap."""
    flood = disaster()
    applications = []
    for n in range(7):
        person = state(family="長岡", given=f"並行{n}", address=ADDRESS)
        await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
        event = requested(person.resident_id, flood)
        applications.append(event.requests[0].application_id)
        await deliver(certificates_db, event)
    jobs = DamageCertificates(worker.settings.model_copy(update={"job_chunks_in_flight": 3}))
    try:
        await run(jobs, certificates_db, flood)
    finally:
        await jobs.close()

    for application in applications:
        assert await requests_of(certificates_db, application) == [(1, "issued")]
    async with certificates_db.tenant_transaction(NAGAOKA) as session:
        serials = sorted((await session.execute(sa.select(certificates.c.serial).where(
            certificates.c.application_id.in_(applications)))).scalars())
    assert serials == list(range(serials[0], serials[0] + 7))
