"""From what was filed (salary reports, the person's declaration) to the facts of one assessment.

Salary and social insurance add up over every employer's report. The household (spouse,
dependants, statuses) is taken from the main report (the largest salary; the lowest employer
number on a tie), unless the person declared it: a declaration is the person's own, later word.
Collection is 特別徴収 through the main employer while it still employs the person, else 普通徴収.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from kyodo_tax.domain.ages import (
    aged_65_or_over,
    dependant_category,
    income_year_end,
    is_minor,
    legal_age,
)
from kyodo_tax.domain.facts import Dependants, Disability, Spouse, TaxpayerFacts, Widowhood
from kyodo_tax.domain.instalments import Method


@dataclass(frozen=True, slots=True)
class Household:
    spouse: Spouse = Spouse.NONE
    dependants: Dependants = field(default_factory=Dependants)
    disability: Disability = Disability.NONE
    widowhood: Widowhood = Widowhood.NONE
    working_student: bool = False


@dataclass(frozen=True, slots=True)
class FiledReport:
    """The part of a stored 給与支払報告書 the assessment uses."""

    employer_number: str
    salary_income: int
    social_insurance: int
    other_deductions: int
    household: Household
    collection: Method
    left_on: date | None


@dataclass(frozen=True, slots=True)
class Declaration:
    """住民税申告: incomes and deductions besides the salary reports, and the household."""

    version: int
    salary_revenue: int = 0
    pension_revenue: int = 0
    other_income: int = 0
    social_insurance: int = 0
    other_deductions: int = 0
    household: Household = field(default_factory=Household)
    # The spouse's and dependants' persons on the platform, where the declaration names them:
    # each assessment event says which of them filed nothing (their certificate shows ＊).
    dependant_persons: tuple[UUID, ...] = ()


def main_report(reports: Sequence[FiledReport]) -> FiledReport | None:
    return min(reports, key=lambda r: (-r.salary_income, r.employer_number), default=None)


def facts_from(*, fiscal_year: int, birth_date: date | None,
               reports: Sequence[FiledReport],
               declaration: Declaration | None) -> tuple[TaxpayerFacts, Method]:
    main = main_report(reports)
    household = (declaration.household if declaration is not None
                 else main.household if main is not None else Household())
    salary = sum(r.salary_income for r in reports)
    insurance = sum(r.social_insurance for r in reports)
    other_deductions = sum(r.other_deductions for r in reports)
    pension = other_income = 0
    if declaration is not None:
        salary += declaration.salary_revenue
        insurance += declaration.social_insurance
        other_deductions += declaration.other_deductions
        pension, other_income = declaration.pension_revenue, declaration.other_income
    facts = TaxpayerFacts(
        fiscal_year=fiscal_year, salary_revenue=salary, pension_revenue=pension,
        aged_65_or_over=birth_date is not None and aged_65_or_over(birth_date, fiscal_year),
        other_income=other_income, social_insurance=insurance,
        other_deductions=other_deductions, spouse=household.spouse,
        dependants=household.dependants, disability=household.disability,
        widowhood=household.widowhood, working_student=household.working_student,
        minor=birth_date is not None and is_minor(birth_date, fiscal_year),
        dependant_persons=declaration.dependant_persons if declaration is not None else (),
    )
    special = main is not None and main.collection is Method.SPECIAL and main.left_on is None
    return facts, Method.SPECIAL if special else Method.ORDINARY


@dataclass(frozen=True, slots=True)
class Member:
    """A spouse or dependant as declared: the category follows from the birth date."""

    birth_date: date
    disability: str = "none"  # none | general | special | special_cohabiting
    cohabiting_parent: bool = False  # 同居老親等 (a parent or grandparent living with them)


def household_from_members(*, fiscal_year: int, spouse: Member | None,
                           dependants: Sequence[Member], disability: Disability,
                           widowhood: Widowhood, working_student: bool) -> Household:
    """Ages on 31 December of the income year decide each member's category."""
    counts = {"general": 0, "specified": 0, "elderly": 0, "elderly_cohabiting": 0,
              "under_16": 0, "disabled_general": 0, "disabled_special": 0,
              "disabled_special_cohabiting": 0}
    for member in dependants:
        category = dependant_category(member.birth_date, fiscal_year).value
        if category == "elderly" and member.cohabiting_parent:
            category = "elderly_cohabiting"
        counts[category] += 1
    for member in ([spouse] if spouse else []) + list(dependants):
        if member.disability != "none":
            counts[f"disabled_{member.disability}"] += 1
    spouse_kind = Spouse.NONE
    if spouse is not None:
        elderly = legal_age(spouse.birth_date, income_year_end(fiscal_year)) >= 70
        spouse_kind = Spouse.ELDERLY if elderly else Spouse.GENERAL
    return Household(spouse=spouse_kind, dependants=Dependants(**counts),
                     disability=disability, widowhood=widowhood,
                     working_student=working_student)
