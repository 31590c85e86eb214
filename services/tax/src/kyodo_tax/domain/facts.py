"""What an assessment is computed from: the taxpayer's incomes, deductions and household, and
the municipality's own amounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from kyodo_tax.domain.money import Rate


class Spouse(StrEnum):
    """控除対象配偶者: none, general, or 老人控除対象配偶者 (70 or over on 31 December)."""

    NONE = "none"
    GENERAL = "general"
    ELDERLY = "elderly"


class Disability(StrEnum):
    """The taxpayer's own 障害者 status."""

    NONE = "none"
    GENERAL = "general"
    SPECIAL = "special"


class Widowhood(StrEnum):
    """寡婦 / ひとり親 (the 調整控除 difference of ひとり親 depends on the parent's sex)."""

    NONE = "none"
    WIDOW = "widow"
    SINGLE_MOTHER = "single_mother"
    SINGLE_FATHER = "single_father"


@dataclass(frozen=True, slots=True)
class Dependants:
    """扶養親族 by category (ages on 31 December of the income year), and how many of the
    spouse and dependants are 障害者 (they are counted once above, this adds the deduction)."""

    general: int = 0
    specified: int = 0  # 特定扶養親族: 19 to 22
    elderly: int = 0  # 老人扶養親族: 70 or over
    elderly_cohabiting: int = 0  # 同居老親等
    under_16: int = 0  # 年少扶養親族: no deduction, but counted for the non-taxable limits
    disabled_general: int = 0
    disabled_special: int = 0
    disabled_special_cohabiting: int = 0

    def __post_init__(self) -> None:
        if min(self.general, self.specified, self.elderly, self.elderly_cohabiting,
               self.under_16, self.disabled_general, self.disabled_special,
               self.disabled_special_cohabiting) < 0:
            raise ValueError("dependant counts are not negative")

    @property
    def count(self) -> int:
        return (self.general + self.specified + self.elderly + self.elderly_cohabiting
                + self.under_16)


NO_DEPENDANTS = Dependants()


@dataclass(frozen=True, slots=True)
class TaxpayerFacts:
    """One person's inputs for one fiscal year (income of the calendar year before)."""

    fiscal_year: int
    salary_revenue: int = 0  # 給与収入
    pension_revenue: int = 0  # 公的年金等の収入
    aged_65_or_over: bool = False  # on 31 December of the income year (pension table)
    other_income: int = 0  # other 所得, already net (事業, 不動産, 雑 other than pensions)
    social_insurance: int = 0  # 社会保険料: deducted in full
    other_deductions: int = 0  # 生命保険料控除 etc., in resident-tax amounts
    spouse: Spouse = Spouse.NONE
    dependants: Dependants = field(default=NO_DEPENDANTS)
    disability: Disability = Disability.NONE
    widowhood: Widowhood = Widowhood.NONE
    working_student: bool = False
    minor: bool = False  # 未成年: under 18 on 1 January of the fiscal year
    # The spouse's and dependants' persons where declared (not used by the calculation: the
    # event tells the certificates which of them declared nothing, DOMAIN.md §5)
    dependant_persons: tuple[UUID, ...] = ()

    def __post_init__(self) -> None:
        if min(self.salary_revenue, self.pension_revenue, self.other_income,
               self.social_insurance, self.other_deductions) < 0:
            raise ValueError("amounts are not negative")

    @property
    def household_size(self) -> int:
        """N of the non-taxable limits: the taxpayer, the spouse and every dependant."""
        return 1 + (self.spouse is not Spouse.NONE) + self.dependants.count


@dataclass(frozen=True, slots=True)
class MunicipalTaxConfig:
    """The tenant's part (identity's tenant configuration): 均等割 amounts, 級地, 指定都市,
    and its own 所得割 rates (市町村, 道府県) when it levies other than the standard rates
    (超過課税); None: the fiscal year's standard rates."""

    per_capita_municipal: int
    per_capita_prefectural: int
    forest_environment_tax: int
    kyuchi: int = 1
    designated_city: bool = False
    income_levy_rates: tuple[Rate, Rate] | None = None

    def __post_init__(self) -> None:
        if self.kyuchi not in (1, 2, 3):
            raise ValueError("級地 is 1, 2 or 3")
