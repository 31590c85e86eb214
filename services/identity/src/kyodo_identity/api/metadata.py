"""OAuth 2.0 authorization server metadata (RFC 8414): how a client finds the token endpoint,
the keys, the grants and the scopes without reading our documentation first."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kyodo_common.auth import WELL_KNOWN_METADATA
from kyodo_common.errors import Problem
from kyodo_identity.domain.client_credentials import CLIENT_SCOPES
from kyodo_identity.domain.roles import ROLE_SCOPES

from .deps import Settings

router = APIRouter(tags=["auth"])


def _base_url(request: Request, configured: str | None) -> str:
    if configured:
        return configured.rstrip("/")
    # Behind the gateway: the scheme and host the client used, as the gateway forwarded them.
    proto = request.headers.get("x-forwarded-proto") or request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") \
        or request.url.netloc
    return f"{proto}://{host}"


def metadata(base: str, issuer: str) -> dict[str, Any]:
    scopes = set(CLIENT_SCOPES)
    for granted in ROLE_SCOPES.values():
        scopes |= granted
    return {
        "issuer": issuer,
        "token_endpoint": f"{base}/v1/auth/token",
        "jwks_uri": f"{base}/v1/auth/jwks.json",
        "grant_types_supported": ["password", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        # No authorization endpoint (no browser redirect flows): no response types.
        "response_types_supported": [],
        "scopes_supported": sorted(scopes),
        "service_documentation": f"{base}/docs",
        "ui_locales_supported": ["ja", "en"],
    }


@router.get(WELL_KNOWN_METADATA, response_model=None)
async def authorization_server_metadata(request: Request, settings: Settings) -> JSONResponse:
    """OAuth 2.0 authorization server metadata (RFC 8414): the token endpoint, the keys, the
    grants and the scopes."""
    return _metadata(request, settings)


@router.get(WELL_KNOWN_METADATA + "/{issuer_path:path}", response_model=None,
            include_in_schema=False)
async def metadata_at_the_issuers_path(request: Request, settings: Settings,
                                       issuer_path: str) -> JSONResponse:
    """The same at the path RFC 8414 derives from the issuer
    (`/.well-known/oauth-authorization-server/identity` for `https://…/identity`)."""
    if issuer_path.strip("/") != urlsplit(settings.token_issuer).path.strip("/"):
        raise Problem(404, "Not found", detail="no authorization server with this issuer",
                      kind="not-found")
    return _metadata(request, settings)


def _metadata(request: Request, settings: Settings) -> JSONResponse:
    body = metadata(_base_url(request, settings.public_url), settings.token_issuer)
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})
