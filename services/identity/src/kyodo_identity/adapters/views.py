"""What identity's routes read (no use case decides it): lists, single records, the audit
trail, the grants and revocations in force, the JWKS. Plain functions taking the session of
the route's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.adapters.tables import (
    api_clients,
    client_secrets,
    municipalities,
    signing_keys,
    staff,
    support_grants,
)

_COLUMNS = ("id, occurred_at, actor, actor_home, acting_municipality, action, subject_type, "
            "subject_id, fields, trace_id, grant_id, seq")


async def audit_entries(session: AsyncSession, *, limit: int,
                        before_id: int | None) -> tuple[list[Any], int | None]:
    """The session's tenant's entries by id, descending (RLS keeps other tenants out), and
    the id to continue before, if there are more."""
    where = "WHERE id < :before" if before_id is not None else ""
    rows = list((await session.execute(
        sa.text(f"SELECT {_COLUMNS} FROM access_log {where} ORDER BY id DESC LIMIT :limit"),  # noqa: S608
        {"before": before_id, "limit": limit + 1})).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].id if more else None


async def municipality_known(session: AsyncSession, code: str) -> bool:
    return (await session.execute(sa.select(municipalities.c.code).where(
        municipalities.c.code == code))).first() is not None


async def municipality(session: AsyncSession, code: str) -> Any | None:
    return (await session.execute(sa.select(municipalities).where(
        municipalities.c.code == code))).first()


async def municipality_list(session: AsyncSession, *, limit: int | None = None,
                            after_code: str | None = None) -> list[Any]:
    """In code order, up to ``limit`` (all by default) after ``after_code``."""
    query = sa.select(municipalities).order_by(municipalities.c.code).limit(limit)
    if after_code is not None:
        query = query.where(municipalities.c.code > after_code)
    return list((await session.execute(query)).all())


async def staff_member(session: AsyncSession, staff_id: uuid.UUID) -> Any | None:
    return (await session.execute(sa.select(staff).where(staff.c.id == staff_id))).first()


async def staff_list(session: AsyncSession, *, limit: int,
                     after_login: str | None) -> tuple[list[Any], str | None]:
    """Staff in login order, a page at a time; the last login is the next page's key."""
    query = sa.select(staff).order_by(staff.c.login).limit(limit + 1)
    if after_login is not None:
        query = query.where(staff.c.login > after_login)
    rows = list((await session.execute(query)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].login if more else None


async def client(session: AsyncSession, client_id: str) -> tuple[Any, list[Any]] | None:
    row = (await session.execute(sa.select(api_clients).where(
        api_clients.c.client_id == client_id))).first()
    if row is None:
        return None
    secrets = (await session.execute(
        sa.select(client_secrets.c.id, client_secrets.c.created_at, client_secrets.c.expires_at)
        .where(client_secrets.c.client_id == client_id)
        .order_by(client_secrets.c.created_at))).all()
    return row, list(secrets)


async def client_list(session: AsyncSession, *, limit: int,
                      after: tuple[datetime, str] | None = None) -> list[Any]:
    """Oldest first, up to ``limit`` after the (created_at, client_id) ``after``."""
    c = api_clients.c
    query = sa.select(api_clients).order_by(c.created_at, c.client_id).limit(limit)
    if after is not None:
        query = query.where(sa.tuple_(c.created_at, c.client_id)
                            > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    return list((await session.execute(query)).all())


async def grant(session: AsyncSession, grant_id: uuid.UUID) -> Any | None:
    return (await session.execute(sa.select(support_grants).where(
        support_grants.c.id == grant_id))).first()


async def grant_list(session: AsyncSession, *, active_at: datetime | None, limit: int,
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


_HELD = sa.text(
    "SELECT h.grant_id, h.grantor_municipality, m.name AS grantor_name, h.scopes, "
    "h.valid_from, h.valid_until FROM support_grants_held_by(:holder, :home) AS h "
    "LEFT JOIN municipalities AS m ON m.code = h.grantor_municipality "
    "ORDER BY h.valid_until, h.grantor_municipality")


async def grants_held(session: AsyncSession, *, holder: uuid.UUID, home: str) -> list[Any]:
    """The grants in force that the staff member holds, soonest ending first, with their
    grantors' names: filtered by the grantee in SQL (its own door, migration 0013), so the
    cost follows the caller's grants, not the platform's."""
    return list((await session.execute(_HELD, {"holder": holder, "home": home})).all())


async def municipality_name(session: AsyncSession, code: str) -> str:
    return (await session.execute(sa.select(municipalities.c.name).where(
        municipalities.c.code == code))).scalar() or ""


async def revocations_in_force(session: AsyncSession) -> list[Any]:
    """Every tenant's revocations whose tokens may still be alive (the one narrow door)."""
    return list((await session.execute(
        sa.text("SELECT * FROM access_revocations_in_force()"))).all())


async def jwks(session: AsyncSession) -> dict[str, Any]:
    rows = (await session.execute(
        sa.select(signing_keys.c.public_jwk).where(
            sa.or_(signing_keys.c.retired_at.is_(None), signing_keys.c.retired_at > sa.func.now()))
        .order_by(signing_keys.c.created_at.desc())
    )).scalars().all()
    return {"keys": list(rows)}
