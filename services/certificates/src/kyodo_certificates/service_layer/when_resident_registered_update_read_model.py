"""When a resident is registered, keep a snapshot for the certificates that name them."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import resident_snapshots
from kyodo_common.events import Envelope
from kyodo_residents.events import ResidentRegistered


async def when_resident_registered_update_read_model(
    session: AsyncSession, event: ResidentRegistered, envelope: Envelope
) -> None:
    values = event.model_dump(exclude={"municipality_code"})
    values["municipality_code"] = envelope.municipality
    values["last_event_id"] = uuid.UUID(envelope.id)
    statement = insert(resident_snapshots).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[resident_snapshots.c.resident_id],
        set_={k: statement.excluded[k] for k in values if k != "resident_id"},
    ))
