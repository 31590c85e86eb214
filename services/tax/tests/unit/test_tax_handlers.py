"""The tax use cases against fake stores: assessing one person, switching its collection,
declaring, requesting a bulk job (no PostgreSQL; the integration tests keep the real stores
honest)."""

from __future__ import annotations

import uuid
from datetime import date
from uuid import UUID

import pytest
from tax_fakes import FakeAssessments, FakeBulkJobs, FakeDeclarations, FakeRegister
from tax_kit import NAGAOKA, R7, RULES

from kyodo_common.errors import Conflict, NotFound, RuleBroken
from kyodo_tax.domain.inputs import Declaration, FiledReport, Household
from kyodo_tax.domain.instalments import Method, SwitchReason
from kyodo_tax.service_layer.assess_one import assess_person
from kyodo_tax.service_layer.bulk import request_bulk_assessment
from kyodo_tax.service_layer.collection import switch_collection
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.declarations import declare

CODE = "152021"
CONTEXT = TaxContext(rule_book=RULES)
TODAY = date(2025, 6, 1)


def _report(salary: int = 4_000_000) -> FiledReport:
    return FiledReport("00012345", salary, salary // 10, 0, Household(), Method.SPECIAL, None)


def _taxpayer(register: FakeRegister, assessments: FakeAssessments, *,
              since: date = date(2020, 4, 1), salary: int = 4_000_000) -> UUID:
    person = uuid.uuid4()
    register.register(person, uuid.uuid4(), since=since)
    assessments.reports[person] = [_report(salary)]
    return person


async def _assess(assessments: FakeAssessments, register: FakeRegister,
                  person: UUID) -> tuple[UUID, bool]:
    return await assess_person(assessments=assessments, register=register, code=CODE,
                               fiscal_year=R7, platform_person_id=person, context=CONTEXT,
                               today=TODAY)


async def test_a_first_assessment_is_written_then_the_same_inputs_give_no_new_version() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments()
    person = _taxpayer(register, assessments)

    first, created = await _assess(assessments, register, person)
    again, created_again = await _assess(assessments, register, person)

    assert created and not created_again and again == first
    assert [s.item.outcome.version for s in assessments.stored.values()] == [1]


async def test_new_inputs_give_a_correction_with_the_difference() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments()
    person = _taxpayer(register, assessments)
    first, _ = await _assess(assessments, register, person)
    assessments.reports[person] = [_report(5_000_000)]

    second, created = await _assess(assessments, register, person)

    correction = assessments.stored[second].item.outcome
    assert created and second != first and correction.version == 2
    assert correction.difference == (correction.result.total
                                     - assessments.stored[first].item.outcome.result.total)
    assert correction.difference > 0


async def test_a_person_not_registered_here_on_1_january_is_refused() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments()
    person = _taxpayer(register, assessments, since=date(R7, 1, 2))  # arrived on 2 January

    with pytest.raises(RuleBroken) as refused:
        await _assess(assessments, register, person)

    assert refused.value.kind == "not-registered-on-1-january"
    assert refused.value.invalid_params[0]["name"] == "platform_person_id"
    assert assessments.stored == {}


async def test_without_the_tenants_amounts_no_one_is_assessed() -> None:
    register, assessments = FakeRegister(config=None), FakeAssessments()
    person = _taxpayer(register, assessments)

    with pytest.raises(Conflict) as refused:
        await _assess(assessments, register, person)

    assert refused.value.kind == "tax-configuration-missing"


async def test_a_person_with_no_income_data_is_not_assessable() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments()
    person = _taxpayer(register, assessments)
    del assessments.reports[person]

    with pytest.raises(RuleBroken) as refused:
        await _assess(assessments, register, person)

    assert refused.value.kind == "not-assessable" and assessments.stored == {}


async def test_a_version_taken_by_another_transaction_is_a_conflict() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments(taken_meanwhile=True)
    person = _taxpayer(register, assessments)

    with pytest.raises(Conflict):
        await _assess(assessments, register, person)


async def test_switching_collection_bills_what_the_employer_would_still_have_withheld() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments()
    person = _taxpayer(register, assessments)
    assessment_id, _ = await _assess(assessments, register, person)
    before = assessments.stored[assessment_id].plan

    await switch_collection(assessments=assessments, assessment_id=assessment_id,
                            reason=SwitchReason.LEFT_JOB, on=date(R7, 9, 30), context=CONTEXT)

    stored = assessments.stored[assessment_id]
    assert stored.collection == Method.ORDINARY.value
    assert stored.switched == (date(R7, 9, 30), SwitchReason.LEFT_JOB)
    assert sum(stored.plan.amounts) == sum(before.amounts)
    assert Method.ORDINARY in stored.plan.methods


async def test_only_the_latest_special_collection_version_can_be_switched() -> None:
    register, assessments = FakeRegister(NAGAOKA), FakeAssessments()
    person = _taxpayer(register, assessments)
    first, _ = await _assess(assessments, register, person)
    assessments.reports[person] = [_report(5_000_000)]
    await _assess(assessments, register, person)

    with pytest.raises(Conflict, match="version 2 replaced"):
        await switch_collection(assessments=assessments, assessment_id=first,
                                reason=SwitchReason.DIED, on=date(R7, 9, 30), context=CONTEXT)
    with pytest.raises(NotFound):
        await switch_collection(assessments=assessments, assessment_id=uuid.uuid4(),
                                reason=SwitchReason.DIED, on=date(R7, 9, 30), context=CONTEXT)


async def test_a_declaration_of_a_known_person_takes_the_next_version_under_a_lock() -> None:
    register, declarations = FakeRegister(NAGAOKA), FakeDeclarations()
    person = uuid.uuid4()
    register.register(person, uuid.uuid4(), since=date(2020, 4, 1))

    first = await declare(declarations=declarations, register=register, code=CODE,
                          fiscal_year=R7, platform_person_id=person,
                          declaration=Declaration(version=0, other_income=100_000), actor="t")
    second = await declare(declarations=declarations, register=register, code=CODE,
                           fiscal_year=R7, platform_person_id=person,
                           declaration=Declaration(version=0, other_income=90_000), actor="t")

    assert (first.version, second.version) == (1, 2)
    assert declarations.locks == [(CODE, R7, person)] * 2


async def test_a_declaration_of_an_unknown_person_stores_nothing() -> None:
    declarations = FakeDeclarations()
    with pytest.raises(NotFound):
        await declare(declarations=declarations, register=FakeRegister(NAGAOKA), code=CODE,
                      fiscal_year=R7, platform_person_id=uuid.uuid4(),
                      declaration=Declaration(version=0), actor="t")
    assert declarations.rows == []


async def test_a_second_bulk_job_of_the_same_year_is_refused_naming_the_first() -> None:
    jobs, register = FakeBulkJobs(), FakeRegister(NAGAOKA)
    first = await request_bulk_assessment(jobs=jobs, register=register, code=CODE,
                                          fiscal_year=R7, actor="t", context=CONTEXT)

    with pytest.raises(Conflict, match=str(first)):
        await request_bulk_assessment(jobs=jobs, register=register, code=CODE,
                                      fiscal_year=R7, actor="t", context=CONTEXT)
    assert list(jobs.jobs) == [first]


async def test_a_bulk_job_of_a_year_without_rules_is_refused_naming_the_field() -> None:
    jobs = FakeBulkJobs()
    with pytest.raises(RuleBroken) as refused:
        await request_bulk_assessment(jobs=jobs, register=FakeRegister(NAGAOKA), code=CODE,
                                      fiscal_year=1999, actor="t", context=CONTEXT)
    assert refused.value.invalid_params[0]["name"] == "fiscal_year" and jobs.jobs == {}
