"""When the register changes, keep every version of each touched resident record: the history
the 1 January rule is answered from (any arrival order; a redelivery adds nothing)."""

from __future__ import annotations

from collections.abc import Sequence

from kyodo_residents_events import ResidentRegisterChanged

from kyodo_common.events import Envelope
from kyodo_tax.service_layer.ports import ReadModelsUnitOfWork


async def when_register_changes_record_history(
    uow: ReadModelsUnitOfWork, delivered: Sequence[tuple[ResidentRegisterChanged, Envelope]]
) -> None:
    """A consumer's run of register events in one statement."""
    rows = [{
        "municipality_code": envelope.municipality, "resident_id": state.resident_id,
        "version": state.version, "platform_person_id": state.platform_person_id,
        "effective_date": event.effective_date, "reason": event.reason,
        "status": state.status, "resident_number": state.resident_number,
        "family_name": state.family_name, "given_name": state.given_name,
        "family_name_kana": state.family_name_kana, "given_name_kana": state.given_name_kana,
        "birth_date": state.birth_date, "sex": state.sex, "postal_code": state.postal_code,
        "address": state.address,
    } for event, envelope in delivered for state in event.residents]
    # 支援措置: the measure each person is under, by its dates (row-level security hides the
    # person's history and assessments from callers who may not see them while it is in force).
    await uow.read_models.add_register_history(rows, [{
        "municipality_code": envelope.municipality, "resident_id": state.resident_id,
        "platform_person_id": state.platform_person_id, "version": state.version,
        "protected_from": state.protected_from, "protected_until": state.protected_until,
    } for event, envelope in delivered for state in event.residents
        if state.protected_until is not None])
