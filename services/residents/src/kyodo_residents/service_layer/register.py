"""住民登録 of a person as the head of a new household (the simplest 職権記載)."""

from __future__ import annotations

from datetime import date

from kyodo_residents_events import ResidentState

from kyodo_common.db import UnitOfWork
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.service_layer.placement import NewHousehold
from kyodo_residents.service_layer.records import enter_ex_officio


async def register_resident(*, uow: UnitOfWork, details: PersonDetails, postal_code: str,
                            address: str, today: date,
                            confirmed_not_duplicate: bool = False) -> ResidentState:
    """Registers the person; returns their state. The caller commits the unit of work."""
    outcome = await enter_ex_officio(
        uow=uow, today=today, effective_date=today, details=details,
        placement=NewHousehold(postal_code=postal_code, address=address),
        confirmed_not_duplicate=confirmed_not_duplicate)
    return outcome.states[0]
