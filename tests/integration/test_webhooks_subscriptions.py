"""Partner subscriptions: who may subscribe to what, the town's consent, what the admin and
the client each see, and the refusals (problem+json naming the field, nothing stored)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from kyodo_testing import Infrastructure

from .conftest import NAGAOKA, SANJO
from .webhooks_kit import MOVED_OUT, admin, as_caller, key, settings, webhooks_api

pytestmark = pytest.mark.integration
BASE = f"/v1/municipalities/{SANJO}/webhooks"
HOOK = "https://partner.example/kyodo/hook"


@pytest.fixture(scope="module")
async def api(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
              ) -> AsyncIterator[httpx.AsyncClient]:
    config = settings(infrastructure, tmp_path_factory.mktemp("var"),
                      allow_private_callbacks=False)
    async with webhooks_api(config) as client:
        yield client


async def _count(api: httpx.AsyncClient) -> int:
    listed = await api.get(f"{BASE}/subscriptions", params={"limit": 200},
                           headers=admin(SANJO))
    return len(listed.json()["items"])


async def test_a_partner_subscribes_the_admin_approves_sees_and_ends_it(
        api: httpx.AsyncClient) -> None:
    client = as_caller(SANJO, subject=f"{SANJO}-school-system")
    created = await api.post(f"{BASE}/subscriptions", headers={**client, **key()}, json={
        "callback_url": HOOK, "event_types": [MOVED_OUT], "description": "学齢簿"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["state"] == "pending_approval", "a home client waits for the town's consent"
    assert body["secret"].startswith("whsec_")
    sid = body["id"]

    shown = await api.get(f"{BASE}/subscriptions/{sid}", headers=client)
    assert shown.status_code == 200 and "secret" not in shown.json()
    other = as_caller(SANJO, subject=f"{SANJO}-other-vendor")
    assert (await api.get(f"{BASE}/subscriptions/{sid}", headers=other)).status_code == 404
    mine = (await api.get(f"{BASE}/subscriptions", headers=other)).json()["items"]
    assert sid not in [s["id"] for s in mine], "a client sees its own subscriptions only"
    everyone = (await api.get(f"{BASE}/subscriptions", params={"limit": 200},
                              headers=admin(SANJO))).json()["items"]
    assert sid in [s["id"] for s in everyone], "the admin sees every subscription to the town"

    refused = await api.post(f"{BASE}/subscriptions/{sid}/approve",
                             headers={**client, **key()})
    assert refused.status_code == 403, "a client cannot consent for the town"
    approved = await api.post(f"{BASE}/subscriptions/{sid}/approve",
                              headers={**admin(SANJO), **key()})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "active"
    assert approved.json()["approved_by"] == f"admin-{SANJO}"

    ended = await api.delete(f"{BASE}/subscriptions/{sid}", headers=admin(SANJO))
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    again = await api.post(f"{BASE}/subscriptions/{sid}/resume", headers={**client, **key()})
    assert again.status_code == 409


async def test_a_support_grant_is_the_towns_consent(api: httpx.AsyncClient) -> None:
    helper = as_caller(SANJO, subject="nagaoka-staff", kind="staff", home=NAGAOKA,
                       grant_id="grant-1", scopes="webhooks:subscribe residents:read")
    created = await api.post(f"{BASE}/subscriptions", headers={**helper, **key()}, json={
        "callback_url": HOOK, "event_types": [MOVED_OUT]})
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "active"
    assert created.json()["owner"] == {"subject": "nagaoka-staff", "home_municipality": NAGAOKA,
                                       "kind": "staff", "grant_id": "grant-1"}


@pytest.mark.parametrize(("case", "status", "field"), [
    ("event type outside the scopes", 403, "event_types"),
    ("unknown event type", 422, "event_types"),
    ("protection changes are never offered", 422, "event_types"),
    ("loopback callback", 422, "callback_url"),
    ("private callback", 422, "callback_url"),
    ("link-local callback", 422, "callback_url"),
    ("not http", 422, "callback_url"),
    ("credentials in the URL", 422, "callback_url"),
    ("unknown filter", 422, "filters.surname"),
])
async def test_a_subscription_outside_the_rights_or_with_bad_input_is_refused(
        api: httpx.AsyncClient, case: str, status: int, field: str) -> None:
    body: dict[str, object] = {"callback_url": HOOK, "event_types": [MOVED_OUT]}
    if case == "event type outside the scopes":
        body["event_types"] = ["jp.kyodo.tax.assessed.v1"]
    elif case == "unknown event type":
        body["event_types"] = ["jp.kyodo.resident.teleported.v1"]
    elif case == "protection changes are never offered":
        body["event_types"] = ["jp.kyodo.resident.protection_changed.v1"]
    elif case == "loopback callback":
        body["callback_url"] = "http://127.0.0.1:8080/hook"
    elif case == "private callback":
        body["callback_url"] = "https://10.1.2.3/hook"
    elif case == "link-local callback":
        body["callback_url"] = "http://169.254.169.254/latest/meta-data"
    elif case == "not http":
        body["callback_url"] = "ftp://partner.example/hook"
    elif case == "credentials in the URL":
        body["callback_url"] = "https://user:pw@partner.example/hook"
    else:
        body["filters"] = {"surname": "三条"}
    before = await _count(api)
    refused = await api.post(f"{BASE}/subscriptions",
                             headers={**as_caller(SANJO), **key()}, json=body)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in refused.json()["invalid_params"]] == [field]
    assert await _count(api) == before, "nothing was stored"


async def test_a_caller_without_the_scope_or_for_another_town_is_refused(
        api: httpx.AsyncClient) -> None:
    body = {"callback_url": HOOK, "event_types": [MOVED_OUT]}
    no_scope = await api.post(f"{BASE}/subscriptions", json=body, headers={
        **as_caller(SANJO, scopes="residents:read"), **key()})
    assert no_scope.status_code == 403
    elsewhere = await api.post(f"{BASE}/subscriptions", json=body, headers={
        **as_caller(NAGAOKA), **key()})
    assert elsewhere.status_code == 403, "an assertion for Nagaoka does not act for Sanjo"
