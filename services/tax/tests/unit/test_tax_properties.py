"""Properties over many generated cases: more income never gives less tax; at or below a
non-taxable limit nothing is paid; each 所得割 part is a multiple of 100 before 均等割."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tax_kit import RULES, config

from kyodo_tax.domain.assessment import assess
from kyodo_tax.domain.facts import Dependants, Disability, Spouse, TaxpayerFacts, Widowhood

YEARS = st.sampled_from(RULES.fiscal_years)
AMOUNT = st.integers(min_value=0, max_value=40_000_000)
SMALL = st.integers(min_value=0, max_value=3)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "fiscal_year": draw(YEARS),
        "salary_revenue": draw(st.one_of(st.just(0), AMOUNT)),
        "pension_revenue": draw(st.one_of(st.just(0), st.integers(0, 12_000_000))),
        "aged_65_or_over": draw(st.booleans()),
        "other_income": draw(st.one_of(st.just(0), AMOUNT)),
        "social_insurance": draw(st.integers(0, 3_000_000)),
        "other_deductions": draw(st.integers(0, 200_000)),
        "spouse": draw(st.sampled_from(Spouse)),
        "dependants": Dependants(general=draw(SMALL), specified=draw(SMALL),
                                 elderly=draw(SMALL), elderly_cohabiting=draw(SMALL),
                                 under_16=draw(SMALL), disabled_general=draw(SMALL)),
        "disability": draw(st.sampled_from(Disability)),
        "widowhood": draw(st.sampled_from(Widowhood)),
        "working_student": draw(st.booleans()),
        "minor": draw(st.booleans()),
    }


TENANTS = st.builds(config, kyuchi=st.sampled_from([1, 2, 3]),
                    designated_city=st.booleans())


def _total(facts: dict[str, Any], tenant: Any) -> int:
    rules = RULES.for_year(facts["fiscal_year"])
    return assess(TaxpayerFacts(**facts), rules, tenant, allow_unverified=True).total


@settings(max_examples=400, deadline=None)
@given(cases(), TENANTS, st.integers(1, 5_000_000),
       st.sampled_from(["salary_revenue", "pension_revenue", "other_income"]))
def test_more_income_never_gives_less_tax(facts: dict[str, Any], tenant: Any, more: int,
                                          source: str) -> None:
    richer = {**facts, source: facts[source] + more}
    assert _total(richer, tenant) >= _total(facts, tenant)


@settings(max_examples=400, deadline=None)
@given(cases(), TENANTS, st.integers(0, 2_000_000))
def test_at_or_below_the_non_taxable_limit_nothing_is_paid(facts: dict[str, Any],
                                                           tenant: Any, below: int) -> None:
    rules = RULES.for_year(facts["fiscal_year"])
    n = TaxpayerFacts(**facts).household_size
    limit = rules.per_capita_limits[tenant.kyuchi].of(n)
    exact = {**facts, "salary_revenue": 0, "pension_revenue": 0,
             "other_income": max(limit - below, 0)}
    result = assess(TaxpayerFacts(**exact), rules, tenant, allow_unverified=True)
    assert result.total == 0 and result.non_taxable
    levy_limit = rules.income_levy_limit.of(n)
    levy_only = {**exact, "other_income": max(levy_limit - below, 0)}
    result = assess(TaxpayerFacts(**levy_only), rules, tenant, allow_unverified=True)
    assert result.income_levy_municipal == result.income_levy_prefectural == 0


@settings(max_examples=400, deadline=None)
@given(cases(), TENANTS)
def test_every_income_levy_part_is_a_multiple_of_100(facts: dict[str, Any],
                                                     tenant: Any) -> None:
    rules = RULES.for_year(facts["fiscal_year"])
    a = assess(TaxpayerFacts(**facts), rules, tenant, allow_unverified=True)
    assert a.income_levy_municipal % 100 == 0 and a.income_levy_prefectural % 100 == 0
    assert (a.total - a.per_capita_municipal - a.per_capita_prefectural
            - a.forest_environment_tax) % 100 == 0
    assert a.taxable_base % 1000 == 0
    assert min(a.income_levy_municipal, a.income_levy_prefectural, a.total) >= 0
    assert a.total == a.municipal_total + a.prefectural_total + a.forest_environment_tax
