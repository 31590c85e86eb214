"""Checking a password against an account: shared by staff and operators.

Every refusal looks and costs the same: an unknown login is hashed against a dummy hash, a
disabled account's password is checked like any other, and each refusal is one audit entry
and the same "unknown login or wrong password". No transaction is open while the password is
hashed, so logins waiting for the hashing pool hold no database connection.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from kyodo_identity.adapters.store import store_of
from kyodo_identity.service_layer.audit_trail import anonymous
from kyodo_identity.service_layer.passwords import Verifier

UNKNOWN_OR_WRONG = "unknown login or wrong password"
# The subject of a failed login whose account does not exist (its name is never recorded:
# people type their password into the login field).
UNKNOWN_SUBJECT = "unknown"
_NO_ID = uuid.UUID(int=0)


class Work(Protocol):
    """A unit of work: a tenant's (UnitOfWork) or the platform's (PlatformUnit)."""

    municipality_code: str

    async def commit(self) -> None: ...


OpenWork = Callable[[], AbstractAsyncContextManager[Any]]


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


async def authenticate(*, open_work: OpenWork, kind: str, login: str, password: str,
                       hashing: Verifier) -> Any:
    """The active account's row when the password is right; else LoginRefused, audited.

    The same statements and one hash on every path: read, hash (no transaction open), then
    re-read the row locked (or no row, for an unknown login) and record a refusal."""
    async with open_work() as work:
        found = await store_of(work).account_by_login(kind, login)
    verified = await hashing.verify(found.password_hash if found else None, password)
    async with open_work() as work:
        row = await store_of(work).account_locked(kind, found.id if found else _NO_ID)
        if verified and row is not None and found is not None and row.disabled_at is None \
                and row.password_hash == found.password_hash:
            return row
        await record_failed_login(work, subject_type=kind,
                                  subject_id=str(row.id) if row else UNKNOWN_SUBJECT)
        await work.commit()
    raise LoginRefused(UNKNOWN_OR_WRONG)


async def record_failed_login(work: Any, *, subject_type: str, subject_id: str) -> None:
    await store_of(work).record_change(actor=anonymous(work.municipality_code),
                                       action="login.failed", subject_type=subject_type,
                                       subject_id=subject_id)
