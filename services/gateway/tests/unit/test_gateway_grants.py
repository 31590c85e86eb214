"""Authorization: home municipality or an active support grant; the assertion to services."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from gateway_kit import (
    GATEWAY_KEYS,
    HOME,
    OTHER,
    PROBLEM,
    THIRD,
    Echo,
    Identity,
    bearer,
    header,
    make_token,
    running_gateway,
    serve_aiohttp,
)

from kyodo_common.assertion import (
    Acting,
    AssertionVerifier,
    verify_client_address,
)
from kyodo_gateway.app import Gateway

pytestmark = pytest.mark.timeout(60)
FAIL_CLOSED = 1.5  # seconds without a confirmation before grants are refused


@pytest.fixture(scope="module")
async def identity() -> AsyncIterator[tuple[Identity, str]]:
    state = Identity()
    async with serve_aiohttp(state.handle) as url:
        yield state, url


@pytest.fixture(scope="module")
async def setup(identity: tuple[Identity, str]) -> AsyncIterator[tuple[Identity, Gateway, str]]:
    echo = Echo()
    async with serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity[1], upstream_url,
                            KYODO_GRANTS_FAIL_CLOSED_SECONDS=FAIL_CLOSED) as (gateway, url):
        yield identity[0], gateway, url


@pytest.fixture
async def client(setup: tuple[Identity, Gateway, str]) -> AsyncIterator[httpx.AsyncClient]:
    state, gateway, url = setup
    state.grants.clear()
    state.revocations.clear()
    state.down = False
    await next_poll(gateway)
    async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as c:
        yield c


async def next_poll(gateway: Gateway) -> None:
    """Returns once a whole poll has started and finished after this call."""
    assert gateway.poller is not None
    target = gateway.poller.polls + 2
    async with asyncio.timeout(5):
        while gateway.poller.polls < target:
            await asyncio.sleep(0.02)


def acting(echo: dict[str, Any]) -> Acting:
    values = header(echo, "x-kyodo-assertion")
    assert len(values) == 1, values
    return AssertionVerifier(GATEWAY_KEYS).verify(values[0])


def path(code: str, service: str = "residents", rest: str = "r-1") -> str:
    return f"/v1/municipalities/{code}/{service}/{rest}"


async def test_home_municipality_gets_an_assertion_and_a_forged_one_is_stripped(
    client: httpx.AsyncClient,
) -> None:
    token = make_token(scopes="residents:read residents:write")
    forged = "eyJhbGciOiJub25lIn0.eyJhY3RpbmciOiIyNzEwMDQifQ."
    response = await client.get(path(HOME), headers={**bearer(token),
                                                     "X-Kyodo-Assertion": forged})
    assert response.status_code == 200, response.text
    echo = response.json()
    assert forged not in header(echo, "x-kyodo-assertion")
    who = acting(echo)
    assert who.municipality == HOME
    assert who.principal.home_municipality == HOME
    assert who.principal.subject == "staff-1"
    assert who.scopes == frozenset({"residents:read", "residents:write"})
    assert who.grant_id is None
    assert who.expires_at <= time.time() + 60
    # The caller's token still reaches the service (it may verify it itself).
    assert header(echo, "authorization") == [f"Bearer {token}"]


async def test_public_routes_carry_the_signed_client_address_and_a_forged_one_is_stripped(
    client: httpx.AsyncClient,
) -> None:
    forged = {"X-Kyodo-Client-Address": "198.51.100.1"}
    response = await client.get("/v1/platform/municipalities", headers=forged)
    assert response.status_code == 200, response.text
    values = header(response.json(), "x-kyodo-client-address")
    assert len(values) == 1, values
    # Identity limits logins by this address: the TCP peer the gateway saw, signed.
    assert verify_client_address(GATEWAY_KEYS, values[0]) == "127.0.0.1"
    # Tenant routes need none, and a client's own never passes.
    tenant = await client.get(path(HOME), headers={**bearer(make_token()), **forged})
    assert header(tenant.json(), "x-kyodo-client-address") == []


async def test_assertions_are_cached_per_token_and_municipality(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    state.grant(grantor=OTHER, scopes=("residents:read",))
    await next_poll(gateway)
    token = make_token()
    first, second, other = [
        header((await client.get(path(code), headers=bearer(token))).json(),
               "x-kyodo-assertion")
        for code in (HOME, HOME, OTHER)
    ]
    assert first == second
    assert first != other


async def test_another_municipality_without_a_grant_is_forbidden(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(path(OTHER), headers=bearer(make_token()))
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM


async def test_a_grant_allows_its_scopes_only(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    grant = state.grant(grantor=OTHER, scopes=("residents:read", "tax:read"))
    await next_poll(gateway)
    token = make_token(scopes="residents:read residents:write certificates:issue")

    response = await client.get(path(OTHER), headers=bearer(token))
    assert response.status_code == 200, response.text
    who = acting(response.json())
    assert who.municipality == OTHER
    assert who.principal.home_municipality == HOME
    assert who.grant_id == grant["grant_id"]
    # token scopes ∩ grant scopes: tax:read is not in the token, residents:write not granted
    assert who.scopes == frozenset({"residents:read"})

    assert (await client.head(path(OTHER), headers=bearer(token))).status_code == 200
    # Searches are POSTed (names stay out of URLs) but are reads.
    search = await client.post(path(OTHER, rest="search"), headers=bearer(token), json={})
    assert search.status_code == 200
    for method, target in (("POST", path(OTHER)), ("GET", path(OTHER, "certificates")),
                           ("GET", path(OTHER, "identity", "staff"))):
        response = await client.request(method, target, headers=bearer(token))
        assert response.status_code == 403, (method, target)
        assert response.headers["content-type"] == PROBLEM
    # Not for a third municipality, nor for another member of staff.
    assert (await client.get(path(THIRD), headers=bearer(token))).status_code == 403
    other_staff = make_token(subject="staff-2")
    assert (await client.get(path(OTHER), headers=bearer(other_staff))).status_code == 403


async def test_identity_admin_routes_are_never_covered_by_a_grant(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    state.grant(grantor=OTHER, scopes=("identity:admin", "identity:read", "identity:write"))
    await next_poll(gateway)
    token = make_token(scopes="identity:admin identity:read identity:write")
    assert (await client.get(path(OTHER, "identity", "staff"),
                             headers=bearer(token))).status_code == 403
    home = await client.get(path(HOME, "identity", "staff"), headers=bearer(token))
    assert home.json()["identity"] == path(HOME, "identity", "staff")


async def test_the_validity_window_is_checked_at_request_time(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    now = time.time()
    state.grant(grantor=OTHER, valid_until=now + 1.0)
    state.grant(grantor=THIRD, valid_from=now + 3600)
    await next_poll(gateway)
    token = make_token()
    assert (await client.get(path(OTHER), headers=bearer(token))).status_code == 200
    assert (await client.get(path(THIRD), headers=bearer(token))).status_code == 403
    await asyncio.sleep(max(0.0, now + 1.05 - time.time()))
    # Still in the snapshot, but expired: refused without waiting for a poll.
    assert (await client.get(path(OTHER), headers=bearer(token))).status_code == 403


async def test_a_revoked_grant_is_refused_after_the_next_poll(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    state.grant(grantor=OTHER)
    await next_poll(gateway)
    token = make_token()
    assert (await client.get(path(OTHER), headers=bearer(token))).status_code == 200
    state.grants.clear()  # revoked: no longer among the active grants
    await next_poll(gateway)
    assert (await client.get(path(OTHER), headers=bearer(token))).status_code == 403


async def test_grants_not_confirmed_for_the_window_are_refused_and_home_access_goes_on(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    state.grant(grantor=OTHER)
    await next_poll(gateway)
    token = make_token()
    assert (await client.get(path(OTHER), headers=bearer(token))).status_code == 200
    state.down = True
    down = time.monotonic()
    async with asyncio.timeout(FAIL_CLOSED + 3):
        while (response := await client.get(path(OTHER), headers=bearer(token))
               ).status_code == 200:
            await asyncio.sleep(0.05)
    # The last confirmation came at most a poll (0.2 s) before identity went down.
    assert time.monotonic() - down > FAIL_CLOSED - 0.3
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "cannot be confirmed" in response.json()["detail"]
    assert (await client.get(path(HOME), headers=bearer(token))).status_code == 200
    state.down = False
    await next_poll(gateway)
    assert (await client.get(path(OTHER), headers=bearer(token))).status_code == 200


async def test_revoked_tokens_and_disabled_subjects_are_refused_everywhere(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    state.grant(grantor=OTHER)
    logged_out, kept = make_token(), make_token()
    disabled = make_token(subject="staff-9")
    await next_poll(gateway)
    for token in (logged_out, kept, disabled):  # verified and cached before the revocation
        assert (await client.get(path(HOME), headers=bearer(token))).status_code == 200
    jti = jwt.decode(logged_out, options={"verify_signature": False})["jti"]
    state.revocations += [
        {"municipality_code": HOME, "subject": "staff-1", "token_id": jti,
         "expires_at": "2099-01-01T00:00:00Z"},
        {"municipality_code": HOME, "subject": "staff-9", "token_id": None,
         "expires_at": "2099-01-01T00:00:00Z"}]
    await next_poll(gateway)
    for token in (logged_out, disabled):
        for code in (HOME, OTHER):
            response = await client.get(path(code), headers=bearer(token))
            assert response.status_code == 401, response.text
            assert response.json()["detail"] == "the token has been revoked"
    assert (await client.get(path(HOME), headers=bearer(kept))).status_code == 200
    assert (await client.get(path(OTHER), headers=bearer(kept))).status_code == 200
    # The same subject in another municipality is someone else.
    elsewhere = make_token(municipality=THIRD, subject="staff-9")
    assert (await client.get(path(THIRD), headers=bearer(elsewhere))).status_code == 200


async def test_a_malformed_revocation_keeps_the_snapshot_held(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    token = make_token(subject="staff-9")
    state.revocations.append({"municipality_code": HOME, "subject": "staff-9",
                              "token_id": None, "expires_at": "2099-01-01T00:00:00Z"})
    await next_poll(gateway)
    # Skipping it would let staff-9 in: the whole snapshot is refused, the one held stays.
    state.revocations[:] = [{"token_id": None, "subject": "staff-9"}]
    await next_poll(gateway)
    assert (await client.get(path(HOME), headers=bearer(token))).status_code == 401


async def test_identity_is_read_with_a_service_token(
    client: httpx.AsyncClient, setup: tuple[Identity, Gateway, str],
) -> None:
    state, gateway, _ = setup
    state.grant(grantor=OTHER)
    await next_poll(gateway)
    assert (await client.get(path(OTHER), headers=bearer(make_token()))).status_code == 200
    assert set(state.callers) == {"gateway"}


async def test_platform_operators_configure_any_municipality_in_identity_only(
    client: httpx.AsyncClient,
) -> None:
    operator = make_token(municipality="000000", subject="op-1", kind="operator",
                          scopes="platform:manage grants:manage")
    response = await client.get(path(OTHER, "identity", "support-grants"),
                                headers=bearer(operator))
    assert response.status_code == 200
    who = acting(response.json())
    assert (who.municipality, who.principal.kind, who.grant_id) == (OTHER, "operator", None)
    assert who.scopes == frozenset({"platform:manage", "grants:manage"})
    assert (await client.get(path(OTHER), headers=bearer(operator))).status_code == 403
    # /v1/platform goes to identity, which checks the operator's token itself.
    platform = await client.get("/v1/platform/municipalities", headers=bearer(operator))
    assert platform.json()["identity"] == "/v1/platform/municipalities"
