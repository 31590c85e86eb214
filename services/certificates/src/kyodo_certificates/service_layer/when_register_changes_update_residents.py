"""When the register changes, keep each touched resident's latest state for certificates."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import resident_snapshots
from kyodo_common.events import Envelope
from kyodo_residents.events import ResidentRegisterChanged


async def when_register_changes_update_residents(
    session: AsyncSession, event: ResidentRegisterChanged, envelope: Envelope
) -> None:
    """Upsert by resident; an older version never overwrites a newer one (any arrival order)."""
    for state in event.residents:
        values = {
            "resident_id": state.resident_id, "municipality_code": envelope.municipality,
            "resident_number": state.resident_number, "family_name": state.family_name,
            "given_name": state.given_name, "family_name_kana": state.family_name_kana,
            "given_name_kana": state.given_name_kana, "birth_date": state.birth_date,
            "sex": state.sex, "postal_code": state.postal_code, "address": state.address,
            "registered_on": state.became_resident_on or event.effective_date,
            "last_event_id": uuid.UUID(envelope.id), "version": state.version,
            "status": state.status, "household_id": state.household_id,
            "protected": state.protected, "state": state.model_dump(mode="json"),
        }
        statement = insert(resident_snapshots).values(**values)
        await session.execute(statement.on_conflict_do_update(
            index_elements=[resident_snapshots.c.resident_id],
            set_={k: statement.excluded[k] for k in values if k != "resident_id"},
            where=resident_snapshots.c.version < statement.excluded.version,
        ))
