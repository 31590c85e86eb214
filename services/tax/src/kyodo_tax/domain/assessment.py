"""The assessment of one person for one fiscal year (DOMAIN.md §4), keeping every step.

income → 総所得金額 → 所得控除 → 課税標準 → 所得割 per part → 調整控除 → floor each part to
100 yen → 均等割 and 森林環境税 → 非課税. Pure: the rule set and the tenant's amounts come in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kyodo_tax.domain.deductions import deductions_of, personal_difference
from kyodo_tax.domain.facts import Disability, MunicipalTaxConfig, TaxpayerFacts, Widowhood
from kyodo_tax.domain.rulebook import RuleSet


class UnverifiedRule(Exception):
    """The case needs a rule marked unverified, and unverified rules are not enabled: the person
    is left for a manual assessment instead of being assessed on a guess."""

    def __init__(self, rules: list[str]) -> None:
        super().__init__("needs unverified rules: " + ", ".join(rules))
        self.rules = tuple(rules)


@dataclass(slots=True)
class Assessment:
    """Every intermediate value, so that a clerk can explain the amount line by line.

    Not frozen, though nothing changes it: a frozen dataclass of 38 fields costs ten times as
    much to build (object.__setattr__ per field), and a bulk run builds 280,000 of them."""

    fiscal_year: int
    salary_revenue: int
    salary_income: int
    pension_revenue: int
    pension_income: int
    other_income: int
    total_income: int  # 総所得金額 (= 合計所得金額: no separately taxed income here)
    deduction_basic: int
    deduction_social_insurance: int
    deduction_spouse: int
    deduction_dependants: int
    deduction_disability: int
    deduction_widowhood: int
    deduction_working_student: int
    deduction_other: int
    deductions_total: int
    taxable_base: int  # 課税標準
    income_levy_municipal_gross: int  # 所得割 before 調整控除
    income_levy_prefectural_gross: int
    personal_difference: int  # D, the sum of 人的控除差
    adjustment_credit_municipal: int
    adjustment_credit_prefectural: int
    income_levy_municipal: int  # after the credit, floored to 100 yen
    income_levy_prefectural: int
    per_capita_municipal: int  # 均等割
    per_capita_prefectural: int
    forest_environment_tax: int  # 森林環境税
    household_size: int  # N
    per_capita_limit: int
    income_levy_limit: int
    personal_exemption: bool  # 障害者, 未成年, 寡婦, ひとり親 at or below the limit
    per_capita_exempt: bool
    income_levy_exempt: bool
    designated_city: bool
    unverified_rules: tuple[str, ...]
    municipal_total: int  # 市町村民税: 所得割 + 均等割
    prefectural_total: int  # 道府県民税: 所得割 + 均等割
    total: int  # both, and 森林環境税

    @property
    def non_taxable(self) -> bool:
        """非課税: nothing to pay (the certificate is then titled 非課税証明書)."""
        return self.total == 0

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["unverified_rules"] = list(self.unverified_rules)
        values["non_taxable"] = self.non_taxable
        return values


def assess(facts: TaxpayerFacts, rules: RuleSet, config: MunicipalTaxConfig, *,
           allow_unverified: bool = False) -> Assessment:
    """The tax of one person; raises UnverifiedRule rather than guess."""
    unverified: list[str] = []
    salary_income, ok = rules.salary.apply(facts.salary_revenue)
    if not ok:
        unverified.append("salary_income")
    pension_table = rules.pension_65_or_over if facts.aged_65_or_over else rules.pension_under_65
    pension_income, ok = pension_table.apply(facts.pension_revenue)
    if not ok:
        unverified.append(pension_table.name)
    total_income = salary_income + pension_income + facts.other_income

    deductions = deductions_of(facts, rules, total_income, unverified)
    deductions_total = deductions.total
    remaining = total_income - deductions_total
    unit = rules.taxable_base_unit
    taxable_base = remaining - remaining % unit if remaining > 0 else 0

    # The tenant's own 所得割 rates (超過課税) replace the standard ones; 調整控除 below keeps
    # its legal split whatever the rates.
    if config.income_levy_rates is not None:
        municipal_rate, prefectural_rate = config.income_levy_rates
    else:
        rates = rules.designated_rates if config.designated_city else rules.rates
        municipal_rate, prefectural_rate = rates.municipal, rates.prefectural
    municipal_gross = municipal_rate.of(taxable_base)
    prefectural_gross = prefectural_rate.of(taxable_base)

    difference = personal_difference(facts, rules, total_income, unverified)
    credit_municipal = credit_prefectural = 0
    if total_income > rules.credit_max_total_income:
        if not rules.credit_max_total_income_verified:
            unverified.append("adjustment_credit.max_total_income")
    elif taxable_base > 0:
        if taxable_base <= rules.credit_threshold:
            base = min(difference, taxable_base)
        else:
            base = max(difference - (taxable_base - rules.credit_threshold),
                       rules.credit_minimum_base)
        split = rules.designated_credit_split if config.designated_city else rules.credit_split
        credit_municipal = split.municipal.of(base)
        credit_prefectural = split.prefectural.of(base)
    if unverified and not allow_unverified:
        raise UnverifiedRule(unverified)

    levy = rules.levy_unit
    municipal = max(municipal_gross - credit_municipal, 0)
    prefectural = max(prefectural_gross - credit_prefectural, 0)
    municipal -= municipal % levy
    prefectural -= prefectural % levy

    size = facts.household_size
    per_capita_limit = rules.per_capita_limits[config.kyuchi].of(size)
    income_levy_limit = rules.income_levy_limit.of(size)
    personal = ((facts.disability is not Disability.NONE or facts.minor
                 or facts.widowhood is not Widowhood.NONE)
                and total_income <= rules.personal_limit)
    income_levy_exempt = personal or total_income <= income_levy_limit
    per_capita_exempt = personal or (income_levy_exempt and total_income <= per_capita_limit)
    if income_levy_exempt:
        municipal = prefectural = 0
    if per_capita_exempt:
        per_capita_municipal = per_capita_prefectural = forest = 0
    else:
        per_capita_municipal = config.per_capita_municipal + rules.municipal_surcharge
        per_capita_prefectural = config.per_capita_prefectural + rules.prefectural_surcharge
        forest = config.forest_environment_tax if rules.forest_environment_tax else 0

    return Assessment(
        fiscal_year=facts.fiscal_year, salary_revenue=facts.salary_revenue,
        salary_income=salary_income, pension_revenue=facts.pension_revenue,
        pension_income=pension_income, other_income=facts.other_income,
        total_income=total_income, deduction_basic=deductions.basic,
        deduction_social_insurance=facts.social_insurance, deduction_spouse=deductions.spouse,
        deduction_dependants=deductions.dependants, deduction_disability=deductions.disability,
        deduction_widowhood=deductions.widowhood,
        deduction_working_student=deductions.working_student,
        deduction_other=facts.other_deductions, deductions_total=deductions_total,
        taxable_base=taxable_base, income_levy_municipal_gross=municipal_gross,
        income_levy_prefectural_gross=prefectural_gross, personal_difference=difference,
        adjustment_credit_municipal=credit_municipal,
        adjustment_credit_prefectural=credit_prefectural, income_levy_municipal=municipal,
        income_levy_prefectural=prefectural, per_capita_municipal=per_capita_municipal,
        per_capita_prefectural=per_capita_prefectural, forest_environment_tax=forest,
        household_size=size, per_capita_limit=per_capita_limit,
        income_levy_limit=income_levy_limit, personal_exemption=personal,
        per_capita_exempt=per_capita_exempt, income_levy_exempt=income_levy_exempt,
        designated_city=config.designated_city, unverified_rules=tuple(unverified),
        municipal_total=municipal + per_capita_municipal,
        prefectural_total=prefectural + per_capita_prefectural,
        total=municipal + per_capita_municipal + prefectural + per_capita_prefectural + forest,
    )
