"""Municipalities (tenants): added and configured by a platform operator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import TenantConfig

from kyodo_common.errors import Conflict, NotFound
from kyodo_identity.domain.passwords import check_password as check_password_rules
from kyodo_identity.service_layer.passwords import hasher
from kyodo_identity.service_layer.staff import precondition_failed


@dataclass(frozen=True)
class MunicipalityDetails:
    name: str
    name_en: str
    prefecture: str
    config: TenantConfig

    def values(self) -> dict[str, Any]:
        return {"name": self.name, "name_en": self.name_en, "prefecture": self.prefecture,
                "config": self.config.model_dump(mode="json")}


def _configured(row: Any) -> MunicipalityConfigured:
    return MunicipalityConfigured(code=row.code.strip(), name=row.name, name_en=row.name_en,
                                  prefecture=row.prefecture,
                                  config=TenantConfig.model_validate(row.config),
                                  version=row.version)


async def create_municipality(uow: Any, *, details: MunicipalityDetails,
                              admin: tuple[str, str] | None,
                              now: datetime) -> tuple[Any, uuid.UUID | None]:
    """The tenant row, optionally its first tenant admin (and their id), the event: one
    transaction."""
    code = uow.municipality_code
    if admin is not None:
        check_password_rules(admin[1], login=admin[0], field="admin.initial_password")
    row = await uow.store.add_municipality(details.values(), now)
    if row is None:
        raise Conflict(f"the municipality {code} exists already")
    uow.record(_configured(row))
    if admin is None:
        return row, None
    admin_id = uuid.uuid4()
    await uow.store.add_staff(staff_id=admin_id, login=admin[0],
                              password_hash=hasher.hash(admin[1]), roles=["tenant_admin"],
                              now=now)
    return row, admin_id


async def update_municipality(uow: Any, *, details: MunicipalityDetails,
                              expected_version: int | None,
                              now: datetime) -> tuple[Any, list[str]]:
    """The row and the fields that changed (none: nothing written, no event)."""
    row = await uow.store.municipality_locked()
    if row is None:
        raise NotFound("the municipality")
    if expected_version is not None and row.version != expected_version:
        raise precondition_failed()
    values = details.values()
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    if not changed:
        return row, []
    updated = await uow.store.change_municipality(values, now)
    uow.record(_configured(updated))
    return updated, changed
