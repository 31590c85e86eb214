"""Rate limits per municipality and per client: 429 problem+json with Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from gateway_kit import (
    HOME,
    OTHER,
    PROBLEM,
    Echo,
    Identity,
    bearer,
    make_token,
    running_gateway,
    serve_aiohttp,
)

from kyodo_gateway.ratelimit import TokenBuckets

pytestmark = pytest.mark.timeout(60)

CLIENT_BURST = 3
TENANT_BURST = 5
LOGIN_BURST = 1


@pytest.fixture
async def url() -> AsyncIterator[str]:
    identity, echo = Identity(), Echo()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url,
                            KYODO_RATE_CLIENT_PER_SECOND=0.01,
                            KYODO_RATE_CLIENT_BURST=CLIENT_BURST,
                            KYODO_RATE_TENANT_PER_SECOND=0.01,
                            KYODO_RATE_TENANT_BURST=TENANT_BURST,
                            KYODO_RATE_LOGIN_PER_SECOND=0.01,
                            KYODO_RATE_LOGIN_BURST=LOGIN_BURST) as (_, gateway_url):
        yield gateway_url


def residents(code: str) -> str:
    return f"/v1/municipalities/{code}/residents/r-1"


def assert_limited(response: httpx.Response, whom: str) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == PROBLEM
    assert int(response.headers["retry-after"]) >= 1
    assert whom in response.json()["detail"]


async def test_per_client_then_per_tenant_and_tenants_are_isolated(url: str) -> None:
    first, second = make_token(subject="staff-1"), make_token(subject="staff-2")
    other_tenant = make_token(municipality=OTHER, subject="staff-9")
    async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
        for _ in range(CLIENT_BURST):
            assert (await client.get(residents(HOME), headers=bearer(first))).status_code == 200
        # The first client is over its limit; the municipality is not.
        assert_limited(await client.get(residents(HOME), headers=bearer(first)), "client")
        for _ in range(TENANT_BURST - CLIENT_BURST):
            response = await client.get(residents(HOME), headers=bearer(second))
            assert response.status_code == 200
        # Now the municipality is: its other clients are refused too.
        assert_limited(await client.get(residents(HOME), headers=bearer(second)),
                       "municipality")
        # Another municipality is served as before.
        for _ in range(CLIENT_BURST):
            response = await client.get(residents(OTHER), headers=bearer(other_tenant))
            assert response.status_code == 200


async def test_public_routes_are_limited_per_client_address(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
        for _ in range(CLIENT_BURST):
            assert (await client.get("/v1/auth/jwks.json")).status_code == 200
        assert_limited(await client.get("/v1/auth/jwks.json"), "client")
        # The health checks are not rate limited.
        assert (await client.get("/health/live")).status_code == 200


async def test_password_logins_have_a_stricter_limit_per_client_address(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
        form = {"grant_type": "password", "municipality_code": HOME, "username": "x",
                "password": "y"}
        for _ in range(LOGIN_BURST):
            assert (await client.post("/v1/auth/token", data=form)).status_code != 429
        assert_limited(await client.post("/v1/auth/token", data=form), "logins")
        # Other public routes are not held back by the login limit.
        assert (await client.get("/v1/auth/jwks.json")).status_code == 200


def test_token_bucket_refills_and_tells_how_long_to_wait() -> None:
    buckets = TokenBuckets(rate=2.0, burst=2.0)
    assert buckets.take("a", 0.0) == 0.0
    assert buckets.take("a", 0.0) == 0.0
    assert buckets.take("a", 0.0) == pytest.approx(0.5)
    assert buckets.take("a", 0.5) == 0.0  # one token back after half a second
    assert buckets.take("b", 0.5) == 0.0  # keys are independent
    buckets.prune(100.0)
    assert len(buckets) == 0  # full buckets are forgotten
