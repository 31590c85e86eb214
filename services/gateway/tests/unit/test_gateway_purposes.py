"""A municipality's own purpose codes (local-…), from identity: accepted for that municipality
only; standard codes and anything else pass to the services, which check them (ADR 0013)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from gateway_kit import HOME, OTHER, PROBLEM, Echo, Identity, bearer, make_token, running_gateway
from gateway_kit import serve_aiohttp as serve

from kyodo_gateway.app import Gateway
from kyodo_gateway.purposes import LocalPurposes, parse_purposes

pytestmark = pytest.mark.timeout(60)

SNOW = "local-snow-clearing"


@pytest.fixture(scope="module")
async def setup() -> AsyncIterator[tuple[Identity, Echo, Gateway, str]]:
    identity, echo = Identity(), Echo()
    identity.municipalities = [{"code": HOME, "cors_origins": [], "purposes": [SNOW]},
                               {"code": OTHER, "cors_origins": []}]
    async with serve(identity.handle) as identity_url, serve(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url) as (gateway, url):
        yield identity, echo, gateway, url


@pytest.fixture
async def client(setup: tuple[Identity, Echo, Gateway, str],
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=setup[3], timeout=5.0, trust_env=False) as c:
        yield c


def read(code: str, purpose: str) -> tuple[str, dict[str, str]]:
    return (f"/v1/municipalities/{code}/residents/r-1",
            {**bearer(make_token(municipality=code)), "X-Kyodo-Purpose": purpose})


async def test_a_municipalitys_own_code_reaches_its_services(client: httpx.AsyncClient) -> None:
    url, headers = read(HOME, SNOW)
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text


async def test_another_municipalitys_own_code_is_refused(
    client: httpx.AsyncClient, setup: tuple[Identity, Echo, Gateway, str],
) -> None:
    seen = len(setup[1].seen)
    url, headers = read(OTHER, SNOW)
    response = await client.get(url, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    (param,) = response.json()["invalid_params"]
    assert param["name"] == "X-Kyodo-Purpose" and "identity/purposes" in param["reason"]
    assert len(setup[1].seen) == seen  # never forwarded


async def test_standard_codes_pass_to_the_services(client: httpx.AsyncClient) -> None:
    url, headers = read(OTHER, "residence-certificate")
    assert (await client.get(url, headers=headers)).status_code == 200


async def test_two_purpose_headers_are_refused(client: httpx.AsyncClient) -> None:
    url, headers = read(HOME, SNOW)
    response = await client.get(url, headers=[*headers.items(),
                                              ("X-Kyodo-Purpose", "local-other")])
    assert response.status_code == 422


async def test_own_codes_follow_identity(
    client: httpx.AsyncClient, setup: tuple[Identity, Echo, Gateway, str],
) -> None:
    identity, _, gateway, _ = setup
    before = identity.municipalities
    identity.municipalities = [{"code": HOME, "cors_origins": [], "purposes": []}]
    try:
        assert gateway.poller is not None
        target = gateway.poller.polls + 2
        while gateway.poller.polls < target:
            await asyncio.sleep(0.02)
        url, headers = read(HOME, SNOW)
        assert (await client.get(url, headers=headers)).status_code == 422
    finally:
        identity.municipalities = before
        target = gateway.poller.polls + 2
        while gateway.poller.polls < target:
            await asyncio.sleep(0.02)


def test_before_identity_answers_every_local_code_is_refused() -> None:
    with pytest.raises(Exception, match="unknown purpose code"):
        LocalPurposes().check(HOME, SNOW.encode())
    LocalPurposes().check(HOME, b"tax-assessment")  # the services' to check


def test_a_malformed_entry_is_skipped_not_the_list() -> None:
    assert parse_purposes({"municipalities": [{"code": HOME, "purposes": ["local-a"]},
                                              {"purposes": ["local-b"]}]}) == {
        HOME: frozenset({b"local-a"})}
