"""The gateway's assertion to a service: who calls, for which municipality, with which scopes.

The gateway verifies the caller's token and the support grant, then signs this short-lived
assertion (HS256 with a key derived from the platform's internal secret) so the service can
trust the acting municipality without re-checking grants, and no client can forge it: a bare
header anyone could send is not enough.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import jwt

from kyodo_common.auth import Principal, unauthorized

ASSERTION_HEADER = "X-Kyodo-Assertion"
AUDIENCE = "kyodo-internal"
LIFETIME_SECONDS = 60
_CACHE_MAX = 50_000


def assertion_key(internal_secret: str) -> bytes:
    return hashlib.sha256(b"kyodo-assertion\x00" + internal_secret.encode()).digest()


@dataclass(frozen=True, slots=True)
class Acting:
    """A principal acting for a municipality: its own, or another one under a support grant."""

    principal: Principal
    municipality: str
    scopes: frozenset[str]
    grant_id: str | None
    expires_at: float

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


def sign_assertion(key: bytes, acting: Acting) -> str:
    p = acting.principal
    claims = {
        "sub": p.subject, "home": p.home_municipality, "kind": p.kind, "roles": sorted(p.roles),
        "acting": acting.municipality, "scope": " ".join(sorted(acting.scopes)),
        "grant": acting.grant_id, "jti": p.token_id, "aud": AUDIENCE,
        "exp": int(acting.expires_at),
    }
    return jwt.encode(claims, key, algorithm="HS256")


class AssertionVerifier:
    def __init__(self, key: bytes) -> None:
        self._key = key
        self._verified: dict[str, Acting] = {}

    def verify(self, token: str) -> Acting:
        cached = self._verified.get(token)
        if cached is not None and cached.expires_at > time.time():
            return cached
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], audience=AUDIENCE,
                                options={"require": ["exp", "sub", "acting", "home"]})
        except jwt.PyJWTError as exc:
            raise unauthorized("the gateway assertion is not valid") from exc
        principal = Principal(
            subject=str(claims["sub"]), home_municipality=str(claims["home"]),
            kind=str(claims.get("kind", "staff")), roles=frozenset(claims.get("roles", [])),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            expires_at=float(claims["exp"]), token_id=str(claims.get("jti", "")),
        )
        acting = Acting(principal=principal, municipality=str(claims["acting"]),
                        scopes=principal.scopes, grant_id=claims.get("grant"),
                        expires_at=float(claims["exp"]))
        if len(self._verified) >= _CACHE_MAX:
            self._verified.clear()
        self._verified[token] = acting
        return acting


SERVICE_AUDIENCE = "kyodo-service"


def sign_service_token(key: bytes, service: str, lifetime_seconds: int = 300) -> str:
    """A platform service calling another's internal endpoint (e.g. the gateway → identity)."""
    return jwt.encode({"sub": service, "aud": SERVICE_AUDIENCE,
                       "exp": int(time.time()) + lifetime_seconds}, key, algorithm="HS256")


def verify_service_token(key: bytes, token: str) -> str:
    """The calling service's name; 401 problem when the token is not the platform's."""
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], audience=SERVICE_AUDIENCE,
                            options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as exc:
        raise unauthorized("not a platform service token") from exc
    return str(claims["sub"])


# The client's address as the gateway saw it (the TCP peer of the client's connection). A
# service behind the gateway sees the gateway as its peer; this signed header lets it limit
# logins per client address, and no client can send one the service would believe (the
# gateway drops any it receives, and it is signed with a key only the platform holds).
CLIENT_ADDRESS_HEADER = "X-Kyodo-Client-Address"
CLIENT_ADDRESS_AUDIENCE = "kyodo-client-address"
CLIENT_ADDRESS_SECONDS = 60


def client_address_key(internal_secret: str) -> bytes:
    return hashlib.sha256(b"kyodo-client-address\x00" + internal_secret.encode()).digest()


def sign_client_address(key: bytes, address: str, now: float,
                        lifetime_seconds: int = CLIENT_ADDRESS_SECONDS) -> str:
    return jwt.encode({"addr": address, "aud": CLIENT_ADDRESS_AUDIENCE,
                       "exp": int(now) + lifetime_seconds}, key, algorithm="HS256")


def verify_client_address(key: bytes, value: str) -> str | None:
    """The address the gateway vouches for; None when the header is not the gateway's."""
    try:
        claims = jwt.decode(value, key, algorithms=["HS256"], audience=CLIENT_ADDRESS_AUDIENCE,
                            options={"require": ["exp", "addr"]})
    except jwt.PyJWTError:
        return None
    address = claims["addr"]
    return address if isinstance(address, str) and address else None
