"""What the use cases ask the read models: the tenant's amounts, persons and their history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.errors import Conflict, RuleBroken
from kyodo_tax.adapters.tables import register_history, tax_configs
from kyodo_tax.domain.ages import assessment_date
from kyodo_tax.domain.facts import MunicipalTaxConfig
from kyodo_tax.domain.money import Rate
from kyodo_tax.domain.residence import RegisterEntry, Taxpayer, residence_on
from kyodo_tax.domain.rulebook import RuleBook, RuleBookError, RuleSet


def rules_for(rule_book: RuleBook, fiscal_year: int) -> RuleSet:
    try:
        return rule_book.for_year(fiscal_year)
    except RuleBookError:
        raise RuleBroken(f"no tax rules for fiscal year {fiscal_year}",
                         invalid_params=[{"name": "fiscal_year",
                                       "reason": f"one of {rule_book.fiscal_years}"}]) from None


async def tax_config(session: AsyncSession) -> MunicipalTaxConfig:
    """The tenant's amounts (and 所得割 rates, if its own) from identity; without them no one
    can be assessed."""
    row = (await session.execute(sa.select(tax_configs))).first()
    if row is None:
        raise Conflict("this municipality's tax configuration (均等割, 級地) has not "
                             "arrived from identity yet",
                       title="Tax configuration missing",
                       kind="tax-configuration-missing")
    return MunicipalTaxConfig(
        per_capita_municipal=row.per_capita_municipal,
        per_capita_prefectural=row.per_capita_prefectural,
        forest_environment_tax=row.forest_environment_tax, kyuchi=row.kyuchi,
        designated_city=row.designated_city,
        income_levy_rates=None if row.income_levy_municipal_rate is None else (
            Rate.parse(row.income_levy_municipal_rate),
            Rate.parse(row.income_levy_prefectural_rate)))


def _entry(row: sa.Row[tuple[object, ...]]) -> RegisterEntry:
    m = row._mapping
    return RegisterEntry(
        municipality_code=m["municipality_code"], resident_id=m["resident_id"],
        platform_person_id=m["platform_person_id"], version=m["version"],
        effective_date=m["effective_date"], status=m["status"], address=m["address"],
        postal_code=m["postal_code"])


async def history_of(session: AsyncSession, persons: Sequence[UUID]) -> list[sa.Row[tuple[
        object, ...]]]:
    return list((await session.execute(
        sa.select(register_history).where(register_history.c.platform_person_id.in_(persons))
    )).all())


async def taxpayer_on_january_first(session: AsyncSession, platform_person_id: UUID,
                                    fiscal_year: int) -> Taxpayer | None:
    """The person as registered here at the end of 1 January, or None if not resident then."""
    rows = await history_of(session, [platform_person_id])
    state = residence_on([_entry(r) for r in rows], assessment_date(fiscal_year))
    if state is None:
        return None
    row = next(r for r in rows if r.resident_id == state.resident_id
               and r.version == state.version)
    return Taxpayer(platform_person_id=platform_person_id, resident_id=row.resident_id,
                    resident_number=row.resident_number, birth_date=row.birth_date,
                    postal_code=row.postal_code, address=row.address)


async def january_first_residents(session: AsyncSession, persons: Sequence[UUID],
                                  fiscal_year: int) -> set[UUID]:
    """Which of these persons were registered here at the end of 1 January."""
    by_person: dict[UUID, list[RegisterEntry]] = {}
    for row in await history_of(session, persons):
        by_person.setdefault(row.platform_person_id, []).append(_entry(row))
    day = assessment_date(fiscal_year)
    return {p for p, entries in by_person.items() if residence_on(entries, day) is not None}


_ASSESSMENT = sa.text("SELECT * FROM assessments WHERE id = :id")


async def assessment_row(session: AsyncSession, assessment_id: UUID) -> Any:
    """One version of an assessment, as stored (None if there is none)."""
    return (await session.execute(_ASSESSMENT, {"id": assessment_id})).first()
