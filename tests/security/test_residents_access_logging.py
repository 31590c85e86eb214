"""Reads and writes of personal data in residents that were not logged: 支援措置 (protection
measures), incoming transfer notices, and the access log itself."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from integration.certificates_kit import state
from integration.conftest import SANJO, residents_db
from integration.residents_client import residents_app

from kyodo_common.audit import access_log
from kyodo_common.db import Database
from kyodo_residents.adapters.tables import incoming_transfers
from kyodo_testing import Infrastructure, TokenMinter

pytestmark = pytest.mark.integration
__all__ = ["residents_db"]  # the fixture, imported for the tests below
URL = f"/v1/municipalities/{SANJO}/residents"


def _as(subject: str) -> dict[str, str]:
    # protected:read: a person under a measure stays visible to the home staff who protect them.
    token = TokenMinter.shared().token(SANJO, "residents:read residents:write protected:read",
                                       subject=subject)
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "audit",
            "Idempotency-Key": uuid.uuid4().hex}


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def _entries(db: Database, subject_id: str) -> list[Any]:
    async with db.tenant_transaction(SANJO) as session:
        return list((await session.execute(
            sa.select(access_log.c.action, access_log.c.actor, access_log.c.purpose,
                      access_log.c.fields)
            .where(access_log.c.subject_id == subject_id)
            .order_by(access_log.c.occurred_at))).all())


async def _resident(client: httpx.AsyncClient) -> str:
    response = await client.post(URL, headers=_as("registrar"), json={
        "family_name": "記録", "given_name": "花子", "family_name_kana": "キロク",
        "given_name_kana": "ハナコ", "birth_date": "1990-02-14", "sex": "female",
        "postal_code": "9558686", "address": "新潟県三条市旭町二丁目3番1号",
        "confirm_not_duplicate": True})
    assert response.status_code == 201, response.text
    resident_id: str = response.json()["id"]
    return resident_id


async def test_a_protection_measure_is_logged_with_who_set_it(
    client: httpx.AsyncClient, residents_db: Database,
) -> None:
    resident_id = await _resident(client)
    protected = await client.post(f"{URL}/{resident_id}/protection-measures",
                                  json={"starts_on": date.today().isoformat()},
                                  headers=_as("protector"))
    assert protected.status_code == 201, protected.text
    entries = await _entries(residents_db, resident_id)
    assert [(e.action, e.actor, e.fields) for e in entries][-1] == (
        "protection.started", "protector", ["protection"])


async def test_reading_the_access_log_is_itself_logged(
    client: httpx.AsyncClient, residents_db: Database,
) -> None:
    resident_id = await _resident(client)
    first = await client.get(f"{URL}/{resident_id}/access-log", headers=_as("auditor-a"))
    assert first.status_code == 200, first.text
    again = await client.get(f"{URL}/{resident_id}/access-log", headers=_as("auditor-b"))
    # The second answer shows the first read: a resident is told who looked at the log too.
    assert [(e["action"], e["actor"], e["purpose"]) for e in again.json()["items"]][-1] == (
        "access_log.read", "auditor-a", "audit")
    entries = await _entries(residents_db, resident_id)
    assert [(e.action, e.actor) for e in entries][-2:] == [
        ("access_log.read", "auditor-a"), ("access_log.read", "auditor-b")]


async def test_reading_incoming_transfers_is_logged_per_notice(
    client: httpx.AsyncClient, residents_db: Database,
) -> None:
    notice = uuid.uuid4()
    async with residents_db.tenant_transaction(SANJO) as session:
        await session.execute(sa.insert(incoming_transfers).values(
            id=notice, municipality_code=SANJO, origin_municipality="152021",
            origin_resident_id=uuid.uuid4(), planned_move_date=date.today(),
            moved_out_on=date.today(), destination_address="新潟県三条市旭町二丁目3番1号",
            destination_postal_code="9558686",
            resident=state(given="転入", kana=("サンジョウ", "テンニュウ")).model_dump(
                mode="json")))
    listed = await client.get(f"{URL}/transfers/incoming", params={"limit": 500},
                              headers=_as("counter-clerk"))
    assert listed.status_code == 200, listed.text
    assert str(notice) in [t["id"] for t in listed.json()["items"]]
    entries = await _entries(residents_db, str(notice))
    assert [(e.action, e.actor, e.purpose) for e in entries] == [
        ("transfers.incoming.read", "counter-clerk", "audit")]
