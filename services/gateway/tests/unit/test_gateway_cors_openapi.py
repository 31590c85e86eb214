"""CORS allow-lists per municipality (from identity), the merged OpenAPI document and /docs."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from gateway_kit import (
    HOME,
    IDENTITY_OPENAPI,
    OTHER,
    PROBLEM,
    RESIDENTS_OPENAPI,
    SECURED_HEADERS,
    Echo,
    Identity,
    bearer,
    make_token,
    running_gateway,
    serve_aiohttp,
)

from kyodo_common.security_headers import html_policy
from kyodo_gateway.app import Gateway
from kyodo_gateway.openapi import merge

pytestmark = pytest.mark.timeout(60)

CHIYODA = "https://counter.chiyoda.example"
OSAKA = "https://madoguchi.osaka.example"


@pytest.fixture(scope="module")
async def setup() -> AsyncIterator[tuple[Identity, Echo, Gateway, str]]:
    identity, echo = Identity(), Echo()
    identity.municipalities = [{"code": HOME, "cors_origins": [CHIYODA]},
                               {"code": OTHER, "cors_origins": [OSAKA + "/"]}]
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url) as (gateway, url):
        yield identity, echo, gateway, url


@pytest.fixture
async def client(setup: tuple[Identity, Echo, Gateway, str],
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=setup[3], timeout=5.0, trust_env=False) as c:
        yield c


def residents(code: str = HOME) -> str:
    return f"/v1/municipalities/{code}/residents/r-1"


def preflight(origin: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"}


async def test_preflight_is_answered_by_the_gateway_for_an_allowed_origin(
    client: httpx.AsyncClient, setup: tuple[Identity, Echo, Gateway, str],
) -> None:
    echo = setup[1]
    seen = len(echo.seen)
    response = await client.options(residents(), headers=preflight(CHIYODA))
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == CHIYODA
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    for name in ("authorization", "content-type", "idempotency-key", "x-kyodo-purpose"):
        assert name in allowed
    assert "origin" in response.headers["vary"].lower()
    assert int(response.headers["access-control-max-age"]) > 0
    assert len(echo.seen) == seen  # never forwarded


async def test_preflight_from_another_municipalitys_origin_is_refused(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options(residents(HOME), headers=preflight(OSAKA))
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert "access-control-allow-origin" not in response.headers
    # The same origin is fine for its own municipality (trailing slash in the list ignored).
    ok = await client.options(residents(OTHER), headers=preflight(OSAKA))
    assert ok.headers["access-control-allow-origin"] == OSAKA


async def test_actual_requests_get_cors_headers_only_for_allowed_origins(
    client: httpx.AsyncClient,
) -> None:
    token = make_token()
    allowed = await client.get(residents(), headers={**bearer(token), "Origin": CHIYODA})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == CHIYODA
    assert "etag" in allowed.headers["access-control-expose-headers"].lower()
    refused = await client.get(residents(), headers={**bearer(token), "Origin": OSAKA})
    assert "access-control-allow-origin" not in refused.headers
    # Errors carry them too, so that a counter frontend can read the problem.
    unauthorized = await client.get(residents(), headers={"Origin": CHIYODA})
    assert unauthorized.status_code == 401
    assert unauthorized.headers["access-control-allow-origin"] == CHIYODA


async def test_public_routes_allow_any_municipalitys_origin(
    client: httpx.AsyncClient,
) -> None:
    for origin in (CHIYODA, OSAKA):
        response = await client.get("/v1/auth/jwks.json", headers={"Origin": origin})
        assert response.headers["access-control-allow-origin"] == origin
    response = await client.get("/v1/auth/jwks.json", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


async def test_origins_follow_identity(
    client: httpx.AsyncClient, setup: tuple[Identity, Echo, Gateway, str],
) -> None:
    identity, _, gateway, _ = setup
    new = "https://new-counter.chiyoda.example"
    before = identity.municipalities
    identity.municipalities = [{"code": HOME, "cors_origins": [CHIYODA, new]}]
    try:
        assert gateway.poller is not None
        target = gateway.poller.polls + 2
        while gateway.poller.polls < target:
            await asyncio.sleep(0.02)
        response = await client.options(residents(), headers=preflight(new))
        assert response.status_code == 204
    finally:
        identity.municipalities = before


# --- OpenAPI --------------------------------------------------------------------------------


async def test_merged_openapi_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert "/v1/municipalities/{code}/residents/{id}" in paths
    assert "/v1/auth/token" in paths
    assert not any(p.startswith(("/v1/internal", "/health")) for p in paths)
    schemas = document["components"]["schemas"]
    # Two different "Problem"s: identity's (merged first) keeps the name, residents' is
    # prefixed, and its references follow.
    assert schemas["Problem"] == IDENTITY_OPENAPI["components"]["schemas"]["Problem"]
    resident_ref = paths["/v1/municipalities/{code}/residents/{id}"]["get"]["responses"]
    problem_ref = resident_ref["400"]["content"]["application/json"]["schema"]["$ref"]
    renamed = problem_ref.rsplit("/", 1)[-1]
    assert renamed != "Problem"
    assert schemas[renamed] == RESIDENTS_OPENAPI["components"]["schemas"]["Problem"]
    assert schemas["Resident"]["properties"]["problem"]["$ref"] == problem_ref
    assert schemas["Token"]
    assert {"name": "residents"} in document["tags"]
    again = await client.get("/openapi.json")  # served from the cache
    assert again.content == response.content


async def test_swagger_ui_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger" in response.text.lower()
    assert "/openapi.json" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    # The page's own inline script is admitted by its hash, nothing else inline.
    assert response.headers["content-security-policy"] == html_policy(response.content)
    assert "'sha256-" in response.headers["content-security-policy"]


async def test_docs_render_on_a_closed_network(client: httpx.AsyncClient) -> None:
    """Swagger UI's code and styles come from the gateway itself (a package), not a CDN."""
    page = (await client.get("/docs")).text
    assert "https://" not in page and "http://" not in page
    loaded = re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', page)
    assert {url.rsplit("/", 1)[1] for url in loaded} >= {"swagger-ui-bundle.js",
                                                         "swagger-ui.css"}
    for url in loaded:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["cache-control"].startswith("public")
        assert asset.headers["x-content-type-options"] == "nosniff"
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200
    assert redirect.headers["content-security-policy"] == html_policy(redirect.content)
    assert (await client.get("/docs/assets/0/swagger-ui.css")).status_code == 404


async def test_the_gateways_own_answers_are_nosniff_and_no_store(
    client: httpx.AsyncClient,
) -> None:
    for response in (await client.get(residents()), await client.get("/health/live"),
                     await client.get("/openapi.json")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


async def test_the_services_security_headers_pass_through(client: httpx.AsyncClient) -> None:
    response = await client.get(residents() + "/secured", headers=bearer(make_token()))
    assert response.status_code == 200
    for name, value in SECURED_HEADERS.items():
        assert response.headers[name] == value


def test_merge_renames_clashes_and_follows_references_transitively() -> None:
    def doc(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
        return {"paths": paths, "components": {"schemas": schemas}}

    ref = {"$ref": "#/components/schemas/Address"}
    same = {"$ref": "#/components/schemas/Same"}
    person = {"$ref": "#/components/schemas/Person"}
    a = doc({"/v1/municipalities/{code}/alpha/x": {"get": {"x": ref, "s": same, "p": person}}},
            {"Address": {"type": "string"}, "Person": {"properties": {"a": ref}},
             "Same": {"type": "boolean"}, "Unused": {"type": "null"}})
    # Same "Person" text, but its "Address" is another one: both must be renamed.
    b = doc({"/v1/municipalities/{code}/beta/y": {"get": {
                "x": {"$ref": "#/components/schemas/Person"}, "s": same}},
             "/v1/municipalities/{code}/alpha/not-mine": {"get": {}}},
            {"Address": {"type": "integer"}, "Person": {"properties": {"a": ref}},
             "Same": {"type": "boolean"}})
    merged = merge({"alpha": a, "beta": b}, {})
    schemas = merged["components"]["schemas"]
    assert schemas["BetaAddress"] == {"type": "integer"}
    assert schemas["BetaPerson"] == {"properties": {"a": {
        "$ref": "#/components/schemas/BetaAddress"}}}
    assert schemas["Person"] == {"properties": {"a": ref}}
    assert "BetaSame" not in schemas  # identical components are shared
    assert "Unused" not in schemas  # only what the routed paths use
    assert merged["paths"]["/v1/municipalities/{code}/beta/y"]["get"]["x"] == {
        "$ref": "#/components/schemas/BetaPerson"}
    # A path is taken only from the service the gateway routes it to.
    assert "/v1/municipalities/{code}/alpha/not-mine" not in merged["paths"]
