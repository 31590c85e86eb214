"""When the register changes, keep each touched resident's latest state: the occupants."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from kyodo_residents_events import ResidentRegisterChanged

from kyodo_common.events import Envelope
from kyodo_disaster.domain.addresses import address_key
from kyodo_disaster.service_layer.ports import ResidentsModelUnitOfWork


async def when_register_changes_update_residents(
    uow: ResidentsModelUnitOfWork,
    delivered: Sequence[tuple[ResidentRegisterChanged, Envelope]],
) -> None:
    """A consumer's run of register events. Upsert by resident; an older version never
    overwrites a newer one (any arrival order)."""
    rows = [{
        "resident_id": state.resident_id, "municipality_code": envelope.municipality,
        "resident_number": state.resident_number, "version": state.version,
        "status": state.status, "family_name": state.family_name,
        "given_name": state.given_name, "family_name_kana": state.family_name_kana,
        "given_name_kana": state.given_name_kana, "birth_date": state.birth_date,
        "household_id": state.household_id, "relationship": state.relationship,
        "postal_code": state.postal_code, "address": state.address,
        "address_key": address_key(state.address), "protected": state.protected,
        "protected_from": state.protected_from, "protected_until": state.protected_until,
        "last_event_id": uuid.UUID(envelope.id),
    } for event, envelope in delivered for state in event.residents]
    await uow.residents.keep_latest(rows)
