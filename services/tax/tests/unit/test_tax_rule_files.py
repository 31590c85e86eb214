"""The rule files: one per fiscal year, checked when loaded; a bad file stops the service."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
from tax_kit import R3, R6, R7, R8, RULES, with_unverified

from kyodo_tax.domain.rulebook import RuleBook, RuleBookError, parse_rule_set

R7_TEXT = (resources.files("kyodo_tax.rules") / "fy2025.toml").read_text(encoding="utf-8")


def test_every_fiscal_year_from_r3_to_r8_is_shipped() -> None:
    assert RULES.fiscal_years == [2021, 2022, 2023, 2024, 2025, 2026]
    assert RULES.for_year(R7).name == "令和7年度" and RULES.for_year(R3).name == "令和3年度"


@pytest.mark.parametrize("fiscal_year", [R3, 2022, 2023, R6, R7, R8])
def test_what_domain_md_states_as_verified_is_verified_in_every_year(fiscal_year: int) -> None:
    """The R8 給与所得 table, the pension tables (unchanged since R3), the spouse tiers and the
    25,000,000 cut-off of 調整控除 (from R3): nothing shipped is left behind the setting."""
    rules = RULES.for_year(fiscal_year)
    assert rules.fully_verified
    assert all(row.verified for row in rules.salary.rows)
    assert all(row.verified for row in rules.pension_65_or_over.rows)
    assert all(row.verified for row in rules.pension_under_65.rows)
    assert all(rules.spouse.verified) and all(rules.difference_spouse.verified)
    assert rules.credit_max_total_income_verified


def test_a_rule_a_file_marks_unverified_is_still_reported() -> None:
    rules = with_unverified('{ below = 1_300_001, base = "income", rate = "1", add = -600_000 }',
                            '{ below = 1_300_001, base = "income", rate = "1", add = -600_000, '
                            'verified = false }')
    assert not rules.fully_verified
    assert rules.pension_under_65.apply(1_000_000) == (400_000, False)


def test_the_years_differ_only_where_the_law_did() -> None:
    r5, r6 = RULES.for_year(2023), RULES.for_year(R6)
    assert (r5.municipal_surcharge, r5.forest_environment_tax) == (500, False)
    assert (r6.municipal_surcharge, r6.forest_environment_tax) == (0, True)
    assert r5.salary == r6.salary == RULES.for_year(R7).salary


def test_an_unknown_year_is_an_error() -> None:
    with pytest.raises(RuleBookError, match="2030"):
        RULES.for_year(2030)


@pytest.mark.parametrize(("change", "message"), [
    (("add = 1_069_000", "add = 969_000"), "income falls at the boundary 1,619,000"),
    (("{ below = 1_620_000,", "{ below = 1_600_000,"), "must increase"),
    (("rate = \"0.9\"", "rate = \"nine tenths\""), "not a rate"),
    (('{ base = "income", rate = "1", add = -1_950_000 },\n]',
      '{ below = 99_000_000, base = "income", rate = "1", add = -1_950_000 },\n]'),
     "the last has none"),
    (("[non_taxable.per_capita.3]", "[non_taxable.per_capita.4]"), "級地 1, 2 and 3"),
    (("levy_unit = 100", "levy_unit = 0"), "greater than 0"),
    (("special_months = [6, 7,", "special_months = [6, 6,"), "distinct"),
    (("widow = 260_000", "widow = 260_000\nwidower = 1"), "Extra inputs"),
])
def test_a_broken_file_is_refused_with_the_reason(change: tuple[str, str],
                                                  message: str) -> None:
    old, new = change
    assert old in R7_TEXT
    with pytest.raises(RuleBookError, match=message):
        parse_rule_set(R7_TEXT.replace(old, new, 1), source="fy2025.toml")


def test_two_files_for_one_year_are_refused() -> None:
    rules = RULES.for_year(R7)
    with pytest.raises(RuleBookError, match="two rule sets"):
        RuleBook([rules, rules])


def test_the_files_are_plain_toml() -> None:
    assert tomllib.loads(R7_TEXT)["fiscal_year"] == 2025
