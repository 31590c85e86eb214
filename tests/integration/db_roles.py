"""Reading and changing a service's database behind its API, as the role that may: the owner
(bound by row-level security like every role: in one municipality's transaction) or the relay
(every tenant's outbox)."""

from __future__ import annotations

from typing import Any

import asyncpg

from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure


async def as_owner(infrastructure: Infrastructure, service: str, municipality: str, sql: str,
                   *args: Any) -> list[asyncpg.Record]:
    """One statement as the database's owner, in ``municipality``'s transaction (seeing
    protected people too, as the services' own workers do)."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url(service)))
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('kyodo.municipality', $1, true), "
                               "set_config('kyodo.sees_protected', 'on', true)", municipality)
            return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def as_relay(infrastructure: Infrastructure, service: str, sql: str,
                   *args: Any) -> list[asyncpg.Record]:
    """One statement as the relay, which reads every tenant's outbox (and nothing else)."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url(service)))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()
