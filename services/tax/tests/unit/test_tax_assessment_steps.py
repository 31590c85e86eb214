"""The pipeline of DOMAIN.md §4 step by step: 課税標準, rates, 調整控除 (both branches, the
split, the 25,000,000 cut-off), the floor of each part, 均等割 and 森林環境税; the self-check."""

from __future__ import annotations

import pytest
from tax_kit import DESIGNATED, NAGAOKA, R3, R5, R6, R7, RULES, TSUKUBA, config, tax

from kyodo_tax.domain.facts import Dependants, Spouse, TaxpayerFacts
from kyodo_tax.domain.money import Rate, floor_to
from kyodo_tax.domain.versions import inputs_hash


def test_the_self_check_of_domain_md() -> None:
    """総所得 3,250,000, 所得控除 1,986,250, D = 330,000, 均等割 3,500 / 1,500, no 森林環境税.

    Inputs that give exactly those sums in fiscal year R5 (whose rule set adds the 500-yen
    復興 surcharge to each of the tenant's 3,000 / 1,000 and has no 森林環境税):
    other income 3,250,000; deductions 430,000 basic + 330,000 spouse + 450,000 specified
    + 330,000 general dependant + 446,250 social insurance = 1,986,250; D = 50,000 + 50,000
    + 180,000 + 50,000 = 330,000.
    課税標準 floor(1,263,750) = 1,263,000; 市 6 % 75,780, 県 4 % 50,520; 課税標準 ≤ 2,000,000:
    credit min(330,000, 1,263,000) × 5 % = 16,500 → 市 9,900, 県 6,600; 市 65,880 → 65,800,
    県 43,920 → 43,900; + 3,500 → 69,300; + 1,500 → 45,400; total 114,700.
    """
    a = tax(R5, other_income=3_250_000, social_insurance=446_250, spouse=Spouse.GENERAL,
            dependants=Dependants(general=1, specified=1))
    assert (a.total_income, a.deductions_total, a.personal_difference) == (
        3_250_000, 1_986_250, 330_000)
    assert a.taxable_base == 1_263_000
    assert (a.income_levy_municipal_gross, a.income_levy_prefectural_gross) == (75_780, 50_520)
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (9_900, 6_600)
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (65_800, 43_900)
    assert (a.per_capita_municipal, a.per_capita_prefectural) == (3_500, 1_500)
    assert a.forest_environment_tax == 0
    assert (a.municipal_total, a.prefectural_total, a.total) == (69_300, 45_400, 114_700)


@pytest.mark.parametrize(("remaining", "base"), [
    (1_263_750, 1_263_000), (1_000, 1_000), (999, 0), (0, 0), (-5_000, 0)])
def test_taxable_base_is_floored_to_1000_and_never_negative(remaining: int, base: int) -> None:
    a = tax(other_income=430_000 + max(remaining, 0),
            social_insurance=max(-remaining, 0))
    assert a.taxable_base == base


def test_standard_and_designated_city_rates() -> None:
    standard = tax(other_income=5_430_000)  # 課税標準 5,000,000
    designated = tax(other_income=5_430_000, tenant=DESIGNATED)
    assert (standard.income_levy_municipal_gross, standard.income_levy_prefectural_gross) == (
        300_000, 200_000)
    assert (designated.income_levy_municipal_gross,
            designated.income_levy_prefectural_gross) == (400_000, 100_000)


def test_credit_at_or_below_2_000_000_is_the_smaller_of_d_and_the_base() -> None:
    small = tax(other_income=430_000 + 21_000)  # base 21,000 < D 50,000
    assert (small.adjustment_credit_municipal, small.adjustment_credit_prefectural) == (630, 420)
    at_limit = tax(other_income=2_430_000)  # base exactly 2,000,000: still the first branch
    assert at_limit.taxable_base == 2_000_000
    assert (at_limit.adjustment_credit_municipal, at_limit.adjustment_credit_prefectural) == (
        1_500, 1_000)


def test_credit_above_2_000_000_shrinks_with_the_excess_down_to_50_000() -> None:
    family = {"spouse": Spouse.GENERAL, "dependants": Dependants(general=1, specified=1)}
    deductions = 430_000 + 330_000 + 450_000 + 330_000
    # D 330,000; base 2,100,000: max(330,000 − 100,000, 50,000) = 230,000 → 6,900 / 4,600
    a = tax(other_income=deductions + 2_100_000, **family)
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (6_900, 4_600)
    # base 2,280,000: 330,000 − 280,000 = 50,000 → the floor exactly
    b = tax(other_income=deductions + 2_280_000, **family)
    assert (b.adjustment_credit_municipal, b.adjustment_credit_prefectural) == (1_500, 1_000)
    # base 3,000,000: below the floor, so 50,000 → 1,500 / 1,000
    c = tax(other_income=deductions + 3_000_000, **family)
    assert (c.adjustment_credit_municipal, c.adjustment_credit_prefectural) == (1_500, 1_000)


def test_designated_city_splits_the_credit_4_and_1() -> None:
    a = tax(other_income=430_000 + 1_000_000, tenant=DESIGNATED)
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (2_000, 500)


def test_each_credit_part_is_truncated_to_the_yen() -> None:
    """No base from the shipped tables is ever fractional (bases are multiples of 1,000), so
    the truncation is shown on the rates themselves: 3 % of 12,345 is 370.35 → 370."""
    assert Rate.parse("0.03").of(12_345) == 370
    assert Rate.parse("0.02").of(12_345) == 246
    assert Rate.parse("0.9").of(8_499_999) == 7_649_999
    assert floor_to(65_880, 100) == 65_800 and floor_to(-1, 100) == 0


def test_no_credit_above_25_000_000() -> None:
    a = tax(other_income=25_000_001)
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (0, 0)
    assert a.deduction_basic == 0 and a.taxable_base == 25_000_000
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (1_500_000, 1_000_000)
    assert tax(other_income=25_000_000).adjustment_credit_municipal == 1_500


def test_each_part_is_floored_to_100_after_the_credit() -> None:
    """base 21,000: 市 1,260 − 630 = 630 → 600; 県 840 − 420 = 420 → 400."""
    a = tax(other_income=451_000)
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (600, 400)


@pytest.mark.parametrize(("fiscal_year", "municipal", "prefectural", "forest"), [
    (R3, 3_500, 1_500, 0), (R5, 3_500, 1_500, 0), (R6, 3_000, 1_000, 1_000),
    (R7, 3_000, 1_000, 1_000)])
def test_per_capita_from_the_tenant_plus_surcharges_and_forest_tax_from_r6(
        fiscal_year: int, municipal: int, prefectural: int, forest: int) -> None:
    a = tax(fiscal_year, other_income=3_000_000)
    assert (a.per_capita_municipal, a.per_capita_prefectural,
            a.forest_environment_tax) == (municipal, prefectural, forest)


def test_tenant_amounts_are_configuration() -> None:
    assert tax(other_income=3_000_000, tenant=TSUKUBA).per_capita_prefectural == 2_000
    own = config(per_capita_municipal=3_300, per_capita_prefectural=1_200,
                 forest_environment_tax=900)
    a = tax(other_income=3_000_000, tenant=own)
    assert (a.per_capita_municipal, a.per_capita_prefectural,
            a.forest_environment_tax) == (3_300, 1_200, 900)
    assert tax(other_income=3_000_000, tenant=NAGAOKA).total > 0


def test_a_municipality_with_its_own_income_levy_rates() -> None:
    """超過課税 6.5 % / 4.025 % (tenant configuration, DOMAIN.md §1) on 課税標準 1,730,000:
    市 112,450, 県 69,632 (truncated); 調整控除 keeps 3 % / 2 % of 50,000: 1,500 / 1,000;
    市 110,950 → 110,900, 県 68,632 → 68,600. Total 110,900 + 68,600 + 5,000 = 184,500
    (standard: 175,500)."""
    own = config(income_levy_rates=(Rate.parse("0.065"), Rate.parse("0.04025")))
    a = tax(salary_revenue=4_000_000, social_insurance=600_000, tenant=own)
    assert (a.income_levy_municipal_gross, a.income_levy_prefectural_gross) == (
        112_450, 69_632)
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (1_500, 1_000)
    assert (a.income_levy_municipal, a.income_levy_prefectural, a.total) == (
        110_900, 68_600, 184_500)
    designated = config(designated_city=True,
                        income_levy_rates=(Rate.parse("0.08025"), Rate.parse("0.02")))
    b = tax(salary_revenue=4_000_000, social_insurance=600_000, tenant=designated)
    assert (b.income_levy_municipal_gross, b.adjustment_credit_municipal) == (138_832, 2_000)


def test_own_rates_change_the_inputs_hash_and_the_standard_ones_do_not() -> None:
    facts = TaxpayerFacts(fiscal_year=R7, salary_revenue=4_000_000)
    rules = RULES.for_year(R7)
    standard = inputs_hash(facts, config(), rules)
    own = inputs_hash(facts, config(income_levy_rates=(Rate.parse("0.065"),
                                                       Rate.parse("0.04"))), rules)
    assert own != standard
    assert standard == inputs_hash(facts, config(income_levy_rates=None), rules)
