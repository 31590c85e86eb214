"""Refresh tokens for staff sessions: opaque, stored hashed, rotated on use, family revoked
when a used one comes back (it was stolen, or the client is confused: either way, end it)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from kyodo_common.errors import InvalidInput
from kyodo_identity.adapters.store import IdentityStore, store_of
from kyodo_identity.domain.opaque import digest, new_opaque
from kyodo_identity.service_layer.audit_trail import anonymous
from kyodo_identity.service_layer.credentials import LoginRefused

INVALID = "the refresh token is not valid"


async def issue_refresh(store: IdentityStore, *, staff_id: uuid.UUID, now: datetime,
                        expires_at: datetime, family_id: uuid.UUID | None = None) -> str:
    token = new_opaque(store.work.municipality_code)
    await store.add_refresh(token_hash=digest(token), staff_id=staff_id,
                            family_id=family_id or uuid.uuid4(), now=now,
                            expires_at=expires_at)
    return token


async def start_session(uow: Any, *, staff_id: uuid.UUID, now: datetime,
                        lifetime: timedelta) -> str:
    """A new family; the staff member's expired tokens are swept on the way."""
    store = store_of(uow)
    await store.sweep_expired_sessions(staff_id, now)
    return await issue_refresh(store, staff_id=staff_id, now=now, expires_at=now + lifetime)


async def redeem_refresh(*, uow: Any, token: str, now: datetime) -> tuple[Any, str]:
    """The staff row and the family's next token; LoginRefused (kept: the family is revoked)
    when a used or revoked token comes back."""
    store = store_of(uow)
    row = await store.refresh_locked(digest(token))
    if row is None or row.expires_at <= now:
        raise LoginRefused(INVALID)
    if row.used_at is not None or row.revoked_at is not None:
        await _revoke_family(store, row.family_id, now, reused=row.used_at is not None,
                             staff_id=row.staff_id)
        raise LoginRefused(INVALID, keep=True)
    member = await store.staff_member(row.staff_id)
    if member is None or member.disabled_at is not None:
        await _revoke_family(store, row.family_id, now, reused=False, staff_id=row.staff_id)
        raise LoginRefused(INVALID, keep=True)
    await store.use_refresh(row.token_hash, now)
    # The family keeps its first expiry: refreshing never extends a session past a day.
    successor = await issue_refresh(store, staff_id=row.staff_id, now=now,
                                    expires_at=row.expires_at, family_id=row.family_id)
    return member, successor


async def end_own_session(store: IdentityStore, *, staff_id: str, token: str,
                          now: datetime) -> None:
    """Logout: the refresh token's whole family ends, if the token is the caller's own
    (InvalidInput, and nothing changed, if it is not)."""
    row = await store.refresh_owner(digest(token))
    if row is None or str(row.staff_id) != staff_id:
        raise InvalidInput("refresh_token", "not a refresh token of this session")
    await store.revoke_family(row.family_id, now)


async def _revoke_family(store: IdentityStore, family_id: uuid.UUID, now: datetime, *,
                         reused: bool, staff_id: uuid.UUID) -> None:
    await store.revoke_family(family_id, now)
    if reused:
        await store.record_change(actor=anonymous(store.work.municipality_code),
                                  action="session.refresh_reuse_detected",
                                  subject_type="staff", subject_id=str(staff_id))
