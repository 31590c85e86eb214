"""When identity configures a municipality, keep its name, mayor and fee for certificates."""

from __future__ import annotations

from kyodo_identity_events import MunicipalityConfigured
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import municipalities
from kyodo_common.events import Envelope


async def when_municipality_configured_update_municipalities(
    session: AsyncSession, event: MunicipalityConfigured, envelope: Envelope
) -> None:
    values = {"municipality_code": event.code, "name": event.name,
              "prefecture": event.prefecture, "mayor_name": event.config.mayor_name,
              "certificate_fee_yen": event.config.certificate_fee_yen, "version": event.version,
              "config": event.config.model_dump(mode="json")}
    statement = insert(municipalities).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[municipalities.c.municipality_code],
        set_={k: statement.excluded[k] for k in values if k != "municipality_code"},
        where=municipalities.c.version < statement.excluded.version,
    ))
