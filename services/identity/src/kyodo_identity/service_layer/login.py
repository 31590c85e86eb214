"""Staff login with password (argon2), lockout after repeated failures, and token claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kyodo_common.db import UnitOfWork
from kyodo_identity.adapters.tables import staff
from kyodo_identity.domain.roles import scopes_for
from kyodo_identity.service_layer.credentials import LoginRefused, check_password
from kyodo_identity.service_layer.keys import SigningKey
from kyodo_identity.service_layer.passwords import hasher
from kyodo_identity.service_layer.refresh import start_session
from kyodo_identity.service_layer.tokens import TokenPolicy, sign_token

# Re-exported: kyodo_launcher.testing (TokenMinter) and the seed import these from here.
__all__ = ["LoginRefused", "StaffSession", "TokenPolicy", "hasher", "login_staff",
           "sign_token", "staff_claims"]


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


async def login_staff(*, uow: UnitOfWork, login: str, password: str, policy: TokenPolicy,
                      now: datetime) -> StaffSession:
    """Checks the password in the tenant's unit of work; the caller commits the session."""
    row = (await uow.session.execute(
        sa.select(staff).where(staff.c.login == login).with_for_update())).first()
    await check_password(work=uow, table=staff, row=row, password=password, policy=policy,
                         now=now, subject_type="staff")
    assert row is not None
    if row.disabled_at is not None:
        raise LoginRefused("the account is disabled")
    refresh = await start_session(uow.session, municipality_code=uow.municipality_code,
                                  staff_id=row.id, now=now,
                                  lifetime=timedelta(seconds=policy.refresh_seconds))
    return StaffSession(claims=staff_claims(row, uow.municipality_code), refresh_token=refresh)
