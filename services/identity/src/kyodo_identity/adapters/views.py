"""Reads the identity routes make that no use case decides: the audit trail, whether a
municipality is known."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.adapters.tables import municipalities

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
