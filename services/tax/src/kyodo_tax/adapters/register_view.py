"""The read models kept from other services' events, as the use cases read them: the register
history (residents) and the tenant's tax amounts (identity)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_tax.adapters.tables import register_history, tax_configs
from kyodo_tax.domain.facts import MunicipalTaxConfig
from kyodo_tax.domain.money import Rate
from kyodo_tax.domain.residence import RegisterEntry
from kyodo_tax.service_layer.ports import RegisteredPerson, RegisteredVersion


class SqlRegister:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tax_config(self) -> MunicipalTaxConfig | None:
        row = (await self.session.execute(sa.select(tax_configs))).first()
        if row is None:
            return None
        return MunicipalTaxConfig(
            per_capita_municipal=row.per_capita_municipal,
            per_capita_prefectural=row.per_capita_prefectural,
            forest_environment_tax=row.forest_environment_tax, kyuchi=row.kyuchi,
            designated_city=row.designated_city,
            income_levy_rates=None if row.income_levy_municipal_rate is None else (
                Rate.parse(row.income_levy_municipal_rate),
                Rate.parse(row.income_levy_prefectural_rate)))

    async def history_of(self, persons: Sequence[UUID]) -> list[RegisteredVersion]:
        rows = (await self.session.execute(
            sa.select(register_history).where(register_history.c.platform_person_id.in_(persons))
        )).all()
        return [RegisteredVersion(_entry(row), row.resident_number, row.birth_date)
                for row in rows]

    async def knows(self, platform_person_id: UUID) -> bool:
        return (await self.session.execute(sa.select(register_history.c.resident_id).where(
            register_history.c.platform_person_id == platform_person_id).limit(1))
        ).first() is not None

    async def latest_by_resident_number(self, numbers: Sequence[str]
                                        ) -> dict[str, RegisteredPerson]:
        return await self._latest_by(register_history.c.resident_number, list(numbers))

    async def latest_by_person(self, persons: Sequence[UUID]) -> dict[UUID, RegisteredPerson]:
        return await self._latest_by(register_history.c.platform_person_id, list(persons))

    async def _latest_by(self, column: Any, keys: list[Any]) -> dict[Any, RegisteredPerson]:
        if not keys:
            return {}
        h = register_history.c
        rows = (await self.session.execute(
            sa.select(column, h.resident_id, h.platform_person_id, h.family_name_kana,
                      h.given_name_kana, h.birth_date)
            .where(column.in_(keys)).distinct(column)
            .order_by(column, h.effective_date.desc(), h.version.desc()))).all()
        return {r[0]: RegisteredPerson(r.resident_id, r.platform_person_id, r.family_name_kana,
                                       r.given_name_kana, r.birth_date) for r in rows}


def _entry(row: sa.Row[tuple[object, ...]]) -> RegisterEntry:
    m = row._mapping
    return RegisterEntry(
        municipality_code=m["municipality_code"], resident_id=m["resident_id"],
        platform_person_id=m["platform_person_id"], version=m["version"],
        effective_date=m["effective_date"], status=m["status"], address=m["address"],
        postal_code=m["postal_code"])
