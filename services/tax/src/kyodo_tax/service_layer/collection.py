"""退職 / 死亡: what the employer would still have withheld is billed to the person instead."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.errors import Conflict, NotFound
from kyodo_tax.adapters.inputs_store import plan_from_json, plan_to_json
from kyodo_tax.adapters.tables import assessments
from kyodo_tax.domain.instalments import Method, SwitchReason, switch_to_ordinary
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.lookups import rules_for


async def switch_collection(session: AsyncSession, *, assessment_id: UUID,
                            reason: SwitchReason, on: date, context: TaxContext) -> None:
    a = assessments.c
    row = (await session.execute(sa.select(
        a.fiscal_year, a.platform_person_id, a.version, a.collection,
        sa.cast(a.instalments, sa.Text).label("instalments"), a.switched_on, a.switch_reason)
        .where(a.id == assessment_id).with_for_update())).first()
    if row is None:
        raise NotFound("the assessment")
    latest = (await session.execute(sa.select(sa.func.max(a.version)).where(
        a.fiscal_year == row.fiscal_year,
        a.platform_person_id == row.platform_person_id))).scalar_one()
    if row.version != latest:
        raise Conflict(f"version {latest} replaced this assessment: switch that one")
    if row.collection != Method.SPECIAL.value:
        raise Conflict("this assessment is not collected by 特別徴収")
    rules = rules_for(context.rule_book, row.fiscal_year)
    switched = switch_to_ordinary(plan_from_json(row.instalments, None, None), on=on,
                                  reason=reason, fiscal_year=row.fiscal_year,
                                  ordinary_months=rules.ordinary_months)
    await session.execute(sa.update(assessments).where(a.id == assessment_id).values(
        instalments=json.loads(plan_to_json(switched)),
        collection=Method.ORDINARY.value, switched_on=on, switch_reason=reason.value))
