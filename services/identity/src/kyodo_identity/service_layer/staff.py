"""Staff accounts, managed by their municipality's tenant admin; own password by oneself."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, NotFound, Problem
from kyodo_identity.adapters.tables import staff
from kyodo_identity.domain.passwords import check_password as check_password_rules
from kyodo_identity.domain.roles import known_roles
from kyodo_identity.service_layer.audit_trail import record_change
from kyodo_identity.service_layer.credentials import (
    UNKNOWN_OR_WRONG,
    LoginRefused,
    record_failed_login,
)
from kyodo_identity.service_layer.passwords import Verifier, hasher
from kyodo_identity.service_layer.refresh import revoke_staff_sessions
from kyodo_identity.service_layer.revocations import revoke_subject


def precondition_failed() -> Problem:
    return Problem(412, "Precondition failed", kind="precondition-failed",
                   detail="the resource changed since it was read; read it again",
                   invalid_params=[{"name": "If-Match", "reason": "stale version"}])


async def create_staff(*, uow: UnitOfWork, actor: Acting, login: str, password: str,
                       roles: list[str], now: datetime) -> Any:
    roles = known_roles(roles)
    check_password_rules(password, login=login, field="initial_password")
    staff_id = uuid.uuid4()
    # ON CONFLICT, not a prior SELECT: two admins creating one login at once get one 409.
    row = (await uow.session.execute(insert(staff).values(
        id=staff_id, municipality_code=uow.municipality_code, login=login,
        password_hash=hasher.hash(password), roles=roles, failed_logins=0, created_at=now,
        version=1).on_conflict_do_nothing(index_elements=["municipality_code", "login"])
        .returning(*staff.c))).first()
    if row is None:
        raise Conflict(f"the login {login!r} is taken in this municipality")
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="staff.created",
                        subject_type="staff", subject_id=str(staff_id),
                        fields=["login", "roles"], grant_id=actor.grant_id)
    return row


async def get_staff(session: AsyncSession, staff_id: uuid.UUID) -> Any | None:
    return (await session.execute(sa.select(staff).where(staff.c.id == staff_id))).first()


async def list_staff(session: AsyncSession, *, limit: int,
                     after_login: str | None) -> tuple[list[Any], str | None]:
    """Staff in login order, a page at a time; the last login is the next page's key."""
    query = sa.select(staff).order_by(staff.c.login).limit(limit + 1)
    if after_login is not None:
        query = query.where(staff.c.login > after_login)
    rows = list((await session.execute(query)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].login if more else None


async def _locked_row(uow: UnitOfWork, staff_id: uuid.UUID,
                      expected_version: int | None) -> Any:
    row = (await uow.session.execute(
        sa.select(staff).where(staff.c.id == staff_id).with_for_update())).first()
    if row is None:
        raise NotFound("the staff member")
    if expected_version is not None and row.version != expected_version:
        raise precondition_failed()
    return row


async def change_roles(*, uow: UnitOfWork, actor: Acting, staff_id: uuid.UUID,
                       roles: list[str], expected_version: int | None) -> Any:
    roles = known_roles(roles)
    row = await _locked_row(uow, staff_id, expected_version)
    if row.disabled_at is not None:
        raise Conflict("the staff member is disabled")
    if sorted(row.roles) == roles:
        return row
    if str(staff_id) == actor.principal.subject and "tenant_admin" not in roles:
        raise Conflict("you cannot take away your own tenant_admin role")
    updated = (await uow.session.execute(sa.update(staff).where(staff.c.id == staff_id).values(
        roles=roles, version=staff.c.version + 1).returning(*staff.c))).one()
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="staff.roles_changed",
                        subject_type="staff", subject_id=str(staff_id), fields=["roles"],
                        grant_id=actor.grant_id)
    return updated


async def disable_staff(*, uow: UnitOfWork, actor: Acting, staff_id: uuid.UUID,
                        now: datetime, token_lifetime: timedelta) -> Any:
    """The account can no longer log in, and its sessions end: its refresh tokens at once,
    its access tokens at the gateway within two seconds (ADR 0003)."""
    row = await _locked_row(uow, staff_id, None)
    if row.disabled_at is not None:
        raise Conflict("the staff member is already disabled")
    if str(staff_id) == actor.principal.subject:
        raise Conflict("you cannot disable your own account")
    updated = (await uow.session.execute(sa.update(staff).where(staff.c.id == staff_id).values(
        disabled_at=now, version=staff.c.version + 1).returning(*staff.c))).one()
    await revoke_staff_sessions(uow.session, staff_id=staff_id, now=now)
    await revoke_subject(uow.session, municipality_code=uow.municipality_code,
                         subject=str(staff_id), now=now, token_lifetime=token_lifetime)
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="staff.disabled",
                        subject_type="staff", subject_id=str(staff_id), fields=["disabled_at"],
                        grant_id=actor.grant_id)
    return updated


async def change_own_password(*, uow: UnitOfWork, principal: Principal, current: str,
                              new: str, hashing: Verifier, now: datetime) -> None:
    """The staff member proves the current password; a wrong one is audited (LoginRefused,
    to be kept by the caller)."""
    row = (await uow.session.execute(
        sa.select(staff).where(staff.c.id == uuid.UUID(principal.subject)).with_for_update()
    )).first()
    if row is None or row.disabled_at is not None:
        raise Problem(403, "Forbidden", detail="the account is not active", kind="forbidden")
    if not await hashing.verify(row.password_hash, current):
        await record_failed_login(uow, subject_type="staff", subject_id=str(row.id))
        raise LoginRefused(UNKNOWN_OR_WRONG, keep=True)
    check_password_rules(new, login=row.login, field="new_password")
    if new == current:
        raise Problem(422, "Invalid input", detail="the new password equals the current one",
                      kind="invalid-input",
                      invalid_params=[{"name": "new_password", "reason": "unchanged"}])
    await uow.session.execute(sa.update(staff).where(staff.c.id == row.id).values(
        password_hash=hasher.hash(new), password_changed_at=now, version=staff.c.version + 1))
    # Other sessions end: whoever else held a refresh token must now know the new password.
    await revoke_staff_sessions(uow.session, staff_id=row.id, now=now)
    await record_change(uow.session, actor=principal, municipality_code=uow.municipality_code,
                        action="staff.password_changed", subject_type="staff",
                        subject_id=str(row.id), fields=["password"])
