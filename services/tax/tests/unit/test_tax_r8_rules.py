"""令和8年度 (R8): every rule DOMAIN.md §4 states as verified for it, applied by default (no
setting), each checked where a broken amount, rate or boundary would change the result."""

from __future__ import annotations

import pytest
from tax_kit import DESIGNATED, R8, RULES, tax

from kyodo_tax.domain.facts import Dependants, Spouse

R8_RULES = RULES.for_year(R8)


# 公的年金等控除, 65 or over: ≤ 3,300,000 − 1,100,000; ≤ 4,100,000 × 0.75 − 275,000;
# ≤ 7,700,000 × 0.85 − 685,000; ≤ 10,000,000 × 0.95 − 1,455,000; above − 1,955,000.
# The rows meet at their bounds, so 1,000 yen either side of each bound shows where it is.
NEAR_BOUNDS = [(4_099_000, 2_799_250), (4_101_000, 2_800_850), (7_699_000, 5_859_150),
               (7_701_000, 5_860_950), (9_999_000, 8_044_050), (10_001_000, 8_046_000)]


@pytest.mark.parametrize(("revenue", "income"), [*NEAR_BOUNDS, (3_299_000, 2_199_000),
                                                 (3_301_000, 2_200_750),
    (1_100_000, 0), (1_100_001, 1), (3_300_000, 2_200_000),
    (3_300_001, 2_200_000), (3_700_000, 2_500_000), (4_100_000, 2_800_000),
    (4_100_001, 2_800_000), (6_000_000, 4_415_000), (7_700_000, 5_860_000),
    (7_700_001, 5_860_000), (9_000_000, 7_095_000), (10_000_000, 8_045_000),
    (10_000_001, 8_045_001), (12_000_000, 10_045_000)])
def test_r8_pensions_at_65_or_over(revenue: int, income: int) -> None:
    assert R8_RULES.pension_65_or_over.apply(revenue) == (income, True)
    assert tax(R8, pension_revenue=revenue, aged_65_or_over=True).pension_income == income


# Under 65: ≤ 1,300,000 − 600,000, then the same rows as at 65 or over.
@pytest.mark.parametrize(("revenue", "income"), [*NEAR_BOUNDS, (1_299_000, 699_000),
                                                 (1_301_000, 700_750),
    (600_000, 0), (600_001, 1), (1_000_000, 400_000), (1_300_000, 700_000),
    (1_300_001, 700_000), (2_000_000, 1_225_000), (4_100_000, 2_800_000),
    (5_000_000, 3_565_000), (7_700_000, 5_860_000), (9_000_000, 7_095_000),
    (10_000_000, 8_045_000), (11_000_000, 9_045_000)])
def test_r8_pensions_under_65(revenue: int, income: int) -> None:
    assert R8_RULES.pension_under_65.apply(revenue) == (income, True)
    assert tax(R8, pension_revenue=revenue).pension_income == income


# 配偶者控除 by the taxpayer's 合計所得 (general / 老人) and its 人的控除差 for 調整控除.
@pytest.mark.parametrize(("total_income", "deduction", "difference"), [
    (5_000_000, (330_000, 380_000), (50_000, 100_000)),
    (9_000_000, (330_000, 380_000), (50_000, 100_000)),
    (9_000_001, (220_000, 260_000), (40_000, 60_000)),
    (9_500_000, (220_000, 260_000), (40_000, 60_000)),
    (9_500_001, (110_000, 130_000), (20_000, 30_000)),
    (10_000_000, (110_000, 130_000), (20_000, 30_000)),
    (10_000_001, (0, 0), (0, 0))])
def test_r8_spouse_deduction_tiers(total_income: int, deduction: tuple[int, int],
                                   difference: tuple[int, int]) -> None:
    for kind, amount, diff in zip((Spouse.GENERAL, Spouse.ELDERLY), deduction, difference,
                                  strict=True):
        a = tax(R8, other_income=total_income, spouse=kind)
        assert (a.deduction_spouse, a.personal_difference - 50_000) == (amount, diff)
        assert a.unverified_rules == ()


def test_r8_adjustment_credit_up_to_2_000_000_of_taxable_base() -> None:
    """min(D, 課税標準) × 5 %, 3 % / 2 %: base 21,000 < D 50,000 → 630 / 420; base
    2,000,000 (still this branch) → 1,500 / 1,000."""
    small = tax(R8, other_income=430_000 + 21_000)
    assert (small.adjustment_credit_municipal, small.adjustment_credit_prefectural) == (630, 420)
    at = tax(R8, other_income=2_430_000)
    assert at.taxable_base == 2_000_000
    assert (at.adjustment_credit_municipal, at.adjustment_credit_prefectural) == (1_500, 1_000)


def test_r8_adjustment_credit_above_2_000_000_with_its_50_000_floor() -> None:
    """D = 50,000 + spouse 50,000 + general 50,000 + specified 180,000 = 330,000.
    base 2,100,000: 330,000 − 100,000 = 230,000 → 6,900 / 4,600; base 3,000,000: the floor
    50,000 → 1,500 / 1,000; 指定都市: 4 % / 1 % of 230,000 → 9,200 / 2,300."""
    family = {"spouse": Spouse.GENERAL, "dependants": Dependants(general=1, specified=1)}
    deductions = 430_000 + 330_000 + 330_000 + 450_000
    a = tax(R8, other_income=deductions + 2_100_000, **family)  # type: ignore[arg-type]
    assert a.personal_difference == 330_000
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (6_900, 4_600)
    b = tax(R8, other_income=deductions + 3_000_000, **family)  # type: ignore[arg-type]
    assert (b.adjustment_credit_municipal, b.adjustment_credit_prefectural) == (1_500, 1_000)
    c = tax(R8, other_income=deductions + 2_100_000, tenant=DESIGNATED,
            **family)  # type: ignore[arg-type]
    assert (c.adjustment_credit_municipal, c.adjustment_credit_prefectural) == (9_200, 2_300)


def test_r8_no_adjustment_credit_above_25_000_000_of_total_income() -> None:
    """合計所得 25,000,000: 基礎控除 150,000, 課税標準 24,850,000, credit 50,000 → 1,500 /
    1,000; 市 1,491,000 − 1,500 = 1,489,500, 県 994,000 − 1,000 = 993,000.
    25,000,001: no 基礎控除, no credit: 1,500,000 and 1,000,000."""
    at = tax(R8, other_income=25_000_000)
    assert (at.adjustment_credit_municipal, at.adjustment_credit_prefectural) == (1_500, 1_000)
    assert (at.income_levy_municipal, at.income_levy_prefectural) == (1_489_500, 993_000)
    above = tax(R8, other_income=25_000_001)
    assert (above.adjustment_credit_municipal, above.adjustment_credit_prefectural) == (0, 0)
    assert (above.income_levy_municipal, above.income_levy_prefectural) == (
        1_500_000, 1_000_000)
    assert above.unverified_rules == ()
