"""Staff login with password (argon2), lockout after repeated failures, and token issuance."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.adapters.tables import staff
from kyodo_identity.domain.roles import scopes_for
from kyodo_identity.service_layer.keys import SigningKey

hasher = PasswordHasher()
# Compared against when the login is unknown, so timing does not tell which logins exist.
_DUMMY_HASH = hasher.hash("kyodo-no-such-user")


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    audience: str
    lifetime_seconds: int
    max_failed_logins: int
    lockout_seconds: int


class LoginRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign_token(key: SigningKey, claims: dict[str, Any], policy: TokenPolicy) -> str:
    now = int(time.time())
    payload = {**claims, "iss": policy.issuer, "aud": policy.audience, "iat": now,
               "nbf": now, "exp": now + policy.lifetime_seconds, "jti": uuid.uuid4().hex}
    return jwt.encode(payload, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


async def login_staff(session: AsyncSession, *, municipality_code: str, login: str,
                      password: str, key: SigningKey, policy: TokenPolicy) -> str:
    """Checks the password (in the tenant's transaction) and returns a signed access token."""
    row = (await session.execute(
        sa.select(staff).where(staff.c.login == login).with_for_update()
    )).first()
    if row is None:
        _verify(_DUMMY_HASH, password)
        raise LoginRefused("unknown login or wrong password")
    now = datetime.now(UTC)
    if row.locked_until is not None and row.locked_until > now:
        raise LoginRefused("the account is locked after repeated failures; try later")
    if not _verify(row.password_hash, password):
        failed = row.failed_logins + 1
        locked = now + timedelta(seconds=policy.lockout_seconds) \
            if failed >= policy.max_failed_logins else None
        await session.execute(sa.update(staff).where(staff.c.id == row.id).values(
            failed_logins=0 if locked else failed, locked_until=locked))
        raise LoginRefused("unknown login or wrong password")
    if row.failed_logins or row.locked_until:
        await session.execute(sa.update(staff).where(staff.c.id == row.id).values(
            failed_logins=0, locked_until=None))
    claims = {"sub": str(row.id), "municipality": municipality_code, "kind": "staff",
              "roles": list(row.roles), "scope": " ".join(sorted(scopes_for(row.roles))),
              "name": row.login}
    return sign_token(key, claims, policy)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except VerificationError:
        return False
