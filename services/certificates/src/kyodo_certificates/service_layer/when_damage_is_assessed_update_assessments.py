"""When the disaster service grades a damaged house, keep it for 罹災証明書."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import damage_assessments
from kyodo_certificates.upstream.disaster import DamageAssessed
from kyodo_common.events import Envelope


async def when_damage_is_assessed_update_assessments(
    session: AsyncSession, event: DamageAssessed, envelope: Envelope
) -> None:
    values = {"assessment_id": event.assessment_id,
              "municipality_code": event.municipality_code,
              "disaster_id": event.disaster.disaster_id,
              "resident_id": event.householder_resident_id, "version": event.version,
              "facts": event.model_dump(mode="json")}
    statement = insert(damage_assessments).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[damage_assessments.c.assessment_id],
        set_={k: statement.excluded[k] for k in values if k != "assessment_id"},
        where=damage_assessments.c.version < statement.excluded.version,
    ))
