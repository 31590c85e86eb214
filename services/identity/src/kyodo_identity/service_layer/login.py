"""Staff login with password (argon2) and token claims; throttling is the caller's."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kyodo_common.db import Database, UnitOfWork
from kyodo_identity.domain.roles import scopes_for
from kyodo_identity.service_layer.credentials import LoginRefused, Work, authenticate
from kyodo_identity.service_layer.keys import SigningKey
from kyodo_identity.service_layer.passwords import Verifier, hasher
from kyodo_identity.service_layer.refresh import start_session
from kyodo_identity.service_layer.tokens import TokenPolicy, sign_token

# Re-exported: kyodo_testing (TokenMinter) and the seed import these from here.
__all__ = ["LoginRefused", "StaffSession", "TokenPolicy", "hasher", "login_staff",
           "sign_token", "staff_claims"]

SOURCE = "kyodo/identity"


@dataclass(frozen=True)
class StaffSession:
    claims: dict[str, Any]
    refresh_token: str

    def access_token(self, key: SigningKey, policy: TokenPolicy) -> str:
        return sign_token(key, self.claims, policy)


def staff_claims(row: Any, municipality_code: str) -> dict[str, Any]:
    return {"sub": str(row.id), "municipality": municipality_code, "kind": "staff",
            "roles": sorted(row.roles), "scope": " ".join(sorted(scopes_for(row.roles))),
            "name": row.login}


async def login_staff(*, db: Database, municipality_code: str, login: str, password: str,
                      hashing: Verifier, policy: TokenPolicy,
                      now: datetime) -> StaffSession:
    """Checks the password (a refusal is audited in the tenant's chain), then starts a session."""

    def open_work() -> AbstractAsyncContextManager[Work]:
        return UnitOfWork(db, source=SOURCE, municipality_code=municipality_code)

    row = await authenticate(open_work=open_work, kind="staff", login=login, password=password,
                             hashing=hashing)
    async with UnitOfWork(db, source=SOURCE, municipality_code=municipality_code) as uow:
        refresh = await start_session(uow, staff_id=row.id, now=now,
                                      lifetime=timedelta(seconds=policy.refresh_seconds))
        await uow.commit()
    return StaffSession(claims=staff_claims(row, municipality_code), refresh_token=refresh)
