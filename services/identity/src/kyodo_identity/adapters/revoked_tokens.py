"""Identity's own copy of the revocations in force, for its routes the gateway forwards
without a token check (``/v1/auth``, ``/v1/platform``)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from kyodo_common.auth import Principal
from kyodo_common.db import Database
from kyodo_identity.adapters.access_feed import AccessFeed
from kyodo_identity.adapters.views import revocations_in_force

logger = logging.getLogger("kyodo.identity")


class RevokedTokens:
    """Re-read whenever the feed says they changed, and every few seconds while it cannot
    tell."""

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
