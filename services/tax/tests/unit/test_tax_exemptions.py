"""非課税 (DOMAIN.md §4, step 8): the 均等割 and 所得割 limits with N, the single limits, 2級地
and 3級地, and 障害者 / 未成年 / 寡婦 / ひとり親 up to 1,350,000 — each at the limit and a yen
above it."""

from __future__ import annotations

import pytest
from tax_kit import R7, config, tax

from kyodo_tax.domain.facts import Dependants, Disability, Spouse, Widowhood


def _household(n: int) -> dict[str, object]:
    """N persons: the taxpayer, a spouse from N = 2, children under 16 after that."""
    if n == 1:
        return {}
    return {"spouse": Spouse.GENERAL, "dependants": Dependants(under_16=n - 2)}


@pytest.mark.parametrize(("kyuchi", "n", "limit"), [
    (1, 1, 450_000), (1, 2, 1_010_000), (1, 3, 1_360_000), (1, 4, 1_710_000),
    (2, 1, 415_000), (2, 2, 919_000), (2, 3, 1_234_000),
    (3, 1, 380_000), (3, 2, 828_000), (3, 3, 1_108_000)])
def test_per_capita_limit_by_kyuchi_and_household_size(kyuchi: int, n: int,
                                                       limit: int) -> None:
    tenant = config(kyuchi=kyuchi)
    at = tax(other_income=limit, tenant=tenant, **_household(n))  # type: ignore[arg-type]
    above = tax(other_income=limit + 1, tenant=tenant, **_household(n))  # type: ignore[arg-type]
    assert at.per_capita_limit == limit and at.household_size == n
    assert at.per_capita_exempt and at.total == 0
    assert not above.per_capita_exempt and above.per_capita_municipal == 3_000


@pytest.mark.parametrize(("n", "limit"), [(1, 450_000), (2, 1_120_000), (3, 1_470_000),
                                          (5, 2_170_000)])
def test_income_levy_limit_with_n(n: int, limit: int) -> None:
    at = tax(other_income=limit, **_household(n))  # type: ignore[arg-type]
    above = tax(other_income=limit + 1, **_household(n))  # type: ignore[arg-type]
    assert at.income_levy_limit == limit
    assert at.income_levy_exempt and at.income_levy_municipal == at.income_levy_prefectural == 0
    assert not above.income_levy_exempt


def test_between_the_two_limits_only_per_capita_is_paid() -> None:
    """N = 2, 1級地: 均等割 limit 1,010,000 < 1,100,000 ≤ 所得割 limit 1,120,000."""
    a = tax(other_income=1_100_000, **_household(2))  # type: ignore[arg-type]
    assert a.income_levy_exempt and not a.per_capita_exempt
    assert a.total == 3_000 + 1_000 + 1_000


def test_children_under_16_count_in_n() -> None:
    a = tax(other_income=1_000_000, dependants=Dependants(under_16=1))
    assert a.household_size == 2 and a.deduction_dependants == 0 and a.total == 0


@pytest.mark.parametrize("status", [
    {"disability": Disability.GENERAL}, {"disability": Disability.SPECIAL}, {"minor": True},
    {"widowhood": Widowhood.WIDOW}, {"widowhood": Widowhood.SINGLE_MOTHER},
    {"widowhood": Widowhood.SINGLE_FATHER}])
def test_personal_exemption_up_to_1_350_000(status: dict[str, object]) -> None:
    at = tax(other_income=1_350_000, **status)  # type: ignore[arg-type]
    above = tax(other_income=1_350_001, **status)  # type: ignore[arg-type]
    assert at.personal_exemption and at.total == 0
    assert not above.personal_exemption and above.total > 0


def test_forest_tax_is_not_charged_to_those_exempt_from_per_capita() -> None:
    a = tax(R7, other_income=450_000)
    assert (a.per_capita_municipal, a.forest_environment_tax, a.non_taxable) == (0, 0, True)
