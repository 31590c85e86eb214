"""Assessing one person (a first assessment, or a correction after new inputs)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from kyodo_common.errors import Conflict, RuleBroken
from kyodo_tax.service_layer.assessing import assess_taxpayers
from kyodo_tax.service_layer.context import SOURCE, TaxContext
from kyodo_tax.service_layer.lookups import rules_for, tax_config, taxpayer_on_january_first
from kyodo_tax.service_layer.ports import AssessedMeanwhile, AssessmentStore, RegisterView


def _unprocessable(kind: str, title: str, detail: str) -> RuleBroken:
    return RuleBroken(detail,
                      title=title,
                      kind=kind,
                      invalid_params=[{"name": "platform_person_id", "reason": detail}])


async def assess_person(*, assessments: AssessmentStore, register: RegisterView, code: str,
                        fiscal_year: int, platform_person_id: UUID, context: TaxContext,
                        today: date) -> tuple[UUID, bool]:
    """(the assessment's id, whether it is a new version); the same inputs give no new one."""
    rules = rules_for(context.rule_book, fiscal_year)
    config = await tax_config(register)
    taxpayer = await taxpayer_on_january_first(register, platform_person_id, fiscal_year)
    if taxpayer is None:
        raise _unprocessable("not-registered-on-1-january", "Not registered on 1 January",
                             f"the person was not registered in this municipality at the end "
                             f"of 1 January {fiscal_year}: another municipality taxes them")
    batch = await assess_taxpayers(await assessments.inputs(), [taxpayer], rules=rules,
                                   config=config, allow_unverified=context.allow_unverified,
                                   today=today)
    if batch.refused:
        raise _unprocessable("not-assessable", "Not assessable", batch.refused[0][1])
    if batch.unchanged:
        return await assessments.latest_id(fiscal_year, platform_person_id), False
    try:
        await assessments.write(batch.assessed, municipality_code=code, assessed_on=today,
                                source=SOURCE)
    except AssessedMeanwhile:
        raise Conflict("the person was assessed at the same moment: read the assessments "
                       "and try again if the inputs changed") from None
    return batch.assessed[0].id, True
