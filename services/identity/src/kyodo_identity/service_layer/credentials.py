"""Checking a password against an account with lockout: shared by staff and operators."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.domain.lockout import CLEARED, LoginState, after_failure
from kyodo_identity.service_layer.audit_trail import anonymous, record_change
from kyodo_identity.service_layer.passwords import verify_password
from kyodo_identity.service_layer.tokens import TokenPolicy

UNKNOWN_OR_WRONG = "unknown login or wrong password"
LOCKED = "the account is locked after repeated failures; try later"


class Work(Protocol):
    """A unit of work: a tenant's (UnitOfWork) or the platform's (PlatformUnit)."""

    municipality_code: str

    @property
    def session(self) -> AsyncSession: ...

    async def commit(self) -> None: ...


class LoginRefused(Exception):
    """``keep``: the refusal changed state that must outlive it (a counter, an audit entry)."""

    def __init__(self, reason: str, *, keep: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.keep = keep


@asynccontextmanager
async def keeping_refusals(work: Work) -> AsyncIterator[None]:
    """Commit what a refusal recorded, then let the refusal go on."""
    try:
        yield
    except LoginRefused as refused:
        if refused.keep:
            await work.commit()
        raise


async def check_password(*, work: Work, table: sa.Table, row: Any | None, password: str,
                         policy: TokenPolicy, now: datetime, subject_type: str) -> None:
    """Pass, or raise LoginRefused; a failure is counted and audited, for the caller to keep."""
    if row is None:
        verify_password(None, password)
        raise LoginRefused(UNKNOWN_OR_WRONG)
    state = LoginState(failed_logins=row.failed_logins, locked_until=row.locked_until)
    if state.is_locked(now):
        raise LoginRefused(LOCKED)
    if verify_password(row.password_hash, password):
        if state != CLEARED:
            await _store(work.session, table, row.id, CLEARED)
        return
    new_state = after_failure(state, now=now, max_failures=policy.max_failed_logins,
                              lockout=timedelta(seconds=policy.lockout_seconds))
    await _store(work.session, table, row.id, new_state)
    actor = anonymous(work.municipality_code)
    await record_change(work.session, actor=actor, municipality_code=work.municipality_code,
                        action="login.failed", subject_type=subject_type,
                        subject_id=str(row.id))
    if new_state.locked_until is not None:
        await record_change(work.session, actor=actor, municipality_code=work.municipality_code,
                            action="login.locked_out", subject_type=subject_type,
                            subject_id=str(row.id), fields=["locked_until"])
    raise LoginRefused(LOCKED if new_state.locked_until is not None else UNKNOWN_OR_WRONG,
                       keep=True)


async def _store(session: AsyncSession, table: sa.Table, row_id: Any, state: LoginState) -> None:
    await session.execute(sa.update(table).where(table.c.id == row_id).values(
        failed_logins=state.failed_logins, locked_until=state.locked_until))
