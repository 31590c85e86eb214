"""From filed salary reports and a declaration to one assessment's facts and collection."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from kyodo_common.errors import InvalidInput
from kyodo_tax.api.schemas import DeclarationCreate
from kyodo_tax.domain.facts import Dependants, Disability, Spouse, Widowhood
from kyodo_tax.domain.inputs import (
    Declaration,
    FiledReport,
    Household,
    Member,
    facts_from,
    household_from_members,
)
from kyodo_tax.domain.instalments import Method

FAMILY = Household(spouse=Spouse.GENERAL, dependants=Dependants(general=1))


def _report(employer: str, salary: int, *, household: Household = FAMILY,
            left_on: date | None = None) -> FiledReport:
    return FiledReport(employer, salary, salary // 10, 0, household, Method.SPECIAL, left_on)


def test_salaries_add_up_and_the_main_employer_gives_the_household() -> None:
    facts, method = facts_from(fiscal_year=2026, birth_date=date(1980, 4, 1), reports=[
        _report("00000002", 1_000_000, household=Household()),
        _report("00000001", 3_000_000)], declaration=None)
    assert (facts.salary_revenue, facts.social_insurance) == (4_000_000, 400_000)
    assert facts.spouse is Spouse.GENERAL and facts.dependants.general == 1
    assert method is Method.SPECIAL and not facts.minor and not facts.aged_65_or_over


def test_a_declaration_adds_income_and_replaces_the_household() -> None:
    declared = Declaration(version=2, pension_revenue=1_500_000, other_income=200_000,
                           social_insurance=50_000,
                           household=Household(widowhood=Widowhood.SINGLE_MOTHER))
    facts, _method = facts_from(fiscal_year=2026, birth_date=date(1958, 6, 1),
                               reports=[_report("00000001", 2_000_000)],
                               declaration=declared)
    assert (facts.salary_revenue, facts.pension_revenue, facts.other_income) == (
        2_000_000, 1_500_000, 200_000)
    assert facts.social_insurance == 250_000 and facts.spouse is Spouse.NONE
    assert facts.widowhood is Widowhood.SINGLE_MOTHER and facts.aged_65_or_over


def test_collection_is_ordinary_without_an_employer_or_after_leaving() -> None:
    _, alone = facts_from(fiscal_year=2026, birth_date=None, reports=[],
                          declaration=Declaration(version=1, other_income=3_000_000))
    _, left = facts_from(fiscal_year=2026, birth_date=None,
                         reports=[_report("00000001", 2_000_000, left_on=date(2025, 9, 30))],
                         declaration=None)
    assert alone is Method.ORDINARY and left is Method.ORDINARY


def test_household_from_declared_members_by_age_on_31_december() -> None:
    household = household_from_members(
        fiscal_year=2026, spouse=Member(date(1955, 5, 5)), dependants=[
            Member(date(2005, 3, 3)), Member(date(2012, 8, 8)),
            Member(date(1940, 1, 1), cohabiting_parent=True, disability="special_cohabiting"),
            Member(date(1990, 1, 1), disability="general")],
        disability=Disability.NONE, widowhood=Widowhood.NONE, working_student=False)
    assert household.spouse is Spouse.ELDERLY  # 70 on 31 December 2025
    d = household.dependants
    assert (d.specified, d.under_16, d.elderly_cohabiting, d.general) == (1, 1, 1, 1)
    assert (d.disabled_special_cohabiting, d.disabled_general) == (1, 1)


def test_a_declaration_names_its_dependants_persons_once_and_never_the_taxpayer() -> None:
    me, wife, son = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def body(spouse: uuid.UUID | None, *dependants: uuid.UUID | None) -> DeclarationCreate:
        return DeclarationCreate.model_validate({
            "fiscal_year": 2026, "platform_person_id": str(me),
            "spouse": {"birth_date": "1982-07-07",
                       "platform_person_id": str(spouse) if spouse else None},
            "dependants": [{"birth_date": "2010-01-01",
                            "platform_person_id": str(d) if d else None} for d in dependants]})

    assert body(wife, None, son).declaration().dependant_persons == (wife, son)
    assert facts_from(fiscal_year=2026, birth_date=None, reports=[],
                      declaration=body(wife, son).declaration())[0].dependant_persons == (
        wife, son)
    for bad, field in ((body(me), "spouse.platform_person_id"),
                       (body(wife, son, wife), "dependants.1.platform_person_id")):
        with pytest.raises(InvalidInput) as refused:
            bad.declaration()
        assert refused.value.invalid_params[0]["name"] == field
