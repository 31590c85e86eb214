"""Staff and operator login: a progressive delay after repeated failures (no lockout),
password change, disabled accounts. tests/security covers the throttle and uniform refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from kyodo_testing import Infrastructure

from .identity_harness import PROBLEM, Identity, bearer, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
FREE_FAILURES = 2
FIRST_DELAY_SECONDS = 1.0


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    # Every request comes from 127.0.0.1: the per-address budget is out of the way here.
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var"),
                                login_free_failures=FREE_FAILURES,
                                login_first_delay_seconds=FIRST_DELAY_SECONDS,
                                login_max_delay_seconds=2.0,
                                login_source_burst=1000) as app:
        yield app


@pytest.fixture(scope="module")
async def town(identity: Identity) -> str:
    return await identity.municipality(await identity.operator())


async def _login(identity: Identity, code: str, login: str, password: str) -> int:
    response = await identity.http.post("/v1/auth/token", data={
        "grant_type": "password", "municipality_code": code, "username": login,
        "password": password})
    if response.status_code != 200:
        assert response.headers["content-type"] == PROBLEM
    return response.status_code


async def test_failures_past_the_free_ones_delay_the_next_attempt_but_lock_nothing(
    identity: Identity, town: str,
) -> None:
    admin = await identity.admin(town)
    await identity.staff(town, admin, "lock.me", "right-password-1", ["counter_clerk"])
    for _ in range(FREE_FAILURES + 1):
        assert await _login(identity, town, "lock.me", "wrong-password") == 401
    # Delayed: even the right password is not checked until the wait is over.
    delayed = await identity.http.post("/v1/auth/token", data={
        "grant_type": "password", "municipality_code": town, "username": "lock.me",
        "password": "right-password-1"})
    assert delayed.status_code == 429
    assert delayed.headers["content-type"] == PROBLEM
    assert delayed.headers["retry-after"] == "1"
    await asyncio.sleep(FIRST_DELAY_SECONDS + 0.2)
    # The real user waited a second, not a lockout.
    assert await _login(identity, town, "lock.me", "right-password-1") == 200


async def test_a_success_resets_the_failure_count(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    await identity.staff(town, admin, "reset.me", "right-password-2", ["counter_clerk"])
    for _ in range(FREE_FAILURES):
        assert await _login(identity, town, "reset.me", "wrong") == 401
    assert await _login(identity, town, "reset.me", "right-password-2") == 200
    for _ in range(FREE_FAILURES):
        assert await _login(identity, town, "reset.me", "wrong") == 401
    assert await _login(identity, town, "reset.me", "right-password-2") == 200


async def test_unknown_login_and_unknown_municipality_are_refused_alike(
    identity: Identity, town: str,
) -> None:
    assert await _login(identity, town, "nobody", "whatever-password") == 401
    assert await _login(identity, "011002", "admin", "whatever-password") == 401
    bad = await identity.http.post("/v1/auth/token", data={
        "grant_type": "password", "municipality_code": "123456", "username": "admin",
        "password": "x"})
    assert bad.status_code == 422
    assert bad.json()["invalid_params"][0]["name"] == "municipality_code"
    missing = await identity.http.post("/v1/auth/token", data={"grant_type": "password"})
    assert missing.status_code == 422
    assert {p["name"] for p in missing.json()["invalid_params"]} == {
        "municipality_code", "username", "password"}
    unsupported = await identity.http.post("/v1/auth/token", data={"grant_type": "implicit"})
    assert unsupported.status_code == 400
    assert unsupported.headers["content-type"] == PROBLEM


async def test_staff_change_their_own_password(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    await identity.staff(town, admin, "changer", "first-password-1", ["counter_clerk"])
    token = (await identity.token(town, "changer", "first-password-1"))["access_token"]
    url = "/v1/auth/password"

    too_short = await identity.http.post(url, json={
        "current_password": "first-password-1", "new_password": "short"},
        headers=post_headers(token))
    assert too_short.status_code == 422
    assert too_short.json()["invalid_params"][0]["name"] == "new_password"

    wrong = await identity.http.post(url, json={
        "current_password": "not-my-password", "new_password": "second-password-2"},
        headers=post_headers(token))
    assert wrong.status_code == 403
    assert wrong.headers["content-type"] == PROBLEM
    assert wrong.json()["invalid_params"][0]["name"] == "current_password"

    headers = post_headers(token)
    body = {"current_password": "first-password-1", "new_password": "second-password-2"}
    changed = await identity.http.post(url, json=body, headers=headers)
    assert changed.status_code == 204, changed.text
    replayed = await identity.http.post(url, json=body, headers=headers)
    assert replayed.status_code == 204
    assert await _login(identity, town, "changer", "first-password-1") == 401
    assert await _login(identity, town, "changer", "second-password-2") == 200

    no_key = await identity.http.post(url, json=body, headers=bearer(token))
    assert no_key.status_code == 400
    assert no_key.json()["invalid_params"][0]["name"] == "Idempotency-Key"
    unknown_field = await identity.http.post(url, json={**body, "otp": "1"},
                                             headers=post_headers(token))
    assert unknown_field.status_code == 422
    assert unknown_field.json()["invalid_params"][0]["name"] == "otp"


async def test_a_disabled_account_cannot_log_in(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    member = await identity.staff(town, admin, "leaver", "goodbye-password-1", ["auditor"])
    disabled = await identity.http.post(
        f"/v1/municipalities/{town}/identity/staff/{member['id']}/disable",
        headers=post_headers(admin))
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["disabled"] is True
    assert await _login(identity, town, "leaver", "goodbye-password-1") == 401


async def test_operators_log_in_to_the_platform_and_are_delayed_too(identity: Identity) -> None:
    from kyodo_identity.adapters.operators import SqlOperators
    from kyodo_identity.service_layer.operators import ensure_operator

    async with identity.db.platform_transaction() as session:
        await ensure_operator(SqlOperators(session), login="lockable-operator",
                              password="operator-pass-1")
    body = await identity.token("000000", "lockable-operator", "operator-pass-1")
    claims_scope = set(body["scope"].split())
    assert "platform:manage" in claims_scope
    assert "refresh_token" not in body
    for _ in range(FREE_FAILURES + 1):
        assert await _login(identity, "000000", "lockable-operator", "wrong") == 401
    assert await _login(identity, "000000", "lockable-operator", "operator-pass-1") == 429
    await asyncio.sleep(FIRST_DELAY_SECONDS + 0.2)
    assert await _login(identity, "000000", "lockable-operator", "operator-pass-1") == 200


async def test_an_oauth2_password_flow_client_names_the_town_in_the_username(
    identity: Identity, town: str,
) -> None:
    """Swagger UI's Authorize (and any OAuth2 password-flow client) sends only username and
    password: `<municipality code>/<login>` logs in as that town's staff."""
    admin = await identity.admin(town)
    await identity.staff(town, admin, "swagger.user", "right-password-3", ["counter_clerk"])
    response = await identity.http.post("/v1/auth/token", data={
        "grant_type": "password", "username": f"{town}/swagger.user",
        "password": "right-password-3"})
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"
    wrong = await identity.http.post("/v1/auth/token", data={
        "grant_type": "password", "username": f"{town}/swagger.user", "password": "wrong"})
    assert wrong.status_code == 401
