"""Staff of other municipalities, as a grantor names them: read in the named municipality's
own scope (its row-level security still applies), in transactions of their own."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from kyodo_common.db import Database
from kyodo_identity.adapters.tables import municipalities, staff


class StaffDirectory:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def municipality_known(self, code: str) -> bool:
        async with self._db.platform_transaction() as session:
            return (await session.execute(sa.select(municipalities.c.code).where(
                municipalities.c.code == code))).first() is not None

    async def staff_member(self, municipality_code: str, *, login: str | None,
                           staff_id: uuid.UUID | None) -> Any:
        """The member's id, login and disabled_at, by id if given, else by login."""
        condition = staff.c.login == login if staff_id is None else staff.c.id == staff_id
        async with self._db.tenant_transaction(municipality_code) as session:
            return (await session.execute(sa.select(
                staff.c.id, staff.c.login, staff.c.disabled_at).where(condition))).first()
