"""When the tax service assesses (or corrects) a person's tax, keep it for 課税証明書.

The read model stores the assessment in this service's own shape (upstream/tax.py); the tax
service's events are translated into it here, so the certificate code does not follow every
change of the producer's schema.
"""

from __future__ import annotations

import uuid

from kyodo_tax_events import TaxAssessmentChanged

from kyodo_certificates.service_layer.ports import ReadModelsUnitOfWork
from kyodo_certificates.upstream.tax import Income, TaxAssessed
from kyodo_common.events import Envelope

NO_SPOUSE = frozenset({"", "none", "無", "なし"})
# The ＊ record of a dependant has one id per supporter, year and dependant: a newer version
# of the supporter's assessment replaces it.
UNDECLARED = uuid.UUID("6f1c2a4e-52d1-4c1e-9a55-0b7f5c3e8d21")


def from_tax_event(event: TaxAssessmentChanged) -> TaxAssessed | None:
    """The tax service's assessment in this read model's terms; None without a resident id
    (a person not in the register cannot be named on a certificate by this service)."""
    if event.resident_id is None:
        return None
    a = event.amounts
    incomes = []
    if a.salary_revenue or a.salary_income:
        incomes.append(Income(kind="給与", revenue=a.salary_revenue, income=a.salary_income))
    if a.pension_revenue or a.pension_income:
        incomes.append(Income(kind="公的年金等", revenue=a.pension_revenue,
                              income=a.pension_income))
    if a.other_income:
        incomes.append(Income(kind="その他", income=a.other_income))
    return TaxAssessed(
        assessment_id=event.assessment_id, version=event.version,
        municipality_code=event.municipality_code, fiscal_year=event.fiscal_year,
        resident_id=event.resident_id, address_on_january_1=event.january_first_address,
        incomes=tuple(incomes), total_income=a.total_income, deductions=a.deductions_total,
        taxable_income=a.taxable_base, municipal_income_levy=a.income_levy_municipal,
        prefectural_income_levy=a.income_levy_prefectural,
        municipal_per_capita=a.per_capita_municipal,
        prefectural_per_capita=a.per_capita_prefectural, forest_env=a.forest_environment_tax,
        total=0 if a.non_taxable else a.total, spouse_deduction=a.spouse not in NO_SPOUSE,
        dependants=a.dependants, assessed_on=event.assessed_on)


def undeclared_dependants(event: TaxAssessmentChanged) -> list[TaxAssessed]:
    """A ＊ record (DOMAIN.md §5) for each spouse or dependant the taxpayer declared by person
    who, at this assessment, had declared nothing of their own."""
    return [TaxAssessed(
        assessment_id=uuid.uuid5(UNDECLARED, f"{event.municipality_code}/{event.fiscal_year}/"
                                             f"{event.platform_person_id}/"
                                             f"{p.platform_person_id}"),
        version=event.version, municipality_code=event.municipality_code,
        fiscal_year=event.fiscal_year, resident_id=p.resident_id,
        address_on_january_1=p.january_first_address, declared=False, total_income=0,
        deductions=0, taxable_income=0, municipal_income_levy=0, prefectural_income_levy=0,
        municipal_per_capita=0, prefectural_per_capita=0, total=0,
        assessed_on=event.assessed_on, dependant_of=event.platform_person_id)
        for p in event.dependant_persons if not p.declared]


async def when_tax_is_assessed_update_assessments(
    uow: ReadModelsUnitOfWork, event: TaxAssessed, envelope: Envelope
) -> None:
    """Upsert by assessment; an older version never overwrites a newer one."""
    values = {"assessment_id": event.assessment_id,
              "municipality_code": event.municipality_code, "resident_id": event.resident_id,
              "fiscal_year": event.fiscal_year, "version": event.version,
              "facts": event.model_dump(mode="json"), "dependant_of": event.dependant_of}
    await uow.read_models.keep_tax_assessment(values)


async def when_tax_assessment_changes_update_assessments(
    uow: ReadModelsUnitOfWork, event: TaxAssessmentChanged, envelope: Envelope
) -> None:
    """The subscription to kyodo.tax.v1 (TaxAssessed and TaxAssessmentCorrected)."""
    facts = from_tax_event(event)
    if facts is not None:
        await when_tax_is_assessed_update_assessments(uow, facts, envelope)
    undeclared = undeclared_dependants(event)
    for record in undeclared:
        await when_tax_is_assessed_update_assessments(uow, record, envelope)
    # A newer version that no longer names someone as an undeclared dependant (they declared,
    # or left the household) takes back their ＊ record; an older one, arriving late, does not.
    # A first version has nothing older to take back (most events of a bulk run).
    if event.version == 1:
        return
    await uow.read_models.drop_undeclared(dependant_of=event.platform_person_id,
                                          fiscal_year=event.fiscal_year,
                                          older_than=event.version,
                                          keep=[r.assessment_id for r in undeclared])
