"""What identity keeps of other services' events."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.adapters.tables import declared_disasters


class SqlDeclaredDisasters:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, *, disaster_id: uuid.UUID, municipality_code: str, name: str,
                       occurred_on: date, version: int) -> None:
        """Inserted, or replacing an older version of the declaration."""
        values = {"disaster_id": disaster_id, "municipality_code": municipality_code,
                  "name": name, "occurred_on": occurred_on, "version": version}
        statement = insert(declared_disasters).values(**values)
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=["disaster_id"], set_={k: statement.excluded[k] for k in values},
            where=declared_disasters.c.version < statement.excluded.version))
