"""Seeds the demo municipalities and their staff (idempotent): used by `kyodo up`."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from kyodo_common.db import Database
from kyodo_identity.adapters.tables import municipalities, staff
from kyodo_identity.domain.demo import DEMO_MUNICIPALITIES, DEMO_STAFF
from kyodo_identity.service_layer.login import hasher


async def seed_demo(database_url: str) -> list[tuple[str, str, str, str]]:
    """Returns (municipality code, name, login, password) of every demo account."""
    db = Database(database_url, pool_size=1)
    credentials = []
    try:
        async with db.platform_transaction() as session:
            for m in DEMO_MUNICIPALITIES:
                await session.execute(insert(municipalities).values(
                    code=m.code, name=m.name, name_en=m.name_en, prefecture=m.prefecture,
                    config=m.config).on_conflict_do_nothing())
        for m in DEMO_MUNICIPALITIES:
            async with db.tenant_transaction(m.code) as session:
                existing = set((await session.execute(sa.select(staff.c.login))).scalars())
                for login, password, roles in DEMO_STAFF:
                    if login not in existing:
                        await session.execute(sa.insert(staff).values(
                            id=uuid.uuid4(), municipality_code=m.code, login=login,
                            password_hash=hasher.hash(password), roles=list(roles),
                            failed_logins=0))
                    credentials.append((m.code, m.name, login, password))
    finally:
        await db.dispose()
    return credentials
