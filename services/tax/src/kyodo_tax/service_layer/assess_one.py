"""Assessing one person (a first assessment, or a correction after new inputs)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.errors import Conflict, RuleBroken
from kyodo_tax.adapters.assessment_store import write_assessments
from kyodo_tax.adapters.raw import raw_connection
from kyodo_tax.adapters.tables import assessments
from kyodo_tax.service_layer.assessing import assess_taxpayers
from kyodo_tax.service_layer.context import SOURCE, TaxContext
from kyodo_tax.service_layer.lookups import rules_for, tax_config, taxpayer_on_january_first


def _unprocessable(kind: str, title: str, detail: str) -> RuleBroken:
    return RuleBroken(detail,
                      title=title,
                      kind=kind,
                      invalid_params=[{"name": "platform_person_id", "reason": detail}])


async def assess_person(session: AsyncSession, *, code: str, fiscal_year: int,
                        platform_person_id: UUID, context: TaxContext,
                        today: date) -> tuple[UUID, bool]:
    """(the assessment's id, whether it is a new version); the same inputs give no new one."""
    rules = rules_for(context.rule_book, fiscal_year)
    config = await tax_config(session)
    taxpayer = await taxpayer_on_january_first(session, platform_person_id, fiscal_year)
    if taxpayer is None:
        raise _unprocessable("not-registered-on-1-january", "Not registered on 1 January",
                             f"the person was not registered in this municipality at the end "
                             f"of 1 January {fiscal_year}: another municipality taxes them")
    conn = await raw_connection(session)
    batch = await assess_taxpayers(conn, [taxpayer], rules=rules, config=config,
                                   allow_unverified=context.allow_unverified, today=today)
    if batch.refused:
        raise _unprocessable("not-assessable", "Not assessable", batch.refused[0][1])
    if batch.unchanged:
        latest = (await session.execute(
            sa.select(assessments.c.id).where(
                assessments.c.fiscal_year == fiscal_year,
                assessments.c.platform_person_id == platform_person_id)
            .order_by(assessments.c.version.desc()).limit(1))).scalar_one()
        return latest, False
    try:
        await write_assessments(conn, batch.assessed, municipality_code=code, job_id=None,
                                assessed_on=today, source=SOURCE)
    except asyncpg.UniqueViolationError:
        raise Conflict("the person was assessed at the same moment: read the assessments "
                       "and try again if the inputs changed") from None
    return batch.assessed[0].id, True
