"""The rule book: one rule set per fiscal year, read from the packaged TOML files and checked.

The files are the law as data (``kyodo_tax/rules/fyYYYY.toml``); this module only knows their
shape. Adding a fiscal year is adding a file, never a branch in code.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kyodo_tax.domain.money import Rate


class RuleBookError(ValueError):
    """A rule file that cannot be used: the service refuses to start with it."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IncomeRowSpec(_Spec):
    below: int | None = Field(default=None, gt=0)
    base: Literal["income", "quarter"]
    rate: str
    add: int
    verified: bool = True


class IncomeTableSpec(_Spec):
    rows: list[IncomeRowSpec] = Field(min_length=1)


class PensionSpec(_Spec):
    age_65_or_over: IncomeTableSpec
    under_65: IncomeTableSpec


class BasicTier(_Spec):
    up_to: int | None = None
    amount: int = Field(ge=0)
    verified: bool = True


class SpouseTier(_Spec):
    up_to: int | None = None
    general: int = Field(ge=0)
    elderly: int = Field(ge=0)
    verified: bool = True
    note: str | None = None


class DependantAmounts(_Spec):
    general: int = Field(ge=0)
    specified: int = Field(ge=0)
    elderly: int = Field(ge=0)
    elderly_cohabiting: int = Field(ge=0)
    under_16: int = Field(ge=0)
    note: str | None = None


class DisabilityAmounts(_Spec):
    general: int = Field(ge=0)
    special: int = Field(ge=0)
    special_cohabiting: int = Field(ge=0)
    note: str | None = None


class DeductionsSpec(_Spec):
    basic: list[BasicTier] = Field(min_length=1)
    spouse: list[SpouseTier] = Field(min_length=1)
    dependant: DependantAmounts
    disability: DisabilityAmounts
    widow: int = Field(ge=0)
    single_parent: int = Field(ge=0)
    working_student: int = Field(ge=0)


class DifferencesSpec(_Spec):
    basic: int = Field(ge=0)
    spouse: list[SpouseTier] = Field(min_length=1)
    dependant: DependantAmounts
    disability: DisabilityAmounts
    widow: int = Field(ge=0)
    single_mother: int = Field(ge=0)
    single_father: int = Field(ge=0)
    working_student: int = Field(ge=0)


class PartRates(_Spec):
    municipal: str
    prefectural: str


class RatesSpec(_Spec):
    standard: PartRates
    designated_city: PartRates


class AdjustmentSpec(_Spec):
    threshold: int = Field(gt=0)
    minimum_base: int = Field(ge=0)
    max_total_income: int = Field(gt=0)
    max_total_income_verified: bool
    split: RatesSpec


class PerCapitaSpec(_Spec):
    municipal_surcharge: int = Field(ge=0)
    prefectural_surcharge: int = Field(ge=0)
    forest_environment_tax: bool


class LimitSpec(_Spec):
    per_person: int = Field(gt=0)
    addition: int = Field(ge=0)
    single: int = Field(ge=0)


class NonTaxableSpec(_Spec):
    personal_limit: int = Field(ge=0)
    income_levy: LimitSpec
    per_capita: dict[str, LimitSpec]

    @model_validator(mode="after")
    def _every_class(self) -> NonTaxableSpec:
        if set(self.per_capita) != {"1", "2", "3"}:
            raise ValueError("non_taxable.per_capita needs the 級地 1, 2 and 3")
        return self


class RoundingSpec(_Spec):
    taxable_base_unit: int = Field(gt=0)
    levy_unit: int = Field(gt=0)


class CollectionSpec(_Spec):
    special_months: list[int] = Field(min_length=12, max_length=12)
    ordinary_months: list[int] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _months(self) -> CollectionSpec:
        for months in (self.special_months, self.ordinary_months):
            if len(set(months)) != len(months) or not all(1 <= m <= 12 for m in months):
                raise ValueError("instalment months are distinct months 1-12")
        return self


class RuleSetSpec(_Spec):
    fiscal_year: int = Field(ge=2000, le=2100)
    name: str
    rounding: RoundingSpec
    salary_income: IncomeTableSpec
    pension_income: PensionSpec
    deductions: DeductionsSpec
    personal_differences: DifferencesSpec
    rates: RatesSpec
    adjustment_credit: AdjustmentSpec
    per_capita: PerCapitaSpec
    non_taxable: NonTaxableSpec
    collection: CollectionSpec


# ---------------------------------------------------------------------------------------------
# The compiled form the calculation uses: tuples and exact integer rates.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncomeRow:
    quarter: bool
    rate: Rate
    add: int
    verified: bool


@dataclass(frozen=True, slots=True)
class IncomeTable:
    """所得 from 収入: the row is found by bisection on the upper bounds."""

    name: str
    bounds: tuple[int, ...]
    rows: tuple[IncomeRow, ...]

    def row_index(self, revenue: int) -> int:
        return bisect_right(self.bounds, revenue)

    def apply(self, revenue: int) -> tuple[int, bool]:
        """(所得, whether the row used is verified); 0 for no revenue."""
        if revenue <= 0:
            return 0, True
        row = self.rows[bisect_right(self.bounds, revenue)]
        base = revenue // 4000 * 1000 if row.quarter else revenue
        value = base * row.rate.numerator // row.rate.denominator + row.add
        return (value if value > 0 else 0), row.verified


@dataclass(frozen=True, slots=True)
class Tiers:
    """Amounts chosen by 合計所得: the first tier whose ``up_to`` it does not exceed."""

    name: str
    bounds: tuple[int, ...]
    values: tuple[tuple[int, ...], ...]
    verified: tuple[bool, ...]

    def pick(self, total_income: int) -> tuple[tuple[int, ...], bool]:
        index = bisect_left(self.bounds, total_income)
        return self.values[index], self.verified[index]


@dataclass(frozen=True, slots=True)
class Limit:
    per_person: int
    addition: int
    single: int

    def of(self, household_size: int) -> int:
        """The limit for N persons; a person alone (N = 1) has the single limit."""
        if household_size <= 1:
            return self.single
        return self.per_person * household_size + self.addition


@dataclass(frozen=True, slots=True)
class PartRate:
    municipal: Rate
    prefectural: Rate


@dataclass(frozen=True, slots=True)
class RuleSet:
    fiscal_year: int
    name: str
    taxable_base_unit: int
    levy_unit: int
    salary: IncomeTable
    pension_65_or_over: IncomeTable
    pension_under_65: IncomeTable
    basic: Tiers
    spouse: Tiers
    dependant: DependantAmounts
    disability: DisabilityAmounts
    widow: int
    single_parent: int
    working_student: int
    difference_basic: int
    difference_spouse: Tiers
    difference_dependant: DependantAmounts
    difference_disability: DisabilityAmounts
    difference_widow: int
    difference_single_mother: int
    difference_single_father: int
    difference_working_student: int
    rates: PartRate
    designated_rates: PartRate
    credit_threshold: int
    credit_minimum_base: int
    credit_max_total_income: int
    credit_max_total_income_verified: bool
    credit_split: PartRate
    designated_credit_split: PartRate
    municipal_surcharge: int
    prefectural_surcharge: int
    forest_environment_tax: bool
    personal_limit: int
    income_levy_limit: Limit
    per_capita_limits: Mapping[int, Limit]
    special_months: tuple[int, ...]
    ordinary_months: tuple[int, ...]
    spec: RuleSetSpec

    @property
    def fully_verified(self) -> bool:
        """False when any rule of the set is marked unverified (shown to clerks)."""
        tables = (self.salary, self.pension_65_or_over, self.pension_under_65)
        return (all(r.verified for t in tables for r in t.rows)
                and all(self.basic.verified) and all(self.spouse.verified)
                and all(self.difference_spouse.verified)
                and self.credit_max_total_income_verified)


def _table(name: str, spec: IncomeTableSpec) -> IncomeTable:
    *bounded, last = spec.rows
    if last.below is not None or any(r.below is None for r in bounded):
        raise RuleBookError(f"{name}: every row but the last has `below`, the last has none")
    bounds = tuple(r.below for r in bounded if r.below is not None)
    if any(a >= b for a, b in pairwise(bounds)):
        raise RuleBookError(f"{name}: `below` must increase from row to row")
    table = IncomeTable(name, bounds, tuple(
        IncomeRow(r.base == "quarter", _rate(name, r.rate), r.add, r.verified)
        for r in spec.rows))
    for bound in bounds:  # 所得 never falls when 収入 rises by one yen across a boundary
        if table.apply(bound - 1)[0] > table.apply(bound)[0]:
            raise RuleBookError(f"{name}: income falls at the boundary {bound:,}")
    return table


def _rate(where: str, text: str) -> Rate:
    try:
        return Rate.parse(text)
    except (ValueError, ArithmeticError) as exc:
        raise RuleBookError(f"{where}: {text!r} is not a rate") from exc


def _tiers(name: str, tiers: Iterable[BasicTier | SpouseTier]) -> Tiers:
    items = list(tiers)
    *bounded, last = items
    if last.up_to is not None or any(t.up_to is None for t in bounded):
        raise RuleBookError(f"{name}: every tier but the last has `up_to`, the last has none")
    bounds = tuple(t.up_to for t in bounded if t.up_to is not None)
    if any(a >= b for a, b in pairwise(bounds)):
        raise RuleBookError(f"{name}: `up_to` must increase from tier to tier")
    values = tuple((t.amount,) if isinstance(t, BasicTier) else (t.general, t.elderly)
                   for t in items)
    return Tiers(name, bounds, values, tuple(t.verified for t in items))


def _parts(where: str, spec: PartRates) -> PartRate:
    return PartRate(_rate(where, spec.municipal), _rate(where, spec.prefectural))


def compile_rule_set(spec: RuleSetSpec) -> RuleSet:
    d, p, a = spec.deductions, spec.personal_differences, spec.adjustment_credit
    limits = spec.non_taxable
    return RuleSet(
        fiscal_year=spec.fiscal_year, name=spec.name,
        taxable_base_unit=spec.rounding.taxable_base_unit, levy_unit=spec.rounding.levy_unit,
        salary=_table("salary_income", spec.salary_income),
        pension_65_or_over=_table("pension_income.age_65_or_over",
                                  spec.pension_income.age_65_or_over),
        pension_under_65=_table("pension_income.under_65", spec.pension_income.under_65),
        basic=_tiers("deductions.basic", d.basic), spouse=_tiers("deductions.spouse", d.spouse),
        dependant=d.dependant, disability=d.disability, widow=d.widow,
        single_parent=d.single_parent, working_student=d.working_student,
        difference_basic=p.basic,
        difference_spouse=_tiers("personal_differences.spouse", p.spouse),
        difference_dependant=p.dependant, difference_disability=p.disability,
        difference_widow=p.widow, difference_single_mother=p.single_mother,
        difference_single_father=p.single_father,
        difference_working_student=p.working_student,
        rates=_parts("rates.standard", spec.rates.standard),
        designated_rates=_parts("rates.designated_city", spec.rates.designated_city),
        credit_threshold=a.threshold, credit_minimum_base=a.minimum_base,
        credit_max_total_income=a.max_total_income,
        credit_max_total_income_verified=a.max_total_income_verified,
        credit_split=_parts("adjustment_credit.split.standard", a.split.standard),
        designated_credit_split=_parts("adjustment_credit.split.designated_city",
                                       a.split.designated_city),
        municipal_surcharge=spec.per_capita.municipal_surcharge,
        prefectural_surcharge=spec.per_capita.prefectural_surcharge,
        forest_environment_tax=spec.per_capita.forest_environment_tax,
        personal_limit=limits.personal_limit,
        income_levy_limit=Limit(**limits.income_levy.model_dump()),
        per_capita_limits={int(k): Limit(**v.model_dump())
                           for k, v in limits.per_capita.items()},
        special_months=tuple(spec.collection.special_months),
        ordinary_months=tuple(spec.collection.ordinary_months),
        spec=spec,
    )


def parse_rule_set(text: str, *, source: str) -> RuleSet:
    try:
        spec = RuleSetSpec.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RuleBookError(f"{source}: {exc}") from exc
    try:
        return compile_rule_set(spec)
    except RuleBookError as exc:
        raise RuleBookError(f"{source}: {exc}") from exc


class RuleBook:
    """Every fiscal year's rule set; asking for a year without one is an error."""

    def __init__(self, rule_sets: Iterable[RuleSet]) -> None:
        self._by_year: dict[int, RuleSet] = {}
        for rules in rule_sets:
            if rules.fiscal_year in self._by_year:
                raise RuleBookError(f"two rule sets for fiscal year {rules.fiscal_year}")
            self._by_year[rules.fiscal_year] = rules

    @property
    def fiscal_years(self) -> list[int]:
        return sorted(self._by_year)

    def has(self, fiscal_year: int) -> bool:
        return fiscal_year in self._by_year

    def for_year(self, fiscal_year: int) -> RuleSet:
        try:
            return self._by_year[fiscal_year]
        except KeyError:
            raise RuleBookError(f"no rule set for fiscal year {fiscal_year}") from None


def load_rule_book(package: str = "kyodo_tax.rules") -> RuleBook:
    """Every ``fyYYYY.toml`` shipped in the package, checked; the file name names the year."""
    rule_sets = []
    for entry in sorted(resources.files(package).iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("fy") and entry.name.endswith(".toml")):
            continue
        rules = parse_rule_set(entry.read_text(encoding="utf-8"), source=entry.name)
        if entry.name != f"fy{rules.fiscal_year}.toml":
            raise RuleBookError(f"{entry.name} holds fiscal year {rules.fiscal_year}")
        rule_sets.append(rules)
    if not rule_sets:
        raise RuleBookError(f"no rule files in {package}")
    return RuleBook(rule_sets)
