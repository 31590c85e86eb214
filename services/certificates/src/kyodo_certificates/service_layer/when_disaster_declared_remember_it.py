"""When a municipality declares (or amends) a disaster, keep it for 被災証明書: its name, the
day it occurred and the application window. The highest version wins."""

from __future__ import annotations

from kyodo_disaster_events import DisasterDeclared
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import declared_disasters
from kyodo_common.events import Envelope


async def when_disaster_declared_remember_it(
    session: AsyncSession, event: DisasterDeclared, envelope: Envelope
) -> None:
    values = {"municipality_code": event.municipality_code, "disaster_id": event.disaster_id,
              "name": event.name, "kind_label": event.kind_label,
              "occurred_on": event.occurred_on,
              "application_opens_on": event.application_opens_on,
              "application_closes_on": event.application_closes_on, "version": event.version}
    statement = insert(declared_disasters).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[declared_disasters.c.municipality_code,
                        declared_disasters.c.disaster_id],
        set_={k: statement.excluded[k] for k in values
              if k not in ("municipality_code", "disaster_id")},
        where=declared_disasters.c.version < statement.excluded.version))
