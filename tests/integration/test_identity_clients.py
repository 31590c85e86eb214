"""Partner API clients: client credentials, scopes, secret rotation with overlap, revocation."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from kyodo_testing import Infrastructure, every_item

from .identity_harness import PROBLEM, Identity, bearer, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


@pytest.fixture(scope="module")
async def town(identity: Identity) -> str:
    return await identity.municipality(await identity.operator())


async def _create(identity: Identity, town: str, admin: str,
                  scopes: list[str]) -> dict[str, Any]:
    response = await identity.http.post(
        f"/v1/municipalities/{town}/identity/clients",
        json={"name": "税務システム連携", "scopes": scopes}, headers=post_headers(admin))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _client_token(identity: Identity, client_id: str, secret: str,
                        scope: str | None = None) -> httpx.Response:
    data = {"grant_type": "client_credentials", "client_id": client_id,
            "client_secret": secret, **({"scope": scope} if scope else {})}
    return await identity.http.post("/v1/auth/token", data=data)


async def test_a_partner_gets_a_scoped_client_token(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    created = await _create(identity, town, admin, ["residents:read", "tax:read"])
    client_id, secret = created["client_id"], created["client_secret"]
    assert client_id.startswith(town) and secret

    token = await _client_token(identity, client_id, secret, "residents:read")
    assert token.status_code == 200, token.text
    assert token.headers["Cache-Control"] == "no-store"
    assert "refresh_token" not in token.json()
    principal = await identity.app.state.verifier.verify(token.json()["access_token"])
    assert principal.kind == "client"
    assert principal.subject == client_id
    assert principal.home_municipality == town
    assert principal.scopes == {"residents:read"}

    every = await _client_token(identity, client_id, secret)
    assert set(every.json()["scope"].split()) == {"residents:read", "tax:read"}

    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    via_basic = await identity.http.post("/v1/auth/token", data={
        "grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"})
    assert via_basic.status_code == 200

    too_much = await _client_token(identity, client_id, secret, "residents:read mynumber:read")
    assert too_much.status_code == 400
    assert too_much.json()["invalid_params"][0]["name"] == "scope"

    wrong = await _client_token(identity, client_id, secret + "x")
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == PROBLEM
    unknown = await _client_token(identity, f"{town}-{'0' * 24}", secret)
    assert unknown.status_code == 401
    garbage = await _client_token(identity, "not-a-client", secret)
    assert garbage.status_code == 401


async def test_client_scopes_are_limited_to_partner_work(identity: Identity,
                                                         town: str) -> None:
    admin = await identity.admin(town)
    response = await identity.http.post(
        f"/v1/municipalities/{town}/identity/clients",
        json={"name": "x", "scopes": ["staff:manage"]}, headers=post_headers(admin))
    assert response.status_code == 422
    assert response.json()["invalid_params"][0]["name"] == "scopes"


async def test_rotation_keeps_the_old_secret_valid_until_the_overlap_ends(
    identity: Identity, town: str,
) -> None:
    admin = await identity.admin(town)
    created = await _create(identity, town, admin, ["residents:read"])
    client_id, old = created["client_id"], created["client_secret"]
    rotated = await identity.http.post(
        f"/v1/municipalities/{town}/identity/clients/{client_id}/rotate-secret",
        json={"overlap_seconds": 2}, headers=post_headers(admin))
    assert rotated.status_code == 201, rotated.text
    new = rotated.json()["client_secret"]
    assert new and new != old
    assert rotated.json()["previous_secrets_valid_until"]

    # During the overlap both secrets work.
    assert (await _client_token(identity, client_id, new)).status_code == 200
    assert (await _client_token(identity, client_id, old)).status_code == 200
    await asyncio.sleep(2.2)
    assert (await _client_token(identity, client_id, old)).status_code == 401
    assert (await _client_token(identity, client_id, new)).status_code == 200

    info = (await identity.http.get(f"/v1/municipalities/{town}/identity/clients/{client_id}",
                                    headers=bearer(admin))).json()
    assert len(info["secrets"]) == 2
    assert "secret_hash" not in str(info)


async def test_the_default_overlap_is_a_day(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    created = await _create(identity, town, admin, ["residents:read"])
    rotated = await identity.http.post(
        f"/v1/municipalities/{town}/identity/clients/{created['client_id']}/rotate-secret",
        headers=post_headers(admin))
    assert rotated.status_code == 201, rotated.text
    assert (await _client_token(identity, created["client_id"],
                                created["client_secret"])).status_code == 200


async def test_a_replayed_create_never_shows_the_secret_again(identity: Identity,
                                                              town: str) -> None:
    admin = await identity.admin(town)
    headers = post_headers(admin)
    body = {"name": "再送テスト", "scopes": ["tax:read"]}
    url = f"/v1/municipalities/{town}/identity/clients"
    first = await identity.http.post(url, json=body, headers=headers)
    again = await identity.http.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["client_secret"]
    assert again.json()["client_secret"] is None
    assert again.json()["client_id"] == first.json()["client_id"]


async def test_a_revoked_client_gets_no_more_tokens(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    created = await _create(identity, town, admin, ["residents:read"])
    client_id, secret = created["client_id"], created["client_secret"]
    revoked = await identity.http.post(
        f"/v1/municipalities/{town}/identity/clients/{client_id}/revoke",
        headers=post_headers(admin))
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"]
    assert (await _client_token(identity, client_id, secret)).status_code == 401
    again = await identity.http.post(
        f"/v1/municipalities/{town}/identity/clients/{client_id}/rotate-secret",
        headers=post_headers(admin))
    assert again.status_code == 409


async def test_clients_page_oldest_first_through_the_cursor(identity: Identity,
                                                            town: str) -> None:
    admin = await identity.admin(town)
    made = [(await _create(identity, town, admin, ["tax:read"]))["client_id"] for _ in range(3)]
    url = f"/v1/municipalities/{town}/identity/clients"
    first = (await identity.http.get(url, params={"limit": 2}, headers=bearer(admin))).json()
    assert len(first["items"]) == 2 and first["next"]
    listed = await every_item(identity.http, url, limit=2, headers=bearer(admin))
    ids = [c["client_id"] for c in listed]
    assert ids[:2] == [c["client_id"] for c in first["items"]]
    assert len(ids) == len(set(ids)) and ids[-3:] == made
    foreign = await identity.http.get(url, params={"cursor": "WyJ4Il0"}, headers=bearer(admin))
    assert foreign.status_code == 422
    assert foreign.json()["invalid_params"][0]["name"] == "cursor"
