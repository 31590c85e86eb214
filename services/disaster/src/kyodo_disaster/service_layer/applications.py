"""罹災証明書の交付申請 at the counter: one applicant, one house, within the window."""

from __future__ import annotations

import uuid
from datetime import date

from kyodo_common.errors import Conflict, InvalidInput
from kyodo_disaster.adapters.residents import ACTIVE
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.application import may_apply
from kyodo_disaster.service_layer.common import disaster_or_404, house_or_404
from kyodo_disaster.service_layer.ports import Stores


async def apply(stores: Stores, *, actor: Actor, house_id: uuid.UUID,
                applicant_resident_id: uuid.UUID, copies: int, today: date) -> uuid.UUID:
    """The application is received; a certificate job later marks it ready for issuance."""
    house = await house_or_404(stores.houses, house_id)
    disaster = await disaster_or_404(stores.disasters, house.disaster_id)
    if not disaster.accepts_applications_on(today):
        raise InvalidInput("applicant_resident_id",
                           f"applications are taken from {disaster.application_opens_on} "
                           f"to {disaster.application_closes_on}")
    people = await stores.residents.by_id({applicant_resident_id, *house.occupant_ids})
    applicant = people.get(applicant_resident_id)
    if applicant is None or applicant.status != ACTIVE:
        raise InvalidInput("applicant_resident_id", "no such resident in the register")
    households = {pid: row.household_id for pid, row in people.items()}
    if not may_apply(applicant_resident_id, occupants=house.occupant_ids,
                     households=households):
        raise InvalidInput("applicant_resident_id",
                           "the applicant is not registered as living in the house")
    if (house.id, applicant_resident_id) in await stores.applications.applied([house.id]):
        raise Conflict("this resident has already applied for this house")
    application_id = uuid.uuid4()
    await stores.applications.add([{
        "id": application_id, "house_id": house.id,
        "applicant_resident_id": applicant_resident_id, "copies": copies}],
        code=stores.municipality_code, disaster_id=disaster.id, applied_on=today)
    return application_id
