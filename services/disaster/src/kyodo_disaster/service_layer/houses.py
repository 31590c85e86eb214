"""被災住家台帳: houses entered in the ledger, and who lives in them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from kyodo_common.errors import Conflict, InvalidInput
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.addresses import Area, address_key
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.house import House
from kyodo_disaster.service_layer.common import check_version, house_or_404
from kyodo_disaster.service_layer.ports import Stores

OUTSIDE_AREA = "the house is outside the disaster's affected area"


def new_house(disaster: Disaster, *, postal_code: str, address: str,
              occupant_ids: list[uuid.UUID]) -> House:
    return House(id=uuid.uuid4(), disaster_id=disaster.id, postal_code=postal_code,
                 address=address.strip(), occupant_ids=occupant_ids, version=1)


async def register_house(stores: Stores, *, actor: Actor, disaster: Disaster,
                         postal_code: str, address: str) -> House:
    """The house enters the ledger; its occupants are the residents registered there."""
    if not Area(disaster.affected_area).contains(postal_code=postal_code, address=address):
        raise InvalidInput("address", OUTSIDE_AREA)
    key = address_key(address)
    existing = await stores.houses.at(disaster.id, [key])
    if key in existing:
        raise Conflict(f"the house is already in the ledger as {existing[key].id}")
    occupants = await stores.residents.occupants_at([key])
    house = new_house(disaster, postal_code=postal_code, address=address,
                      occupant_ids=occupants.get(key, []))
    await stores.houses.add([house], code=stores.municipality_code)
    return house


async def set_occupants(stores: Stores, *, actor: Actor, house_id: uuid.UUID,
                        expected_version: int | None,
                        resident_ids: Sequence[uuid.UUID]) -> House:
    """A clerk corrects who lived in the house (the register may say otherwise)."""
    house = await house_or_404(stores.houses, house_id, for_update=True)
    check_version(house.version, expected_version)
    known = await stores.residents.by_id(set(resident_ids))
    for index, resident_id in enumerate(resident_ids):
        if resident_id not in known:
            raise InvalidInput(f"resident_ids.{index}", "no such resident in the register")
    house.occupant_ids = list(dict.fromkeys(resident_ids))
    house.version += 1
    await stores.houses.save([house])
    return house
