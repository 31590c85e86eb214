"""When the register changes, keep each touched resident's latest state for certificates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from kyodo_residents_events import ResidentRegisterChanged

from kyodo_certificates.service_layer.ports import ReadModelsUnitOfWork
from kyodo_common.events import Envelope


async def when_register_changes_update_residents(
    uow: ReadModelsUnitOfWork, delivered: Sequence[tuple[ResidentRegisterChanged, Envelope]]
) -> None:
    """A consumer's run of register events. Upsert by resident; an older version never
    overwrites a newer one (any arrival order).

    The events carry the new address only; the 前住所 printed on a 住民票 is the address the
    read model held before a change of address (unknown for someone who moved in, until the
    register's events carry it)."""
    rows = [{
        "resident_id": state.resident_id, "municipality_code": envelope.municipality,
        "resident_number": state.resident_number, "family_name": state.family_name,
        "given_name": state.given_name, "family_name_kana": state.family_name_kana,
        "given_name_kana": state.given_name_kana, "birth_date": state.birth_date,
        "sex": state.sex, "postal_code": state.postal_code, "address": state.address,
        "registered_on": state.became_resident_on or event.effective_date,
        "last_event_id": uuid.UUID(envelope.id), "version": state.version,
        "status": state.status, "household_id": state.household_id,
        "protected": state.protected, "state": state.model_dump(mode="json"),
    } for event, envelope in delivered for state in event.residents]
    await uow.read_models.keep_residents(rows)  # all of the run's residents in one statement
