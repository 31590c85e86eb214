"""被災証明書: a person's reported damage in a disaster the town declared, issued on the
application without a survey; refused outside the window, for an unknown disaster, and to
anyone but the person under 支援措置."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from kyodo_disaster_events import DisasterDeclared

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .certificates_kit import (
    Counter,
    certificates_app,
    feed,
    flat,
    pdf_pages,
    registered,
    save_png,
    state,
)
from .conftest import NAGAOKA, SANJO
from .disaster_kit import assertion

pytestmark = pytest.mark.integration
ADDRESS = "新潟県長岡市大手通1丁目4番地10"


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


def declared(code: str = NAGAOKA, *, opens: int = -10, closes: int = 30, version: int = 1,
             disaster_id: uuid.UUID | None = None) -> DisasterDeclared:
    """A disaster of 2019 whose window is around today (days from today)."""
    today = today_in_japan()
    return DisasterDeclared(
        disaster_id=disaster_id or uuid.uuid4(), municipality_code=code,
        name="令和元年東日本台風", kind="typhoon", kind_label="台風",
        occurred_on=date(2019, 10, 12), affected_area=("大手通",),
        application_opens_on=today + timedelta(days=opens),
        application_closes_on=today + timedelta(days=closes), version=version)


def report(disaster: DisasterDeclared, resident_id: uuid.UUID, **changes: Any
           ) -> dict[str, Any]:
    return {"disaster_id": str(disaster.disaster_id), "resident_id": str(resident_id),
            "properties": ["household_goods", "vehicle"], "location": ADDRESS,
            "description": "床上浸水により冷蔵庫・洗濯機・自動車が使用不能", **changes}


async def certificates_of(db: Database, code: str, resident_id: uuid.UUID) -> int:
    async with db.tenant_transaction(code) as session:
        count: int = (await session.execute(sa.text(
            "SELECT count(*) FROM certificates WHERE :id = ANY(subject_ids)"),
            {"id": resident_id})).scalar_one()
    return count


async def test_a_damage_report_certificate_shows_the_reported_damage_and_no_grade(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(family="長岡", given="被災", address=ADDRESS)
    typhoon = declared()
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person), typhoon)
    issuance, pdf = await Counter(client, NAGAOKA).issued_pdf(
        "damage-report", report(typhoon, person.resident_id))
    assert issuance["kind"] == "damage_report" and issuance["title"] == "被災証明書"
    assert issuance["fee_yen_per_copy"] == 0  # free unless the town sets a fee
    text = flat(pdf_pages(pdf)[0])
    assert "被災証明書" in text and "罹災証明書" not in text
    assert "災害名令和元年東日本台風" in text and "災害発生日令和元年10月12日" in text
    assert f"被災場所{ADDRESS}" in text and "被災物件家財、自動車等" in text
    assert "被害の状況床上浸水により冷蔵庫・洗濯機・自動車が使用不能" in text
    assert "長岡被災" in text and "長岡市長" in text
    assert "上記のとおり被災の届出があったことを証明します。" in text
    assert "被害の程度を証明するものではありません" in text
    assert not any(grade in text for grade in ("全壊", "半壊", "一部損壊"))
    assert "円" not in text and "災害対策基本法" not in text
    save_png(pdf, "damage-report")
    async with certificates_db.tenant_transaction(NAGAOKA) as session:
        entry = (await session.execute(sa.text(
            "SELECT fields FROM access_log WHERE subject_id = :id "
            "AND action = 'certificate.issued.damage_report'"),
            {"id": str(person.resident_id)})).one()
    assert {"name", "address", "damaged_property", "description"} <= set(entry.fields)


async def test_the_newest_declaration_decides_the_window(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(family="長岡", given="延長", address=ADDRESS)
    closed = declared(opens=-60, closes=-1)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person), closed)
    counter = Counter(client, NAGAOKA)
    refused = await counter.issue("damage-report", report(closed, person.resident_id))
    assert refused.status_code == 422
    assert refused.json()["invalid_params"][0]["name"] == "disaster_id"
    extended = declared(opens=-60, closes=10, version=2, disaster_id=closed.disaster_id)
    stale = declared(opens=-60, closes=-1, version=1, disaster_id=closed.disaster_id)
    await feed(certificates_db, NAGAOKA, extended, stale)  # an amendment, then a redelivery
    issued = await counter.issue("damage-report", report(closed, person.resident_id))
    assert issued.status_code == 201, issued.text


@pytest.mark.parametrize(("case", "status", "field"), [
    ("unknown disaster", 422, "disaster_id"),
    ("another town's disaster", 422, "disaster_id"),
    ("window not open yet", 422, "disaster_id"),
    ("window closed", 422, "disaster_id"),
    ("unknown person", 404, None),
    ("no property", 422, "properties"),
    ("unknown property", 422, "properties.0"),
    ("same property twice", 422, "properties"),
    ("blank location", 422, "location"),
    ("description too long", 422, "description"),
    ("description of too many lines", 422, "description"),
])
async def test_refusals_name_the_field_and_issue_nothing(
    client: httpx.AsyncClient, certificates_db: Database, case: str, status: int,
    field: str | None,
) -> None:
    person = state(family="長岡", given="拒否", address=ADDRESS)
    typhoon = declared()
    elsewhere = declared(SANJO)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person), typhoon)
    await feed(certificates_db, SANJO, elsewhere)
    body = {
        "unknown disaster": report(typhoon, person.resident_id, disaster_id=str(uuid.uuid4())),
        "another town's disaster": report(elsewhere, person.resident_id),
        "unknown person": report(typhoon, uuid.uuid4()),
        "no property": report(typhoon, person.resident_id, properties=[]),
        "unknown property": report(typhoon, person.resident_id, properties=["jewel"]),
        "same property twice": report(typhoon, person.resident_id,
                                      properties=["vehicle", "vehicle"]),
        "blank location": report(typhoon, person.resident_id, location="　 "),
        "description too long": report(typhoon, person.resident_id, description="水" * 301),
        "description of too many lines": report(typhoon, person.resident_id,
                                                description="浸水\n" * 7),
    }.get(case)
    if body is None:  # the window cases
        window = declared(opens=1, closes=30) if case == "window not open yet" else \
            declared(opens=-60, closes=-1)
        await feed(certificates_db, NAGAOKA, window)
        body = report(window, person.resident_id)
    response = await Counter(client, NAGAOKA).issue("damage-report", body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if field is not None:
        assert field in [p["name"] for p in response.json()["invalid_params"]]
    assert await certificates_of(certificates_db, NAGAOKA, person.resident_id) == 0


async def test_a_protected_person_alone_is_given_theirs_and_a_partner_is_recorded(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    protected = state(family="長岡", given="保護", address=ADDRESS, protected=True)
    typhoon = declared()
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, protected), typhoon)
    counter = Counter(client, NAGAOKA)
    refused = await counter.issue("damage-report", report(typhoon, protected.resident_id))
    assert refused.status_code == 403, refused.text
    assert refused.json()["invalid_params"][0]["name"] == "resident_id"
    assert await certificates_of(certificates_db, NAGAOKA, protected.resident_id) == 0
    own = await counter.issue("damage-report", report(
        typhoon, protected.resident_id, applicant={"resident_id": str(protected.resident_id)}))
    assert own.status_code == 201, own.text

    # Staff of a partner town under the stricken town's support grant: the same rules, and
    # the certificate records who issued it, from where and under which grant (ADR 0012).
    person = state(family="長岡", given="支援", address=ADDRESS)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    partner = {"X-Kyodo-Assertion": assertion(
        subject="sanjo-helper", home=SANJO, acting=NAGAOKA,
        scopes="certificates:issue protected:read", grant_id="grant-typhoon-1"),
        "X-Kyodo-Purpose": "disaster-response"}
    body = {"terminal": "避難所1", "printer": "プリンタ001"}
    lent = await client.post(counter.url("/damage-report"), json={
        **body, **report(typhoon, person.resident_id)},
        headers={**partner, "Idempotency-Key": uuid.uuid4().hex})
    assert lent.status_code == 201, lent.text
    shielded = await client.post(counter.url("/damage-report"), json={
        **body, **report(typhoon, protected.resident_id)},
        headers={**partner, "Idempotency-Key": uuid.uuid4().hex})
    assert shielded.status_code in (403, 404), shielded.text
    async with certificates_db.tenant_transaction(NAGAOKA) as session:
        record = (await session.execute(sa.text(
            "SELECT issued_by, issued_by_home, grant_id FROM certificates WHERE id = :id"),
            {"id": lent.json()["copies"][0]["certificate_id"]})).one()
    assert tuple(record) == ("sanjo-helper", SANJO, "grant-typhoon-1")
