"""When a municipality declares a disaster, identity remembers it: a platform operator may
lend that municipality's rights to other towns' staff only naming a disaster it declared."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.events import Envelope
from kyodo_identity.adapters.tables import declared_disasters
from kyodo_identity.upstream.disaster import DisasterDeclared


async def when_disaster_declared_remember_it(
    session: AsyncSession, event: DisasterDeclared, envelope: Envelope
) -> None:
    values = {"disaster_id": event.disaster_id, "municipality_code": envelope.municipality,
              "name": event.name, "occurred_on": event.occurred_on, "version": event.version}
    statement = insert(declared_disasters).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["disaster_id"], set_={k: statement.excluded[k] for k in values},
        where=declared_disasters.c.version < statement.excluded.version))
