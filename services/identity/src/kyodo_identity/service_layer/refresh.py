"""Refresh tokens for staff sessions: opaque, stored hashed, rotated on use, family revoked
when a used one comes back (it was stolen, or the client is confused: either way, end it)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput
from kyodo_identity.adapters.tables import refresh_tokens, staff
from kyodo_identity.domain.opaque import digest, new_opaque
from kyodo_identity.service_layer.audit_trail import anonymous, record_change
from kyodo_identity.service_layer.credentials import LoginRefused

INVALID = "the refresh token is not valid"


async def issue_refresh(session: AsyncSession, *, municipality_code: str, staff_id: uuid.UUID,
                        now: datetime, expires_at: datetime,
                        family_id: uuid.UUID | None = None) -> str:
    token = new_opaque(municipality_code)
    await session.execute(sa.insert(refresh_tokens).values(
        token_hash=digest(token), municipality_code=municipality_code, staff_id=staff_id,
        family_id=family_id or uuid.uuid4(), issued_at=now, expires_at=expires_at))
    return token


async def start_session(session: AsyncSession, *, municipality_code: str,
                        staff_id: uuid.UUID, now: datetime, lifetime: timedelta) -> str:
    """A new family; the staff member's expired tokens are swept on the way."""
    await session.execute(sa.delete(refresh_tokens).where(
        refresh_tokens.c.staff_id == staff_id, refresh_tokens.c.expires_at < now))
    return await issue_refresh(session, municipality_code=municipality_code, staff_id=staff_id,
                               now=now, expires_at=now + lifetime)


async def redeem_refresh(*, uow: UnitOfWork, token: str, now: datetime) -> tuple[Any, str]:
    """The staff row and the family's next token; LoginRefused (kept: the family is revoked)
    when a used or revoked token comes back."""
    row = (await uow.session.execute(
        sa.select(refresh_tokens).where(refresh_tokens.c.token_hash == digest(token))
        .with_for_update())).first()
    if row is None or row.expires_at <= now:
        raise LoginRefused(INVALID)
    if row.used_at is not None or row.revoked_at is not None:
        await _revoke_family(uow, row.family_id, now, reused=row.used_at is not None,
                             staff_id=row.staff_id)
        raise LoginRefused(INVALID, keep=True)
    member = (await uow.session.execute(
        sa.select(staff).where(staff.c.id == row.staff_id))).first()
    if member is None or member.disabled_at is not None:
        await _revoke_family(uow, row.family_id, now, reused=False, staff_id=row.staff_id)
        raise LoginRefused(INVALID, keep=True)
    await uow.session.execute(sa.update(refresh_tokens).where(
        refresh_tokens.c.token_hash == row.token_hash).values(used_at=now))
    # The family keeps its first expiry: refreshing never extends a session past a day.
    successor = await issue_refresh(uow.session, municipality_code=uow.municipality_code,
                                    staff_id=row.staff_id, now=now, expires_at=row.expires_at,
                                    family_id=row.family_id)
    return member, successor


async def revoke_staff_sessions(session: AsyncSession, *, staff_id: uuid.UUID,
                                now: datetime) -> None:
    await session.execute(sa.update(refresh_tokens).where(
        refresh_tokens.c.staff_id == staff_id, refresh_tokens.c.revoked_at.is_(None),
    ).values(revoked_at=now))


async def end_own_session(session: AsyncSession, *, staff_id: str, token: str,
                          now: datetime) -> None:
    """Logout: the refresh token's whole family ends, if the token is the caller's own
    (InvalidInput, and nothing changed, if it is not)."""
    row = (await session.execute(sa.select(refresh_tokens.c.family_id, refresh_tokens.c.staff_id)
                                 .where(refresh_tokens.c.token_hash == digest(token)))).first()
    if row is None or str(row.staff_id) != staff_id:
        raise InvalidInput("refresh_token", "not a refresh token of this session")
    await session.execute(sa.update(refresh_tokens).where(
        refresh_tokens.c.family_id == row.family_id, refresh_tokens.c.revoked_at.is_(None),
    ).values(revoked_at=now))


async def _revoke_family(uow: UnitOfWork, family_id: uuid.UUID, now: datetime, *,
                         reused: bool, staff_id: uuid.UUID) -> None:
    await uow.session.execute(sa.update(refresh_tokens).where(
        refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None),
    ).values(revoked_at=now))
    if reused:
        await record_change(uow.session, actor=anonymous(uow.municipality_code),
                            municipality_code=uow.municipality_code,
                            action="session.refresh_reuse_detected", subject_type="staff",
                            subject_id=str(staff_id))
