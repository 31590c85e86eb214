"""Worked examples, each derived by hand in its docstring (fiscal year R7 = 2025 unless said;
the tenant is Nagaoka: 均等割 3,000 / 1,000, 森林環境税 1,000, 1級地)."""

from __future__ import annotations

from tax_kit import DESIGNATED, R5, R7, TSUKUBA, config, tax

from kyodo_tax.domain.facts import Dependants, Disability, Spouse


def test_1_single_salary_earner() -> None:
    """Salary 4,000,000, social insurance 600,000, alone.
    給与所得: A = 1,000,000; × 3.2 − 440,000 = 2,760,000. Deductions 430,000 + 600,000 =
    1,030,000. 課税標準 1,730,000. 市 6 % 103,800, 県 4 % 69,200. D = 50,000 ≤ base →
    credit 50,000 × 3 % = 1,500 and × 2 % = 1,000. 市 102,300, 県 68,200.
    Total 102,300 + 3,000 + 68,200 + 1,000 + 1,000 = 175,500."""
    a = tax(salary_revenue=4_000_000, social_insurance=600_000)
    assert a.taxable_base == 1_730_000
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (102_300, 68_200)
    assert a.total == 175_500


def test_2_married_with_a_teenager_and_a_child() -> None:
    """Salary 6,050,000, social insurance 900,000, spouse, a child of 17 and one of 12.
    給与所得 4,398,400. Deductions 430,000 + 900,000 + spouse 330,000 + general 330,000 +
    under 16 0 = 1,990,000. 課税標準 floor(2,408,400) = 2,408,000. 市 144,480, 県 96,320.
    D = 50,000 × 3 = 150,000; base > 2,000,000: max(150,000 − 408,000, 50,000) = 50,000 →
    1,500 / 1,000. 市 142,980 → 142,900; 県 95,320 → 95,300.
    Total 142,900 + 3,000 + 95,300 + 1,000 + 1,000 = 243,200."""
    a = tax(salary_revenue=6_050_000, social_insurance=900_000, spouse=Spouse.GENERAL,
            dependants=Dependants(general=1, under_16=1))
    assert (a.deductions_total, a.taxable_base, a.personal_difference) == (
        1_990_000, 2_408_000, 150_000)
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (142_900, 95_300)
    assert a.total == 243_200 and a.household_size == 4


def test_3_the_same_earner_in_a_designated_city() -> None:
    """Example 1 in a 指定都市: 市 8 % of 1,730,000 = 138,400, 県 2 % = 34,600; credit 4 % and
    1 % of 50,000 = 2,000 / 500. 市 136,400, 県 34,100. The total is the same 175,500; the
    split between city and prefecture is not."""
    a = tax(salary_revenue=4_000_000, social_insurance=600_000, tenant=DESIGNATED)
    assert (a.income_levy_municipal_gross, a.income_levy_prefectural_gross) == (
        138_400, 34_600)
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (136_400, 34_100)
    assert a.total == 175_500


def test_4_pensioner_couple_over_70() -> None:
    """Pension 2,500,000 at 72, social insurance 200,000, spouse of 72.
    年金所得 2,500,000 − 1,100,000 = 1,400,000. N = 2: 所得割 limit 1,120,000, 均等割 limit
    1,010,000: both exceeded. Deductions 430,000 + 200,000 + elderly spouse 380,000 =
    1,010,000; 課税標準 390,000; 市 23,400, 県 15,600. D = 50,000 + 100,000 = 150,000 ≤ base:
    credit 4,500 / 3,000. 市 18,900, 県 12,600. Total 18,900 + 12,600 + 5,000 = 36,500."""
    a = tax(pension_revenue=2_500_000, aged_65_or_over=True, social_insurance=200_000,
            spouse=Spouse.ELDERLY)
    assert (a.pension_income, a.taxable_base, a.personal_difference) == (
        1_400_000, 390_000, 150_000)
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (18_900, 12_600)
    assert a.total == 36_500


def test_5_pensioner_couple_under_the_limits() -> None:
    """Pension 2,000,000 at 66, spouse of 69. 年金所得 900,000 ≤ 均等割 limit 1,010,000 (N = 2)
    and ≤ 所得割 limit 1,120,000: nothing to pay (非課税)."""
    a = tax(pension_revenue=2_000_000, aged_65_or_over=True, social_insurance=150_000,
            spouse=Spouse.GENERAL)
    assert a.pension_income == 900_000
    assert a.per_capita_exempt and a.income_levy_exempt and a.non_taxable


def test_6_part_timer_around_the_single_limit() -> None:
    """Salary 1,000,000: 給与所得 450,000 = the single limit: 非課税.
    Salary 1,001,000: 451,000 > 450,000: 課税標準 451,000 − 430,000 = 21,000; 市 1,260, 県
    840; credit min(50,000, 21,000) = 21,000 → 630 / 420; 市 630 → 600, 県 420 → 400.
    Total 600 + 400 + 3,000 + 1,000 + 1,000 = 6,000."""
    assert tax(salary_revenue=1_000_000).non_taxable
    a = tax(salary_revenue=1_001_000)
    assert (a.income_levy_municipal, a.income_levy_prefectural) == (600, 400)
    assert a.total == 6_000


def test_7_the_same_family_in_a_1_and_a_2_kyuchi_municipality() -> None:
    """Salary 1,900,000 (A = 475,000 → × 2.8 − 80,000 = 1,250,000), spouse and a child of 10:
    N = 3. 所得割 limit 350,000 × 3 + 420,000 = 1,470,000: no 所得割 anywhere.
    1級地 均等割 limit 350,000 × 3 + 310,000 = 1,360,000 ≥ 1,250,000: 非課税.
    2級地 limit 315,000 × 3 + 289,000 = 1,234,000 < 1,250,000: 均等割 and 森林環境税, 5,000."""
    family = {"salary_revenue": 1_900_000, "spouse": Spouse.GENERAL,
              "dependants": Dependants(under_16=1)}
    assert tax(**family).total == 0  # type: ignore[arg-type]
    second = tax(tenant=config(kyuchi=2), **family)  # type: ignore[arg-type]
    assert (second.per_capita_limit, second.income_levy_exempt) == (1_234_000, True)
    assert second.total == 5_000


def test_8_student_child_and_a_parent_at_home() -> None:
    """Salary 8,000,000 (× 0.9 − 1,100,000 = 6,100,000), social insurance 1,200,000, spouse,
    a student of 20 (特定) and a mother of 75 living with them (同居老親等).
    Deductions 430,000 + 1,200,000 + 330,000 + 450,000 + 450,000 = 2,860,000; 課税標準
    3,240,000; 市 194,400, 県 129,600. D = 50 + 50 + 180 + 130 thousand = 410,000; base −
    2,000,000 = 1,240,000 > D → 50,000 → 1,500 / 1,000. 市 192,900, 県 128,600.
    Total 192,900 + 128,600 + 5,000 = 326,500."""
    a = tax(salary_revenue=8_000_000, social_insurance=1_200_000, spouse=Spouse.GENERAL,
            dependants=Dependants(specified=1, elderly_cohabiting=1))
    assert (a.salary_income, a.taxable_base, a.personal_difference) == (
        6_100_000, 3_240_000, 410_000)
    assert a.total == 326_500


def test_9_credit_just_above_2_000_000() -> None:
    """Salary 5,500,000 (A = 1,375,000 → × 3.2 − 440,000 = 3,960,000), social insurance
    320,000, spouse, one 特定 and one general dependant: deductions 430,000 + 320,000 +
    330,000 + 450,000 + 330,000 = 1,860,000; 課税標準 2,100,000. 市 126,000, 県 84,000.
    D = 330,000; credit base max(330,000 − 100,000, 50,000) = 230,000 → 6,900 / 4,600.
    市 119,100, 県 79,400. Total 119,100 + 79,400 + 5,000 = 203,500."""
    a = tax(salary_revenue=5_500_000, social_insurance=320_000, spouse=Spouse.GENERAL,
            dependants=Dependants(general=1, specified=1))
    assert a.taxable_base == 2_100_000
    assert (a.adjustment_credit_municipal, a.adjustment_credit_prefectural) == (6_900, 4_600)
    assert a.total == 203_500


def test_10_disabled_worker_just_above_1_350_000() -> None:
    """Salary 2,040,000 (A = 510,000 → 1,348,000 ≤ 1,350,000): 障害者, 非課税.
    Salary 2,044,000 (A = 511,000 → 1,350,800): taxable. Deductions 430,000 + disability
    260,000 + social insurance 300,000 = 990,000; 課税標準 floor(360,800) = 360,000;
    市 21,600, 県 14,400; D = 50,000 + 10,000 = 60,000 → 1,800 / 1,200; 市 19,800, 県 13,200.
    Total 19,800 + 13,200 + 5,000 = 38,000."""
    assert tax(salary_revenue=2_040_000, social_insurance=300_000,
               disability=Disability.GENERAL).non_taxable
    a = tax(salary_revenue=2_044_000, social_insurance=300_000, disability=Disability.GENERAL)
    assert (a.salary_income, a.taxable_base) == (1_350_800, 360_000)
    assert a.total == 38_000


def test_11_the_same_earner_in_r5_and_in_tsukuba() -> None:
    """Example 1 in R5: 所得割 unchanged (102,300 / 68,200); 均等割 3,500 / 1,500 (復興
    surcharge), no 森林環境税: 175,500 again. In Tsukuba (R7), 県 均等割 2,000 (茨城's 森林湖沼
    環境税): 102,300 + 68,200 + 3,000 + 2,000 + 1,000 = 176,500."""
    inputs = {"salary_revenue": 4_000_000, "social_insurance": 600_000}
    r5 = tax(R5, **inputs)  # type: ignore[arg-type]
    assert (r5.per_capita_municipal, r5.per_capita_prefectural,
            r5.forest_environment_tax, r5.total) == (3_500, 1_500, 0, 175_500)
    assert tax(R7, tenant=TSUKUBA, **inputs).total == 176_500  # type: ignore[arg-type]


def test_12_high_income_in_the_basic_deduction_tiers() -> None:
    """Other income 24,300,000: 基礎控除 290,000; 課税標準 24,010,000; 市 1,440,600,
    県 960,400; credit 50,000 → 1,500 / 1,000; 市 1,439,100, 県 959,400;
    total 1,439,100 + 959,400 + 5,000 = 2,403,500.
    25,000,001: no 基礎控除, no 調整控除: 課税標準 25,000,000,
    1,500,000 + 1,000,000 + 5,000 = 2,505,000."""
    a = tax(other_income=24_300_000)
    assert (a.deduction_basic, a.taxable_base, a.total) == (290_000, 24_010_000, 2_403_500)
    assert tax(other_income=25_000_001).total == 2_505_000


def test_13_pension_and_salary_together() -> None:
    """Salary 1,200,000 (→ 650,000) and pension 1,800,000 at 67 (→ 700,000): 総所得
    1,350,000. Deductions 430,000 + social insurance 120,000 = 550,000; 課税標準 800,000;
    市 48,000, 県 32,000; credit 50,000 → 1,500 / 1,000; 市 46,500, 県 31,000.
    Total 46,500 + 31,000 + 5,000 = 82,500."""
    a = tax(salary_revenue=1_200_000, pension_revenue=1_800_000, aged_65_or_over=True,
            social_insurance=120_000)
    assert (a.salary_income, a.pension_income, a.total_income) == (
        650_000, 700_000, 1_350_000)
    assert a.total == 82_500
