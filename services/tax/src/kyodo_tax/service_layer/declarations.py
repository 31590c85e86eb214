"""住民税申告: a person's own declaration for a fiscal year; each one is a new version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.errors import NotFound
from kyodo_tax.adapters.tables import declarations, register_history
from kyodo_tax.domain.inputs import Declaration


@dataclass(frozen=True)
class Declared:
    id: UUID
    version: int


async def declare(session: AsyncSession, *, code: str, fiscal_year: int,
                  platform_person_id: UUID, declaration: Declaration, actor: str) -> Declared:
    """Stores the declaration as the person's latest for the year; assessing is a separate
    step (a clerk may take several declarations and correct once)."""
    known = (await session.execute(sa.select(register_history.c.resident_id).where(
        register_history.c.platform_person_id == platform_person_id).limit(1))).first()
    if known is None:
        raise NotFound("the person")
    # Serialises declarations of one person: the second waits, then takes the next version.
    await session.execute(sa.select(sa.func.pg_advisory_xact_lock(
        sa.func.hashtextextended(f"{code}:{fiscal_year}:{platform_person_id}", 0))))
    latest = (await session.execute(sa.select(sa.func.max(declarations.c.version)).where(
        declarations.c.fiscal_year == fiscal_year,
        declarations.c.platform_person_id == platform_person_id))).scalar_one()
    version = (latest or 0) + 1
    h, d = declaration.household, declaration.household.dependants
    new_id = uuid.uuid4()
    await session.execute(sa.insert(declarations).values(
        id=new_id, municipality_code=code, fiscal_year=fiscal_year,
        platform_person_id=platform_person_id, version=version,
        salary_revenue=declaration.salary_revenue, pension_revenue=declaration.pension_revenue,
        other_income=declaration.other_income, social_insurance=declaration.social_insurance,
        other_deductions=declaration.other_deductions, spouse=h.spouse.value,
        disability=h.disability.value, widowhood=h.widowhood.value,
        working_student=h.working_student, dependants_general=d.general,
        dependants_specified=d.specified, dependants_elderly=d.elderly,
        dependants_elderly_cohabiting=d.elderly_cohabiting, dependants_under_16=d.under_16,
        disabled_general=d.disabled_general, disabled_special=d.disabled_special,
        disabled_special_cohabiting=d.disabled_special_cohabiting,
        dependant_persons=list(declaration.dependant_persons), declared_by=actor))
    return Declared(new_id, version)
