"""A partner's system subscribes through the gateway, the town's admin consents, and while
clerks register residents its receiver is down for a while: every registration arrives, each
once after deduplication by webhook-id, signed, naming only the resource; the partner reads
the resource with its own token and purpose."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from kyodo_launcher.webhook_receiver import Receiver

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
NAGAOKA = "152021"
REGISTERED = "jp.kyodo.resident.registered.v1"
RESIDENTS = 150
OUTAGE_SECONDS = 6.0


def _body(n: int) -> dict[str, str]:
    return {"family_name": "長岡", "given_name": f"通知{n}", "family_name_kana": "ナガオカ",
            "given_name_kana": "ツウチ", "birth_date": "1970-01-01", "sex": "male",
            "postal_code": "9408501", "address": f"新潟県長岡市大手通2丁目{n}番"}


def _partner_token(platform: RunningPlatform, admin: str) -> tuple[str, str]:
    created = httpx.post(
        f"{platform.gateway}/v1/municipalities/{NAGAOKA}/identity/clients",
        json={"name": "学齢簿システム", "scopes": ["webhooks:subscribe", "residents:read"]},
        headers={"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex},
        timeout=10)
    assert created.status_code == 201, created.text
    client_id, secret = created.json()["client_id"], created.json()["client_secret"]
    token = httpx.post(f"{platform.gateway}/v1/auth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        timeout=10)
    assert token.status_code == 200, token.text
    return client_id, token.json()["access_token"]


async def _run(platform: RunningPlatform, receiver: Receiver) -> dict[str, Any]:
    admin, clerk = platform.login(NAGAOKA, "admin", "kyodo-admin"), platform.login(NAGAOKA)
    _, partner = _partner_token(platform, admin)
    base = f"/v1/municipalities/{NAGAOKA}/webhooks/subscriptions"
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as http:
        created = await http.post(base, json={"callback_url": receiver.url,
                                              "event_types": [REGISTERED]},
                                  headers={"Authorization": f"Bearer {partner}",
                                           "Idempotency-Key": uuid.uuid4().hex})
        assert created.status_code == 201, created.text
        sub = created.json()
        assert sub["state"] == "pending_approval"
        approved = await http.post(f"{base}/{sub['id']}/approve", headers={
            "Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex})
        assert approved.status_code == 200, approved.text

        ids: list[str] = []
        came_back = 0.0

        async def register(n: int) -> None:
            response = await http.post(
                f"/v1/municipalities/{NAGAOKA}/residents", json=_body(n),
                headers={"Authorization": f"Bearer {clerk}",
                         "Idempotency-Key": uuid.uuid4().hex})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])

        async def outage() -> None:
            nonlocal came_back
            while len(ids) < RESIDENTS // 4:
                await asyncio.sleep(0.01)
            await receiver.down()
            await asyncio.sleep(OUTAGE_SECONDS)
            await receiver.up()
            came_back = time.monotonic()

        async def stream() -> None:
            for n in range(RESIDENTS):
                await register(n)
                await asyncio.sleep(0.02)

        await asyncio.gather(stream(), outage())
        expected = {f"{platform.gateway}/v1/municipalities/{NAGAOKA}/residents/{i}"
                    for i in ids}
        deadline = time.monotonic() + 90
        while {json.loads(b)["subject"] for _, b, _ in receiver.received} < expected:
            assert time.monotonic() < deadline, "not every notification arrived"
            await asyncio.sleep(0.2)
        last = max(t for _, _, t in receiver.received)
        read = await http.get(next(iter(expected)).removeprefix(platform.gateway), headers={
            "Authorization": f"Bearer {partner}", "X-Kyodo-Purpose": "identity-check"})
        log = await http.get(f"{base}/{sub['id']}/deliveries", params={"limit": 200},
                             headers={"Authorization": f"Bearer {partner}"})
    return {"sub": sub, "expected": expected, "recovered_in": last - came_back, "read": read,
            "log": log.json()["items"]}


def test_no_notification_is_lost_or_doubled_through_a_receiver_outage(
        platform: RunningPlatform) -> None:
    receiver = Receiver()

    async def main() -> dict[str, Any]:
        await receiver.up()
        try:
            return await _run(platform, receiver)
        finally:
            await receiver.down()

    result = asyncio.run(main())
    received = receiver.received
    by_id: dict[str, dict[str, Any]] = {}
    for headers, body, _ in received:
        Webhook(result["sub"]["secret"]).verify(body, headers)
        by_id.setdefault(headers["webhook-id"], json.loads(body))
    subjects = [e["subject"] for e in by_id.values()]
    assert len(by_id) == RESIDENTS, "0 lost: one notification per registration"
    assert sorted(subjects) == sorted(result["expected"]), "0 doubled after deduplication"
    assert all(e["type"] == REGISTERED and e["municipality"] == NAGAOKA
               for e in by_id.values())
    assert not any("長岡" in b.decode() or "通知" in b.decode() for _, b, _ in received)
    assert result["recovered_in"] < 60, result["recovered_in"]
    assert result["read"].status_code == 200, result["read"].text
    failed = [a for d in result["log"] for a in d["log"] if a["outcome"] == "failed"]
    assert failed and all(a["reason"] == "connection refused" for a in failed), failed
