"""住民税申告: a person's own declaration for a fiscal year; each one is a new version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from kyodo_common.errors import NotFound
from kyodo_tax.domain.inputs import Declaration
from kyodo_tax.service_layer.ports import DeclarationStore, RegisterView


@dataclass(frozen=True)
class Declared:
    id: UUID
    version: int


async def declare(*, declarations: DeclarationStore, register: RegisterView, code: str,
                  fiscal_year: int, platform_person_id: UUID, declaration: Declaration,
                  actor: str) -> Declared:
    """Stores the declaration as the person's latest for the year; assessing is a separate
    step (a clerk may take several declarations and correct once)."""
    if not await register.knows(platform_person_id):
        raise NotFound("the person")
    # Serialises declarations of one person: the second waits, then takes the next version.
    await declarations.lock_person_year(code, fiscal_year, platform_person_id)
    version = (await declarations.latest_version(fiscal_year, platform_person_id) or 0) + 1
    new_id = uuid.uuid4()
    await declarations.add(declaration_id=new_id, code=code, fiscal_year=fiscal_year,
                           platform_person_id=platform_person_id, version=version,
                           declaration=declaration, actor=actor)
    return Declared(new_id, version)
