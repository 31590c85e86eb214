"""Refresh tokens: rotated on every use; a used one coming back revokes the whole family."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from kyodo_testing import Infrastructure

from .identity_harness import PROBLEM, Identity, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


@pytest.fixture(scope="module")
async def town(identity: Identity) -> str:
    code = await identity.municipality(await identity.operator())
    admin = await identity.admin(code)
    await identity.staff(code, admin, "counter", "desk-secret-001", ["counter_clerk"])
    return code


async def _refresh(identity: Identity, token: str) -> httpx.Response:
    return await identity.http.post("/v1/auth/token", data={
        "grant_type": "refresh_token", "refresh_token": token})


async def test_refresh_rotates_and_reuse_revokes_the_family(identity: Identity,
                                                            town: str) -> None:
    login = await identity.token(town, "counter", "desk-secret-001")
    first = login["refresh_token"]
    second_response = await _refresh(identity, first)
    assert second_response.status_code == 200, second_response.text
    second = second_response.json()["refresh_token"]
    assert second != first
    principal = await identity.app.state.verifier.verify(second_response.json()["access_token"])
    assert principal.kind == "staff" and principal.home_municipality == town

    third_response = await _refresh(identity, second)
    assert third_response.status_code == 200
    third = third_response.json()["refresh_token"]

    # The first token comes back: someone kept a copy. The whole family ends.
    reused = await _refresh(identity, first)
    assert reused.status_code == 401
    assert reused.headers["content-type"] == PROBLEM
    assert (await _refresh(identity, third)).status_code == 401

    # A new login starts a new family.
    fresh = await identity.token(town, "counter", "desk-secret-001")
    assert (await _refresh(identity, fresh["refresh_token"])).status_code == 200


async def test_garbage_and_unknown_refresh_tokens_are_refused(identity: Identity,
                                                              town: str) -> None:
    for token in ("garbage", f"{town}.not-a-real-token", "123456.whatever"):
        response = await _refresh(identity, token)
        assert response.status_code == 401, token
    missing = await identity.http.post("/v1/auth/token", data={"grant_type": "refresh_token"})
    assert missing.status_code == 422


async def test_a_password_change_or_disable_ends_the_sessions(identity: Identity,
                                                              town: str) -> None:
    admin = await identity.admin(town)
    member = await identity.staff(town, admin, "mover", "walker-secret-10", ["counter_clerk"])
    login = await identity.token(town, "mover", "walker-secret-10")
    other_device = await identity.token(town, "mover", "walker-secret-10")
    changed = await identity.http.post("/v1/auth/password", json={
        "current_password": "walker-secret-10", "new_password": "walker-secret-20"},
        headers=post_headers(login["access_token"]))
    assert changed.status_code == 204
    assert (await _refresh(identity, other_device["refresh_token"])).status_code == 401

    again = await identity.token(town, "mover", "walker-secret-20")
    await identity.http.post(f"/v1/municipalities/{town}/identity/staff/{member['id']}/disable",
                             headers=post_headers(admin))
    assert (await _refresh(identity, again["refresh_token"])).status_code == 401
