"""災害の宣言 and its amendments (affected area, a longer application window)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from kyodo_disaster_events import DisasterDeclared

from kyodo_common.errors import InvalidInput
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.declaration import (
    Disaster,
    check_occurred_on,
    check_window,
    checked_area,
)
from kyodo_disaster.domain.kinds import DisasterKind
from kyodo_disaster.domain.rules import WindowRules
from kyodo_disaster.service_layer.common import check_version, disaster_or_404
from kyodo_disaster.service_layer.ports import Stores


async def declare(stores: Stores, *, actor: Actor, name: str, kind: DisasterKind,
                  occurred_on: date, affected_area: Sequence[str], opens_on: date,
                  closes_on: date, rules: WindowRules, today: date) -> Disaster:
    """The municipality declares the disaster; DisasterDeclared commits with it."""
    if not name.strip():
        raise InvalidInput("name", "the disaster needs a name")
    check_occurred_on(occurred_on, today=today)
    check_window(occurred_on=occurred_on, opens_on=opens_on, closes_on=closes_on, rules=rules)
    disaster = Disaster(id=uuid.uuid4(), municipality_code=stores.municipality_code,
                        name=name.strip(), kind=kind, occurred_on=occurred_on,
                        affected_area=checked_area(affected_area),
                        application_opens_on=opens_on, application_closes_on=closes_on,
                        version=1)
    await stores.disasters.add(disaster, declared_by=actor.subject,
                               declared_by_home=actor.home)
    stores.record(declared_event(disaster))
    return disaster


async def amend(stores: Stores, *, actor: Actor, disaster_id: uuid.UUID,
                expected_version: int | None, affected_area: Sequence[str] | None,
                closes_on: date | None, rules: WindowRules, today: date) -> Disaster:
    """Widen or correct the area, move the window's end (extensions up to the rules' limit)."""
    disaster = await disaster_or_404(stores.disasters, disaster_id, for_update=True)
    check_version(disaster.version, expected_version)
    if affected_area is not None:
        disaster.affected_area = checked_area(affected_area)
    if closes_on is not None:
        check_window(occurred_on=disaster.occurred_on, opens_on=disaster.application_opens_on,
                     closes_on=closes_on, rules=rules, extension=True, today=today)
        disaster.application_closes_on = closes_on
    disaster.version += 1
    await stores.disasters.save(disaster)
    stores.record(declared_event(disaster))
    return disaster


def declared_event(disaster: Disaster) -> DisasterDeclared:
    """The declaration as it stands (an amendment republishes it with a higher version)."""
    return DisasterDeclared(
        disaster_id=disaster.id, municipality_code=disaster.municipality_code,
        name=disaster.name, kind=disaster.kind.value, kind_label=disaster.kind.label,
        occurred_on=disaster.occurred_on, affected_area=tuple(disaster.affected_area),
        application_opens_on=disaster.application_opens_on,
        application_closes_on=disaster.application_closes_on, version=disaster.version)
