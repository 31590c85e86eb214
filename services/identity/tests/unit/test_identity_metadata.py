"""RFC 8414: a client finds the token endpoint, the keys, the grants and the scopes from the
issuer alone."""

from __future__ import annotations

import httpx

from kyodo_common.auth import WELL_KNOWN_METADATA
from kyodo_identity.main import create_app
from kyodo_identity.settings import IdentitySettings


def _client(**settings: str) -> httpx.AsyncClient:
    values = IdentitySettings(KYODO_TOKEN_ISSUER="https://kyodo.example.jp/identity",
                              **settings)  # type: ignore[arg-type]
    app = create_app(values)
    app.state.settings = values  # set by the lifespan, which this test does not run
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url="http://127.0.0.1:8101")


async def test_the_metadata_names_the_endpoints_as_the_client_reached_the_platform() -> None:
    async with _client() as client:
        response = await client.get(WELL_KNOWN_METADATA, headers={
            "x-forwarded-proto": "https", "x-forwarded-host": "kyodo.example.jp"})
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["issuer"] == "https://kyodo.example.jp/identity"
    assert metadata["token_endpoint"] == "https://kyodo.example.jp/v1/auth/token"
    assert metadata["jwks_uri"] == "https://kyodo.example.jp/v1/auth/jwks.json"
    assert set(metadata["grant_types_supported"]) == {"password", "refresh_token",
                                                      "client_credentials"}
    assert "client_secret_basic" in metadata["token_endpoint_auth_methods_supported"]
    assert {"residents:read", "certificates:issue"} <= set(metadata["scopes_supported"])
    assert metadata["response_types_supported"] == []


async def test_the_issuer_derived_path_and_a_configured_public_url() -> None:
    async with _client(KYODO_PUBLIC_URL="https://gw.example.jp/") as client:
        derived = await client.get(WELL_KNOWN_METADATA + "/identity")
        other = await client.get(WELL_KNOWN_METADATA + "/someone-else")
    assert derived.status_code == 200
    assert derived.json()["token_endpoint"] == "https://gw.example.jp/v1/auth/token"
    assert other.status_code == 404
    assert other.headers["content-type"] == "application/problem+json"
