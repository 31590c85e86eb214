"""The gateway's assertion to a service: who calls, for which municipality, with which scopes.

The gateway verifies the caller's token and the support grant, then signs this short-lived
assertion with its Ed25519 key (EdDSA), which only the gateway holds. Services verify it with
the gateway's public keys (`KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS`), so they can trust the
acting municipality without re-checking grants, no client can forge it, and neither can a
service: a service holds no key that signs.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import SecretStr

from kyodo_common.auth import Principal, unauthorized

ASSERTION_HEADER = "X-Kyodo-Assertion"
AUDIENCE = "kyodo-internal"
LIFETIME_SECONDS = 60
ALGORITHM = "EdDSA"  # the only one accepted: never a symmetric one a verifier could sign with
_CACHE_MAX = 50_000


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_gateway_key() -> tuple[str, str]:
    """A fresh key pair as settings take them: (private for the gateway, public for the rest)."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    return _b64(raw), public_text(private.public_key())


def public_text(public: Ed25519PublicKey) -> str:
    return _b64(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def load_private_key(value: SecretStr | str | None) -> Ed25519PrivateKey:
    """The gateway's key: base64url of the 32 raw bytes, or a PKCS#8 PEM."""
    text = (value.get_secret_value() if isinstance(value, SecretStr) else value or "").strip()
    if not text:
        raise RuntimeError("KYODO_GATEWAY_ASSERTION_KEY is not set: the gateway cannot sign")
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise RuntimeError("KYODO_GATEWAY_ASSERTION_KEY: expected an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_unb64(text))


def load_public_keys(value: str | Iterable[str]) -> list[Ed25519PublicKey]:
    """Public keys, comma-separated: base64url of the 32 raw bytes, or SubjectPublicKeyInfo
    PEM. Several during a rotation's overlap."""
    items = value.split(",") if isinstance(value, str) else list(value)
    keys = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(item.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("gateway public key: expected an Ed25519 key")
            keys.append(key)
        else:
            keys.append(Ed25519PublicKey.from_public_bytes(_unb64(item)))
    return keys


def key_id(public: Ed25519PublicKey) -> str:
    """Names a key in the token header, so a verifier holding two picks the right one."""
    return hashlib.sha256(public_text(public).encode()).hexdigest()[:16]


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


class AssertionSigner:
    """The gateway's private key: signs assertions and the gateway's service tokens."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self._kid = key_id(private.public_key())

    def sign(self, claims: dict[str, object]) -> str:
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self._kid})


def sign_assertion(signer: AssertionSigner, acting: Acting) -> str:
    p = acting.principal
    claims: dict[str, object] = {
        "sub": p.subject, "home": p.home_municipality, "kind": p.kind, "roles": sorted(p.roles),
        "acting": acting.municipality, "scope": " ".join(sorted(acting.scopes)),
        "grant": acting.grant_id, "jti": p.token_id, "aud": AUDIENCE,
        "exp": int(acting.expires_at),
    }
    return signer.sign(claims)


class GatewayKeys:
    """The gateway's public keys a service trusts, by key id (old and new during a rotation)."""

    def __init__(self, publics: Iterable[Ed25519PublicKey]) -> None:
        self._by_kid = {key_id(k): k for k in publics}

    def decode(self, token: str, *, audience: str, require: list[str]) -> dict[str, Any]:
        """The claims, or jwt.PyJWTError: unknown key id, bad signature, wrong algorithm."""
        kid = jwt.get_unverified_header(token).get("kid")
        key = self._by_kid.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise jwt.InvalidKeyError("not signed with a key of the gateway")
        claims: dict[str, Any] = jwt.decode(token, key, algorithms=[ALGORITHM],
                                               audience=audience, options={"require": require})
        return claims


class AssertionVerifier:
    def __init__(self, keys: GatewayKeys) -> None:
        self._keys = keys
        self._verified: dict[str, Acting] = {}

    def verify(self, token: str) -> Acting:
        cached = self._verified.get(token)
        if cached is not None and cached.expires_at > time.time():
            return cached
        try:
            claims = self._keys.decode(token, audience=AUDIENCE,
                                       require=["exp", "sub", "acting", "home"])
        except jwt.PyJWTError as exc:
            raise unauthorized("the gateway assertion is not valid") from exc
        principal = Principal(
            subject=str(claims["sub"]), home_municipality=str(claims["home"]),
            kind=str(claims.get("kind", "staff")),
            roles=frozenset(claims.get("roles", []) or []),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            expires_at=float(claims["exp"]),
            token_id=str(claims.get("jti", "")),
        )
        grant = claims.get("grant")
        acting = Acting(principal=principal, municipality=str(claims["acting"]),
                        scopes=principal.scopes, grant_id=str(grant) if grant else None,
                        expires_at=principal.expires_at)
        if len(self._verified) >= _CACHE_MAX:
            self._verified.clear()
        self._verified[token] = acting
        return acting


SERVICE_AUDIENCE = "kyodo-service"


def sign_service_token(signer: AssertionSigner, service: str,
                       lifetime_seconds: int = 300) -> str:
    """The gateway calling a service's internal endpoint (e.g. identity's grants feed)."""
    return signer.sign({"sub": service, "aud": SERVICE_AUDIENCE,
                        "exp": int(time.time()) + lifetime_seconds})


def verify_service_token(keys: GatewayKeys, token: str) -> str:
    """The calling service's name; 401 problem when the gateway did not sign the token."""
    try:
        claims = keys.decode(token, audience=SERVICE_AUDIENCE, require=["exp", "sub"])
    except jwt.PyJWTError as exc:
        raise unauthorized("not a platform service token") from exc
    return str(claims["sub"])


# The client's address as the gateway saw it (the TCP peer of the client's connection). A
# service behind the gateway sees the gateway as its peer; this signed header lets it limit
# logins per client address, and no client can send one the service would believe (the
# gateway drops any it receives, and it is signed with the gateway's private key). Its own
# audience and required claim: an address token is never an assertion or a service token, and
# neither of those is an address token.
CLIENT_ADDRESS_HEADER = "X-Kyodo-Client-Address"
CLIENT_ADDRESS_AUDIENCE = "kyodo-client-address"
CLIENT_ADDRESS_SECONDS = 60


def sign_client_address(signer: AssertionSigner, address: str, now: float,
                        lifetime_seconds: int = CLIENT_ADDRESS_SECONDS) -> str:
    return signer.sign({"addr": address, "aud": CLIENT_ADDRESS_AUDIENCE,
                        "exp": int(now) + lifetime_seconds})


def verify_client_address(keys: GatewayKeys, value: str) -> str | None:
    """The address the gateway vouches for; None when the header is not the gateway's."""
    try:
        claims = keys.decode(value, audience=CLIENT_ADDRESS_AUDIENCE, require=["exp", "addr"])
    except jwt.PyJWTError:
        return None
    address = claims["addr"]
    return address if isinstance(address, str) and address else None
