"""Versions of an assessment: the first one (当初賦課), corrections (更正) with their difference,
and nothing at all when the inputs did not change."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kyodo_tax.domain.assessment import Assessment, assess
from kyodo_tax.domain.facts import MunicipalTaxConfig, TaxpayerFacts
from kyodo_tax.domain.instalments import CollectionPlan, Method, plan, replan
from kyodo_tax.domain.rulebook import RuleSet


@dataclass(frozen=True, slots=True)
class PreviousAssessment:
    id: UUID
    version: int
    inputs_hash: str
    total: int
    collection: Method
    # Read only for a correction: most persons of a re-run are unchanged, and their plans
    # need not be decoded at all.
    plan_source: Callable[[], CollectionPlan]

    @property
    def plan(self) -> CollectionPlan:
        return self.plan_source()


@dataclass(slots=True)  # not frozen, for speed (see Assessment)
class Outcome:
    facts: TaxpayerFacts
    result: Assessment
    version: int
    collection: Method
    plan: CollectionPlan
    inputs_hash: str
    previous: PreviousAssessment | None
    rules_name: str

    @property
    def is_correction(self) -> bool:
        return self.previous is not None

    @property
    def previous_total(self) -> int | None:
        return self.previous.total if self.previous else None

    @property
    def difference(self) -> int | None:
        """What the correction adds (negative: what is refunded)."""
        return self.result.total - self.previous.total if self.previous else None


def inputs_hash(facts: TaxpayerFacts, config: MunicipalTaxConfig, rules: RuleSet) -> str:
    """Same facts, tenant amounts (and rates) and rule set: the same assessment, so no new
    version.

    Every field, in declaration order (a new field changes every hash once, which only makes
    the next bulk run write new versions); written out because repr() is three times slower."""
    f, d, c = facts, facts.dependants, config
    text = (f"{rules.name}|{f.fiscal_year}|{f.salary_revenue}|{f.pension_revenue}|"
            f"{f.aged_65_or_over}|{f.other_income}|{f.social_insurance}|{f.other_deductions}|"
            f"{f.spouse.value}|{d.general},{d.specified},{d.elderly},{d.elderly_cohabiting},"
            f"{d.under_16},{d.disabled_general},{d.disabled_special},"
            f"{d.disabled_special_cohabiting}|{f.disability.value}|{f.widowhood.value}|"
            f"{f.working_student}|{f.minor}|{c.per_capita_municipal},"
            f"{c.per_capita_prefectural},{c.forest_environment_tax},{c.kyuchi},"
            f"{c.designated_city}")
    if f.dependant_persons:  # only then, as for the rates below
        text += "|" + ",".join(str(p) for p in f.dependant_persons)
    if c.income_levy_rates is not None:  # only then: the standard towns' hashes stay as they were
        text += f"|{c.income_levy_rates[0]},{c.income_levy_rates[1]}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def next_version(*, facts: TaxpayerFacts, method: Method, rules: RuleSet,
                 config: MunicipalTaxConfig, previous: PreviousAssessment | None,
                 allow_unverified: bool, today: date) -> Outcome | None:
    """The new version, or None when it would repeat the previous one. Raises UnverifiedRule."""
    digest = inputs_hash(facts, config, rules)
    if previous is not None and previous.inputs_hash == digest:
        return None
    result = assess(facts, rules, config, allow_unverified=allow_unverified)
    months = {"special_months": rules.special_months, "ordinary_months": rules.ordinary_months}
    if previous is None or not previous.plan.instalments:
        collection = method
        new_plan = plan(result.total, fiscal_year=facts.fiscal_year, method=method, **months)
    else:
        collection = previous.collection
        new_plan = replan(previous.plan, result.total, as_of=today,
                          fiscal_year=facts.fiscal_year, method=collection, **months)
    return Outcome(facts=facts, result=result,
                   version=previous.version + 1 if previous else 1, collection=collection,
                   plan=new_plan, inputs_hash=digest, previous=previous,
                   rules_name=rules.name)
