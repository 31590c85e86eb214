"""Access tokens: short-lived EdDSA JWTs with issuer, audience, expiry, roles and scopes."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from kyodo_identity.service_layer.keys import SigningKey


@dataclass(frozen=True)
class TokenPolicy:
    """How tokens are issued."""

    issuer: str
    audience: str
    lifetime_seconds: int
    refresh_seconds: int = 8 * 3600


def sign_token(key: SigningKey, claims: dict[str, Any], policy: TokenPolicy) -> str:
    now = int(time.time())
    payload = {**claims, "iss": policy.issuer, "aud": policy.audience, "iat": now,
               "nbf": now, "exp": now + policy.lifetime_seconds, "jti": uuid.uuid4().hex}
    return jwt.encode(payload, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
