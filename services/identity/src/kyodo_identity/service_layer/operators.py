"""Platform operators: they add and configure municipalities and rotate the signing keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.adapters.tables import operators
from kyodo_identity.domain.platform import (
    OPERATOR_KIND,
    OPERATOR_ROLE,
    OPERATOR_SCOPES,
    PLATFORM_CODE,
)
from kyodo_identity.service_layer.credentials import LoginRefused, check_password
from kyodo_identity.service_layer.passwords import hasher
from kyodo_identity.service_layer.tokens import TokenPolicy


def operator_claims(row: Any) -> dict[str, Any]:
    return {"sub": str(row.id), "municipality": PLATFORM_CODE, "kind": OPERATOR_KIND,
            "roles": [OPERATOR_ROLE], "scope": " ".join(sorted(OPERATOR_SCOPES)),
            "name": row.login}


async def login_operator(*, work: PlatformUnit, login: str, password: str,
                         policy: TokenPolicy, now: datetime) -> dict[str, Any]:
    """The operator's token claims; failures are counted and audited in the platform chain."""
    row = (await work.session.execute(
        sa.select(operators).where(operators.c.login == login).with_for_update())).first()
    await check_password(work=work, table=operators, row=row, password=password,
                         policy=policy, now=now, subject_type="operator")
    assert row is not None
    if row.disabled_at is not None:
        raise LoginRefused("the account is disabled")
    return operator_claims(row)


async def ensure_operator(session: AsyncSession, *, login: str, password: str) -> None:
    """Create the operator unless one with this login exists (the demo seed)."""
    await session.execute(insert(operators).values(
        id=uuid.uuid4(), login=login, password_hash=hasher.hash(password), failed_logins=0,
        created_at=sa.func.now()).on_conflict_do_nothing(index_elements=["login"]))
