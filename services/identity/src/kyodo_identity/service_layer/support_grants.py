"""Support grants: a stricken municipality lends named staff of another one scoped rights."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from kyodo_identity_events import SupportGrantCreated, SupportGrantRevoked
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.assertion import Acting
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Conflict, InvalidInput, NotFound
from kyodo_identity.adapters.tables import (
    declared_disasters,
    municipalities,
    staff,
    support_grants,
)
from kyodo_identity.domain.platform import OPERATOR_KIND
from kyodo_identity.domain.support_grant import check_window, grantable
from kyodo_identity.service_layer.audit_trail import record_change


@dataclass(frozen=True)
class Grantee:
    staff_id: uuid.UUID
    municipality_code: str
    login: str


@dataclass(frozen=True)
class NewGrant:
    scopes: list[str]
    valid_from: datetime
    valid_until: datetime
    disaster_ref: str | None
    note: str | None


async def resolve_grantee(db: Database, *, grantor: str, municipality_code: str,
                          login: str | None, staff_id: uuid.UUID | None) -> Grantee:
    """The named staff member, read in their own municipality's scope (RLS still applies)."""
    if municipality_code == grantor:
        raise InvalidInput("grantee.municipality_code",
                           "staff of the granting municipality need no grant")
    async with db.platform_transaction() as session:
        known = (await session.execute(sa.select(municipalities.c.code).where(
            municipalities.c.code == municipality_code))).first()
    if known is None:
        raise InvalidInput("grantee.municipality_code", "no such municipality on the platform")
    condition = staff.c.login == login if staff_id is None else staff.c.id == staff_id
    async with db.tenant_transaction(municipality_code) as session:
        row = (await session.execute(
            sa.select(staff.c.id, staff.c.login, staff.c.disabled_at).where(condition))).first()
    if row is None or row.disabled_at is not None:
        field = "grantee.login" if staff_id is None else "grantee.staff_id"
        raise InvalidInput(field, "no active staff member of that municipality")
    return Grantee(staff_id=row.id, municipality_code=municipality_code, login=row.login)


async def _require_declared(session: AsyncSession, disaster_ref: str | None) -> None:
    if not disaster_ref:
        raise InvalidInput("disaster_ref", "an operator's grant names the declared disaster")
    try:
        disaster_id = uuid.UUID(disaster_ref)
    except ValueError:
        raise InvalidInput("disaster_ref", "the id of a disaster the municipality declared "
                                           "(disaster service)") from None
    declared = (await session.execute(sa.select(declared_disasters.c.disaster_id).where(
        declared_disasters.c.disaster_id == disaster_id))).first()  # this tenant's only (RLS)
    if declared is None:
        raise InvalidInput("disaster_ref", "the municipality has declared no such disaster")


async def create_grant(*, uow: UnitOfWork, actor: Acting, grantee: Grantee, new: NewGrant,
                       now: datetime) -> Any:
    scopes = grantable(new.scopes)
    check_window(new.valid_from, new.valid_until, now=now)
    if actor.principal.kind == OPERATOR_KIND:
        # An operator grants for a municipality only after a disaster it declared, named by id.
        await _require_declared(uow.session, new.disaster_ref)
    grant_id = uuid.uuid4()
    row = (await uow.session.execute(sa.insert(support_grants).values(
        id=grant_id, municipality_code=uow.municipality_code,
        grantee_staff_id=grantee.staff_id, grantee_municipality=grantee.municipality_code,
        grantee_login=grantee.login, scopes=scopes, valid_from=new.valid_from,
        valid_until=new.valid_until, disaster_ref=new.disaster_ref, note=new.note,
        created_at=now, created_by=actor.principal.subject,
    ).returning(*support_grants.c))).one()
    uow.record(SupportGrantCreated(
        grant_id=grant_id, grantor_municipality=uow.municipality_code,
        grantee_subject=str(grantee.staff_id), grantee_municipality=grantee.municipality_code,
        scopes=scopes, valid_from=new.valid_from, valid_until=new.valid_until,
        disaster_ref=new.disaster_ref))
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="grant.created",
                        subject_type="support_grant", subject_id=str(grant_id),
                        fields=["grantee", "scopes", "valid_from", "valid_until"],
                        grant_id=actor.grant_id)
    return row


async def revoke_grant(*, uow: UnitOfWork, actor: Acting, grant_id: uuid.UUID,
                       now: datetime) -> Any:
    row = (await uow.session.execute(sa.select(support_grants).where(
        support_grants.c.id == grant_id).with_for_update())).first()
    if row is None:
        raise NotFound("the support grant")
    if row.revoked_at is not None:
        raise Conflict("the support grant is already revoked")
    updated = (await uow.session.execute(sa.update(support_grants).where(
        support_grants.c.id == grant_id).values(
        revoked_at=now, revoked_by=actor.principal.subject,
    ).returning(*support_grants.c))).one()
    uow.record(SupportGrantRevoked(
        grant_id=grant_id, grantor_municipality=uow.municipality_code,
        grantee_subject=str(row.grantee_staff_id),
        grantee_municipality=row.grantee_municipality, revoked_at=now))
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="grant.revoked",
                        subject_type="support_grant", subject_id=str(grant_id),
                        fields=["revoked_at"], grant_id=actor.grant_id)
    return updated


async def get_grant(session: AsyncSession, grant_id: uuid.UUID) -> Any | None:
    return (await session.execute(sa.select(support_grants).where(
        support_grants.c.id == grant_id))).first()


async def list_grants(session: AsyncSession, *, active_at: datetime | None, limit: int,
                      after: tuple[datetime, uuid.UUID] | None) -> tuple[list[Any], Any]:
    """Newest first, a page at a time; ``active_at`` keeps only grants in force then."""
    g = support_grants.c
    query = sa.select(support_grants).order_by(g.created_at.desc(), g.id.desc()).limit(limit + 1)
    if active_at is not None:
        query = query.where(g.revoked_at.is_(None), g.valid_from <= active_at,
                            g.valid_until > active_at)
    if after is not None:
        query = query.where(sa.tuple_(g.created_at, g.id)
                            < sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    rows = list((await session.execute(query)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].created_at, rows[-1].id) if more else None


async def active_grants(session: AsyncSession) -> list[Any]:
    """Every tenant's grants in force now, through the one function allowed to read them."""
    return list((await session.execute(sa.text("SELECT * FROM active_support_grants()"))).all())
