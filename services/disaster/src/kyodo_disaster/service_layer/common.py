"""What the use cases share: loading with 404, and If-Match."""

from __future__ import annotations

import uuid

from kyodo_common.errors import NotFound, PreconditionFailed, PreconditionRequired
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.house import House
from kyodo_disaster.service_layer.ports import DisasterStore, HouseStore


def check_version(actual: int, expected: int | None) -> None:
    """If-Match: the clerk changes what they saw, or nothing (412)."""
    if expected is None:
        raise PreconditionRequired("updates need an If-Match header with the ETag you read",
                                   invalid_params=[{"name": "If-Match", "reason": "required"}])
    if actual != expected:
        raise PreconditionFailed("the record changed since you read it; read it again")


async def disaster_or_404(disasters: DisasterStore, disaster_id: uuid.UUID, *,
                          for_update: bool = False) -> Disaster:
    disaster = await disasters.get(disaster_id, for_update=for_update)
    if disaster is None:
        raise NotFound("the disaster")
    return disaster


async def house_or_404(houses: HouseStore, house_id: uuid.UUID, *,
                       for_update: bool = False) -> House:
    house = await houses.get(house_id, for_update=for_update)
    if house is None:
        raise NotFound("the house")
    return house
