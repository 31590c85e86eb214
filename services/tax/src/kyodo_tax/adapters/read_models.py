"""The read models kept from other services' events, as the event handlers write them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import insert_new, upsert
from kyodo_tax.adapters.tables import tax_configs


class SqlReadModels:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_tax_config(self, values: dict[str, Any]) -> None:
        """Inserts the municipality's amounts, or replaces an older version of them."""
        statement = insert(tax_configs).values(**values)
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=[tax_configs.c.municipality_code],
            set_={k: statement.excluded[k] for k in values if k != "municipality_code"},
            where=tax_configs.c.version < statement.excluded.version,
        ))

    async def add_register_history(self, versions: Sequence[dict[str, Any]],
                                   protections: Sequence[dict[str, Any]]) -> None:
        """Versions not stored yet, and each person's 支援措置 by its newest version."""
        # asyncpg directly: this runs for every register event, and SQLAlchemy compiled the
        # multi-row insert anew each time.
        connection = await raw_connection(self.session)
        await insert_new(connection, "register_history", versions)
        await upsert(connection, "protected_people", protections,
                     conflict=("municipality_code", "resident_id"), newer_by="version")
