"""Access tokens ended before their expiry: a logout (one token) or a disabled staff member
(every token of theirs). Each revocation is kept until the tokens it ends have expired; the
gateway refuses them from the moment it hears (within two seconds: ADR 0003)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.auth import Principal
from kyodo_common.db import Database
from kyodo_identity.adapters.access_feed import AccessFeed
from kyodo_identity.adapters.tables import access_revocations

logger = logging.getLogger("kyodo.identity")

# Clock skew between identity and whoever checks a token's expiry.
SKEW = timedelta(seconds=60)


async def _sweep(session: AsyncSession, now: datetime) -> None:
    """The tenant's revocations whose tokens have all expired are of no more use."""
    await session.execute(sa.delete(access_revocations).where(
        access_revocations.c.expires_at < now - SKEW))


async def revoke_token(session: AsyncSession, *, principal: Principal, now: datetime) -> None:
    """The caller's own access token (its jti), until it expires; twice is once."""
    await _sweep(session, now)
    expires_at = datetime.fromtimestamp(principal.expires_at, UTC) + SKEW
    await session.execute(insert(access_revocations).values(
        id=uuid.uuid4(), municipality_code=principal.home_municipality,
        subject=principal.subject, token_id=principal.token_id, revoked_at=now,
        expires_at=expires_at,
    ).on_conflict_do_nothing(index_elements=["token_id"],
                             index_where=access_revocations.c.token_id.isnot(None)))


async def revoke_subject(session: AsyncSession, *, municipality_code: str, subject: str,
                         now: datetime, token_lifetime: timedelta) -> None:
    """Every access token of the subject: no token issued before now outlives the lifetime."""
    await _sweep(session, now)
    await session.execute(sa.insert(access_revocations).values(
        id=uuid.uuid4(), municipality_code=municipality_code, subject=subject, token_id=None,
        revoked_at=now, expires_at=now + token_lifetime + SKEW))


async def revocations_in_force(session: AsyncSession) -> list[Any]:
    """Every tenant's revocations whose tokens may still be alive (the one narrow door)."""
    return list((await session.execute(
        sa.text("SELECT * FROM access_revocations_in_force()"))).all())


class RevokedTokens:
    """Identity's own copy of the revocations, for its routes the gateway forwards without a
    token check (``/v1/auth``, ``/v1/platform``): re-read whenever the feed says they changed,
    and every few seconds while it cannot tell."""

    def __init__(self) -> None:
        self.token_ids: frozenset[str] = frozenset()
        self.subjects: frozenset[tuple[str, str]] = frozenset()

    def refuses(self, principal: Principal) -> bool:
        return principal.token_id in self.token_ids or (
            principal.home_municipality, principal.subject) in self.subjects

    async def follow(self, db: Database, feed: AccessFeed, *, seconds: float = 5.0) -> None:
        held = ""
        while True:
            version = feed.version
            try:
                async with db.platform_transaction() as session:
                    rows = await revocations_in_force(session)
            except (SQLAlchemyError, OSError) as exc:
                logger.warning("revocations could not be read (%s)", type(exc).__name__)
                await asyncio.sleep(1.0)
                continue
            self.token_ids = frozenset(r.token_id for r in rows if r.token_id)
            self.subjects = frozenset((r.municipality_code, r.subject) for r in rows
                                      if not r.token_id)
            held = version
            await feed.wait(held, seconds)
