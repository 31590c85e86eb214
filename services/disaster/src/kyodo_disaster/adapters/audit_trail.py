"""The disaster audit trail as its route reads it (the access log, with the sealer's columns)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_disaster.adapters import tables


async def entries(session: AsyncSession, *, equal: dict[str, str | None],
                  after: int | None, limit: int) -> list[sa.Row[Any]]:
    """The access log in the order it was written, where each named column has its value
    (None: any), after a previous page's last entry."""
    t = tables.access_log  # the disaster table, with the sealer's columns (id, hash)
    filters = [t.c[column] == value for column, value in equal.items() if value is not None]
    if after is not None:
        filters.append(t.c.id > after)
    return list((await session.execute(sa.select(t).where(*filters).order_by(t.c.id)
                                       .limit(limit))).all())
