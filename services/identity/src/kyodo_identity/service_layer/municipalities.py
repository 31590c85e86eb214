"""Municipalities (tenants): added and configured by a platform operator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import TenantConfig
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.auth import Principal
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, NotFound
from kyodo_identity.adapters.tables import municipalities, staff
from kyodo_identity.domain.passwords import check_password as check_password_rules
from kyodo_identity.service_layer.audit_trail import record_change
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


async def create_municipality(*, uow: UnitOfWork, actor: Principal,
                              details: MunicipalityDetails, admin: tuple[str, str] | None,
                              now: datetime) -> Any:
    """The tenant row, optionally its first tenant admin, the event: one transaction."""
    code = uow.municipality_code
    if admin is not None:
        check_password_rules(admin[1], login=admin[0], field="admin.initial_password")
    row = (await uow.session.execute(insert(municipalities).values(
        code=code, **details.values(), version=1, created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["code"]).returning(*municipalities.c))).first()
    if row is None:
        raise Conflict(f"the municipality {code} exists already")
    uow.record(_configured(row))
    await record_change(uow.session, actor=actor, municipality_code=code,
                        action="municipality.created", subject_type="municipality",
                        subject_id=code, fields=["name", "name_en", "prefecture", "config"])
    if admin is not None:
        admin_id = uuid.uuid4()
        await uow.session.execute(sa.insert(staff).values(
            id=admin_id, municipality_code=code, login=admin[0],
            password_hash=hasher.hash(admin[1]), roles=["tenant_admin"], failed_logins=0,
            created_at=now, version=1))
        await record_change(uow.session, actor=actor, municipality_code=code,
                            action="staff.created", subject_type="staff",
                            subject_id=str(admin_id), fields=["login", "roles"])
    return row


async def update_municipality(*, uow: UnitOfWork, actor: Principal,
                              details: MunicipalityDetails, expected_version: int | None,
                              now: datetime) -> Any:
    code = uow.municipality_code
    row = (await uow.session.execute(sa.select(municipalities).where(
        municipalities.c.code == code).with_for_update())).first()
    if row is None:
        raise NotFound("the municipality")
    if expected_version is not None and row.version != expected_version:
        raise precondition_failed()
    values = details.values()
    changed = sorted(k for k, v in values.items() if getattr(row, k) != v)
    if not changed:
        return row
    updated = (await uow.session.execute(sa.update(municipalities).where(
        municipalities.c.code == code).values(
        **values, version=municipalities.c.version + 1, updated_at=now,
    ).returning(*municipalities.c))).one()
    uow.record(_configured(updated))
    await record_change(uow.session, actor=actor, municipality_code=code,
                        action="municipality.changed", subject_type="municipality",
                        subject_id=code, fields=changed)
    return updated


async def get_municipality(session: AsyncSession, code: str) -> Any | None:
    return (await session.execute(sa.select(municipalities).where(
        municipalities.c.code == code))).first()


async def list_municipalities(session: AsyncSession, *, limit: int | None = None,
                              after_code: str | None = None) -> list[Any]:
    """In code order, up to ``limit`` (all by default) after ``after_code``."""
    query = sa.select(municipalities).order_by(municipalities.c.code).limit(limit)
    if after_code is not None:
        query = query.where(municipalities.c.code > after_code)
    return list((await session.execute(query)).all())
