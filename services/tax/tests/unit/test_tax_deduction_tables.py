"""Pensions (the whole table, verified), 基礎控除 tiers, spouse
tiers and the 人的控除差 amounts (DOMAIN.md §4, steps 1, 2 and 5)."""

from __future__ import annotations

import pytest
from tax_kit import NAGAOKA, R7, RULES, tax, with_unverified

from kyodo_tax.domain.assessment import UnverifiedRule, assess
from kyodo_tax.domain.facts import Dependants, Disability, Spouse, TaxpayerFacts, Widowhood


@pytest.mark.parametrize(("revenue", "income"), [
    (0, 0), (1_100_000, 0), (1_100_001, 1), (2_500_000, 1_400_000), (3_300_000, 2_200_000)])
def test_pensions_at_65_or_over_up_to_3_300_000_lose_1_100_000(revenue: int,
                                                               income: int) -> None:
    assert RULES.for_year(R7).pension_65_or_over.apply(revenue) == (income, True)


@pytest.mark.parametrize(("revenue", "income"), [
    (3_300_001, 2_200_000), (4_100_000, 2_800_000), (7_700_000, 5_860_000),
    (10_000_000, 8_045_000), (12_000_000, 10_045_000)])
def test_other_65_plus_rows_are_verified_and_continuous(revenue: int, income: int) -> None:
    assert RULES.for_year(R7).pension_65_or_over.apply(revenue) == (income, True)


@pytest.mark.parametrize(("revenue", "income"), [
    (600_000, 0), (1_000_000, 400_000), (1_299_999, 699_999), (1_300_000, 700_000)])
def test_pensions_under_65(revenue: int, income: int) -> None:
    assert RULES.for_year(R7).pension_under_65.apply(revenue) == (income, True)


def test_an_unverified_row_refuses_the_assessment_unless_enabled() -> None:
    rules = with_unverified(
        '{ below = 1_300_001, base = "income", rate = "1", add = -600_000 }',
        '{ below = 1_300_001, base = "income", rate = "1", add = -600_000, verified = false }')
    facts = TaxpayerFacts(fiscal_year=R7, pension_revenue=1_000_000)
    with pytest.raises(UnverifiedRule, match=r"pension_income\.under_65"):
        assess(facts, rules, NAGAOKA)
    assert assess(facts, rules, NAGAOKA, allow_unverified=True).unverified_rules == (
        "pension_income.under_65",)
    assert tax(pension_revenue=1_000_000).unverified_rules == ()  # the shipped R7


@pytest.mark.parametrize(("total_income", "basic"), [
    (0, 430_000), (24_000_000, 430_000), (24_000_001, 290_000), (24_500_000, 290_000),
    (24_500_001, 150_000), (25_000_000, 150_000), (25_000_001, 0), (40_000_000, 0)])
def test_basic_deduction_tiers(total_income: int, basic: int) -> None:
    assert RULES.for_year(R7).basic.pick(total_income) == ((basic,), True)
    assert tax(other_income=total_income, allow_unverified=True).deduction_basic == basic


@pytest.mark.parametrize(("total_income", "general", "elderly", "verified"), [
    (9_000_000, 330_000, 380_000, True), (9_000_001, 220_000, 260_000, True),
    (9_500_001, 110_000, 130_000, True), (10_000_001, 0, 0, True)])
def test_spouse_deduction_tiers_by_the_taxpayers_income(total_income: int, general: int,
                                                         elderly: int, verified: bool) -> None:
    assert RULES.for_year(R7).spouse.pick(total_income) == ((general, elderly), verified)


def test_dependant_and_status_deductions() -> None:
    a = tax(other_income=5_000_000, social_insurance=123_456, other_deductions=40_000,
            spouse=Spouse.ELDERLY, disability=Disability.SPECIAL, widowhood=Widowhood.WIDOW,
            working_student=True,
            dependants=Dependants(general=1, specified=1, elderly=1, elderly_cohabiting=1,
                                  under_16=2, disabled_general=1, disabled_special_cohabiting=1))
    assert a.deduction_spouse == 380_000
    assert a.deduction_dependants == 330_000 + 450_000 + 380_000 + 450_000
    assert a.deduction_disability == 300_000 + 260_000 + 530_000
    assert (a.deduction_widowhood, a.deduction_working_student) == (260_000, 260_000)
    assert a.deductions_total == (430_000 + 123_456 + 40_000 + 380_000 + 1_610_000
                                  + 1_090_000 + 260_000 + 260_000)
    # D: basic 50,000, elderly spouse 100,000, dependants 50+180+100+130 thousand, disability
    # 100,000 (own, special) + 10,000 + 220,000, widow 10,000, working student 10,000.
    assert a.personal_difference == 50_000 + 100_000 + 460_000 + 330_000 + 10_000 + 10_000
    assert a.household_size == 1 + 1 + 6


@pytest.mark.parametrize(("widowhood", "deduction", "difference"), [
    (Widowhood.WIDOW, 260_000, 10_000), (Widowhood.SINGLE_MOTHER, 300_000, 50_000),
    (Widowhood.SINGLE_FATHER, 300_000, 10_000)])
def test_widow_and_single_parents(widowhood: Widowhood, deduction: int,
                                  difference: int) -> None:
    a = tax(other_income=3_000_000, widowhood=widowhood)
    assert (a.deduction_widowhood, a.personal_difference) == (deduction, 50_000 + difference)


def test_spouse_difference_tiers_above_9_000_000_are_applied_by_default() -> None:
    a = tax(other_income=9_200_000, spouse=Spouse.GENERAL)
    assert (a.deduction_spouse, a.personal_difference) == (220_000, 50_000 + 40_000)
