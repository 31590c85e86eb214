"""退職 / 死亡: what the employer would still have withheld is billed to the person instead."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from kyodo_common.errors import Conflict, NotFound
from kyodo_tax.adapters.inputs_store import plan_from_json
from kyodo_tax.domain.instalments import Method, SwitchReason, switch_to_ordinary
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.lookups import rules_for
from kyodo_tax.service_layer.ports import AssessmentStore


async def switch_collection(*, assessments: AssessmentStore, assessment_id: UUID,
                            reason: SwitchReason, on: date, context: TaxContext) -> None:
    found = await assessments.for_switch(assessment_id)
    if found is None:
        raise NotFound("the assessment")
    latest = await assessments.latest_version(found.fiscal_year, found.platform_person_id)
    if found.version != latest:
        raise Conflict(f"version {latest} replaced this assessment: switch that one")
    if found.collection != Method.SPECIAL.value:
        raise Conflict("this assessment is not collected by 特別徴収")
    rules = rules_for(context.rule_book, found.fiscal_year)
    switched = switch_to_ordinary(plan_from_json(found.instalments, None, None), on=on,
                                  reason=reason, fiscal_year=found.fiscal_year,
                                  ordinary_months=rules.ordinary_months)
    await assessments.switch(assessment_id, plan=switched, collection=Method.ORDINARY.value,
                             on=on, reason=reason)
