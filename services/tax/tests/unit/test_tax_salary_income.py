"""給与所得 from 給与収入 (DOMAIN.md §4, step 1): every row of the R3–R7 table at both of its
ends, the three checks, and the R8 table (verified: applied by default)."""

from __future__ import annotations

import pytest
from tax_kit import R3, R5, R6, R7, R8, RULES, tax

# (給与収入, 給与所得): each row's first and last yen, derived by hand from the row's rule.
# A = floor(income / 4) to 1,000 yen.
ROWS = [
    (0, 0), (1, 0), (550_999, 0),  # < 551,000 → 0
    (551_000, 1_000), (1_000_000, 450_000), (1_618_999, 1_068_999),  # income − 550,000
    (1_619_000, 1_069_000), (1_619_999, 1_069_000),
    (1_620_000, 1_070_000), (1_621_999, 1_070_000),
    (1_622_000, 1_072_000), (1_623_999, 1_072_000),
    (1_624_000, 1_074_000), (1_627_999, 1_074_000),
    # A × 2.4 + 100,000: 1,628,000 → A 407,000 → 1,076,800; 1,799,999 → A 449,000 → 1,177,600
    (1_628_000, 1_076_800), (1_631_999, 1_076_800), (1_632_000, 1_079_200),
    (1_799_999, 1_177_600),
    # A × 2.8 − 80,000: 1,800,000 → A 450,000 → 1,180,000; 3,599,999 → A 899,000 → 2,437,200
    (1_800_000, 1_180_000), (3_599_999, 2_437_200),
    # A × 3.2 − 440,000: 3,600,000 → A 900,000 → 2,440,000; 6,599,999 → A 1,649,000
    (3_600_000, 2_440_000), (6_599_999, 4_836_800),
    # income × 0.9 − 1,100,000 (truncated to the yen): 8,499,999 → 7,649,999.1 − 1.1M
    (6_600_000, 4_840_000), (8_499_999, 6_549_999),
    # income − 1,950,000
    (8_500_000, 6_550_000), (20_000_000, 18_050_000),
]


@pytest.mark.parametrize("fiscal_year", [R3, 2022, R5, R6, R7])
@pytest.mark.parametrize(("revenue", "income"), ROWS)
def test_every_row_and_boundary_of_the_r3_to_r7_table(fiscal_year: int, revenue: int,
                                                      income: int) -> None:
    assert RULES.for_year(fiscal_year).salary.apply(revenue) == (income, True)


@pytest.mark.parametrize(("revenue", "income"), [
    (4_000_000, 2_760_000), (9_100_000, 7_150_000), (6_050_000, 4_398_400)])
def test_the_checks_of_domain_md(revenue: int, income: int) -> None:
    assert RULES.for_year(R7).salary.apply(revenue) == (income, True)


def test_the_table_is_one_row_per_range_in_order() -> None:
    table = RULES.for_year(R7).salary
    assert table.bounds == (551_000, 1_619_000, 1_620_000, 1_622_000, 1_624_000, 1_628_000,
                            1_800_000, 3_600_000, 6_600_000, 8_500_000)
    assert len(table.rows) == len(table.bounds) + 1


# R8 (DOMAIN.md §4): minimum 給与所得控除 650,000 up to 1,900,000; from there the R3–R7 rows.
R8_ROWS = [
    (0, 0), (650_999, 0), (651_000, 1_000), (1_000_000, 350_000),
    (1_618_999, 968_999), (1_627_999, 977_999), (1_799_999, 1_149_999),  # no R7 steps here
    (1_899_999, 1_249_999), (1_900_000, 1_250_000),  # A 475,000 × 2.8 − 80,000: continuous
    (1_903_999, 1_250_000), (1_904_000, 1_252_800), (3_599_999, 2_437_200),
    (3_600_000, 2_440_000), (6_599_999, 4_836_800), (6_600_000, 4_840_000),
    (8_499_999, 6_549_999), (8_500_000, 6_550_000),
    (4_000_000, 2_760_000), (9_100_000, 7_150_000), (6_050_000, 4_398_400)]


@pytest.mark.parametrize(("revenue", "income"), R8_ROWS)
def test_r8_raises_the_minimum_deduction_to_650_000_up_to_1_900_000(revenue: int,
                                                                     income: int) -> None:
    assert RULES.for_year(R8).salary.apply(revenue) == (income, True)


def test_r8_table_is_the_r7_table_from_1_900_000() -> None:
    r7, r8 = RULES.for_year(R7).salary, RULES.for_year(R8).salary
    assert r8.bounds == (651_000, 1_900_000, 3_600_000, 6_600_000, 8_500_000)
    for revenue in range(1_900_000, 12_000_000, 7_919):
        assert r8.apply(revenue) == r7.apply(revenue)


def test_a_salaried_person_in_r8_is_assessed_by_default() -> None:
    """Salary 1,500,000 (R8: 850,000; R7: 950,000), nothing else: 課税標準 420,000 in R8,
    市 25,200 − credit 1,500 = 23,700; 県 16,800 − 1,000 = 15,800; 23,700 + 15,800 + 5,000."""
    a = tax(R8, salary_revenue=1_500_000)
    assert (a.salary_income, a.taxable_base, a.unverified_rules) == (850_000, 420_000, ())
    assert a.total == 44_500
    assert tax(R7, salary_revenue=1_500_000).salary_income == 950_000


def test_quarter_rows_step_every_4000_yen() -> None:
    """Between 1,628,000 and 6,600,000 the income moves in steps of 4,000 yen of salary."""
    table = RULES.for_year(R7).salary
    for start in (1_700_000, 2_500_000, 5_000_000):
        assert table.apply(start) == table.apply(start + 3_999)
        assert table.apply(start + 4_000)[0] > table.apply(start)[0]
