"""住民税申告 in PostgreSQL: every version a row."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_tax.adapters.tables import declarations
from kyodo_tax.domain.inputs import Declaration


class SqlDeclarations:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_person_year(self, code: str, fiscal_year: int,
                               platform_person_id: UUID) -> None:
        await self.session.execute(sa.select(sa.func.pg_advisory_xact_lock(
            sa.func.hashtextextended(f"{code}:{fiscal_year}:{platform_person_id}", 0))))

    async def latest_version(self, fiscal_year: int, platform_person_id: UUID) -> int | None:
        latest: int | None = (await self.session.execute(
            sa.select(sa.func.max(declarations.c.version)).where(
                declarations.c.fiscal_year == fiscal_year,
                declarations.c.platform_person_id == platform_person_id))).scalar_one()
        return latest

    async def add(self, *, declaration_id: UUID, code: str, fiscal_year: int,
                  platform_person_id: UUID, version: int, declaration: Declaration,
                  actor: str) -> None:
        h, d = declaration.household, declaration.household.dependants
        await self.session.execute(sa.insert(declarations).values(
            id=declaration_id, municipality_code=code, fiscal_year=fiscal_year,
            platform_person_id=platform_person_id, version=version,
            salary_revenue=declaration.salary_revenue,
            pension_revenue=declaration.pension_revenue,
            other_income=declaration.other_income, social_insurance=declaration.social_insurance,
            other_deductions=declaration.other_deductions, spouse=h.spouse.value,
            disability=h.disability.value, widowhood=h.widowhood.value,
            working_student=h.working_student, dependants_general=d.general,
            dependants_specified=d.specified, dependants_elderly=d.elderly,
            dependants_elderly_cohabiting=d.elderly_cohabiting, dependants_under_16=d.under_16,
            disabled_general=d.disabled_general, disabled_special=d.disabled_special,
            disabled_special_cohabiting=d.disabled_special_cohabiting,
            dependant_persons=list(declaration.dependant_persons), declared_by=actor))
