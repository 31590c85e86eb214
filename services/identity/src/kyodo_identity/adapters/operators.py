"""Platform operators in PostgreSQL."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_identity.adapters.tables import operators


class SqlOperators:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_unless_known(self, *, operator_id: uuid.UUID, login: str,
                               password_hash: str) -> None:
        await self.session.execute(insert(operators).values(
            id=operator_id, login=login, password_hash=password_hash, failed_logins=0,
            created_at=sa.func.now()).on_conflict_do_nothing(index_elements=["login"]))
