"""Verification of the platform's JWTs against the identity service's cached JWKS."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from kyodo_common.errors import Problem

# RFC 8414: where identity publishes its metadata (routed by the gateway without a token).
WELL_KNOWN_METADATA = "/.well-known/oauth-authorization-server"

ALGORITHMS = ["EdDSA"]
_MIN_REFRESH_SECONDS = 10.0
_CACHE_MAX = 100_000


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a staff member or a partner system, and the municipality it belongs to."""

    subject: str
    home_municipality: str
    kind: str
    roles: frozenset[str]
    scopes: frozenset[str]
    expires_at: float
    token_id: str

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


def unauthorized(detail: str) -> Problem:
    return Problem(401, "Unauthorized", detail=detail, kind="unauthorized",
                   headers={"WWW-Authenticate": "Bearer"})


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    return Principal(
        subject=str(claims["sub"]),
        home_municipality=str(claims["municipality"]),
        kind=str(claims.get("kind", "staff")),
        roles=frozenset(claims.get("roles", [])),
        scopes=frozenset(str(claims.get("scope", "")).split()),
        expires_at=float(claims["exp"]),
        token_id=str(claims.get("jti", "")),
    )


class TokenVerifier:
    """Verifies tokens locally; keys are fetched once and refreshed on an unknown key id.

    Verified tokens are cached by their exact text until they expire, so a hot path pays for
    the signature check once per token, not once per request.
    """

    def __init__(self, *, jwks_url: str, issuer: str, audience: str,
                 http: httpx.AsyncClient | None = None) -> None:
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._audience = audience
        self._http = http
        self._keys: dict[str, jwt.PyJWK] = {}
        self._last_refresh = 0.0
        self._refresh_lock = asyncio.Lock()
        self._verified: dict[str, Principal] = {}

    def set_keys(self, jwks: dict[str, Any]) -> None:
        self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id}

    async def _refresh(self) -> None:
        async with self._refresh_lock:
            if time.monotonic() - self._last_refresh < _MIN_REFRESH_SECONDS and self._keys:
                return
            client = self._http or httpx.AsyncClient(timeout=5.0)
            try:
                response = await client.get(self._jwks_url)
                response.raise_for_status()
                self.set_keys(response.json())
            finally:
                if self._http is None:
                    await client.aclose()
            self._last_refresh = time.monotonic()

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            if cached.expires_at > time.time():
                return cached
            del self._verified[token]
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise unauthorized("the token is malformed") from exc
        if kid not in self._keys:
            try:
                await self._refresh()
            except httpx.HTTPError as exc:
                raise Problem(503, "Identity unavailable",
                              detail="signing keys could not be fetched",
                              kind="identity-unavailable") from exc
        key = self._keys.get(kid or "")
        if key is None:
            raise unauthorized("the token was signed with an unknown key")
        try:
            claims = jwt.decode(token, key=key, algorithms=ALGORITHMS, audience=self._audience,
                                issuer=self._issuer,
                                options={"require": ["exp", "iat", "sub", "aud", "iss",
                                                     "municipality"]})
        except jwt.ExpiredSignatureError as exc:
            raise unauthorized("the token has expired") from exc
        except jwt.PyJWTError as exc:
            raise unauthorized("the token is not valid") from exc
        try:
            principal = principal_from_claims(claims)
        except (KeyError, TypeError, ValueError) as exc:
            raise unauthorized("the token lacks required claims") from exc
        if len(self._verified) >= _CACHE_MAX:
            self._verified.clear()
        self._verified[token] = principal
        return principal


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise unauthorized("a bearer token is required")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthorized("a bearer token is required")
    return token.strip()
