"""The residents read model as the event handler writes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import upsert


class SqlResidentsModel:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_latest(self, rows: Sequence[dict[str, Any]]) -> None:
        """Upsert by resident; an older version never overwrites a newer one."""
        # asyncpg directly, the run in one statement: this runs for every register event, and
        # SQLAlchemy compiled the multi-row upsert anew each time.
        await upsert(await raw_connection(self.session), "residents", rows,
                     conflict=("resident_id",), newer_by="version")
