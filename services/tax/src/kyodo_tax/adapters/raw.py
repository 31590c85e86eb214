"""The asyncpg connection under a SQLAlchemy session: bulk statements in the same transaction
(and so under the same tenant setting) as the rest of the unit of work."""

from __future__ import annotations

from typing import Any, cast

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession


async def raw_connection(session: AsyncSession) -> asyncpg.Connection:
    connection = await session.connection()
    raw: Any = await connection.get_raw_connection()
    return cast(asyncpg.Connection, raw.driver_connection)
