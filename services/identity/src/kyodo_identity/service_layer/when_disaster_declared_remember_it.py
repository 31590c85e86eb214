"""When a municipality declares a disaster, identity remembers it: a platform operator may
lend that municipality's rights to other towns' staff only naming a disaster it declared."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from kyodo_common.events import Envelope
from kyodo_identity.upstream.disaster import DisasterDeclared


class DeclaredDisasters(Protocol):
    async def remember(self, *, disaster_id: uuid.UUID, municipality_code: str, name: str,
                       occurred_on: date, version: int) -> None:
        """Inserted, or replacing an older version of the declaration."""


class DeclaredDisastersUnitOfWork(Protocol):
    """The handler's unit of work (IdentityInboxUnitOfWork, or a fake)."""

    @property
    def declared_disasters(self) -> DeclaredDisasters: ...


async def when_disaster_declared_remember_it(
    uow: DeclaredDisastersUnitOfWork, event: DisasterDeclared, envelope: Envelope
) -> None:
    await uow.declared_disasters.remember(
        disaster_id=event.disaster_id, municipality_code=envelope.municipality,
        name=event.name, occurred_on=event.occurred_on, version=event.version)
