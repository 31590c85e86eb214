"""所得控除 (deductions from income) and 人的控除差 (the sum D of the 調整控除)."""

from __future__ import annotations

from dataclasses import dataclass

from kyodo_tax.domain.facts import Disability, Spouse, TaxpayerFacts, Widowhood
from kyodo_tax.domain.rulebook import RuleSet


@dataclass(slots=True)  # not frozen, for speed (see Assessment)
class Deductions:
    basic: int
    social_insurance: int
    spouse: int
    dependants: int
    disability: int
    widowhood: int
    working_student: int
    other: int

    @property
    def total(self) -> int:
        return (self.basic + self.social_insurance + self.spouse + self.dependants
                + self.disability + self.widowhood + self.working_student + self.other)


def deductions_of(facts: TaxpayerFacts, rules: RuleSet, total_income: int,
                  unverified: list[str]) -> Deductions:
    """The resident-tax deductions; tiers by 合計所得 (basic, spouse) are picked here."""
    (basic,), ok = rules.basic.pick(total_income)
    if not ok:
        unverified.append("deductions.basic")
    spouse = 0
    if facts.spouse is not Spouse.NONE:
        amounts, ok = rules.spouse.pick(total_income)
        spouse = amounts[facts.spouse is Spouse.ELDERLY]
        if not ok:
            unverified.append("deductions.spouse")
    d, amounts_of = facts.dependants, rules.dependant
    dependants = (d.general * amounts_of.general + d.specified * amounts_of.specified
                  + d.elderly * amounts_of.elderly
                  + d.elderly_cohabiting * amounts_of.elderly_cohabiting
                  + d.under_16 * amounts_of.under_16)
    disability = _disability(facts, rules.disability.general, rules.disability.special,
                             rules.disability.special_cohabiting)
    widowhood = 0
    if facts.widowhood is Widowhood.WIDOW:
        widowhood = rules.widow
    elif facts.widowhood is not Widowhood.NONE:
        widowhood = rules.single_parent
    return Deductions(
        basic=basic, social_insurance=facts.social_insurance, spouse=spouse,
        dependants=dependants, disability=disability, widowhood=widowhood,
        working_student=rules.working_student if facts.working_student else 0,
        other=facts.other_deductions,
    )


def _disability(facts: TaxpayerFacts, general: int, special: int,
                special_cohabiting: int) -> int:
    own = {Disability.NONE: 0, Disability.GENERAL: general, Disability.SPECIAL: special}
    d = facts.dependants
    return (own[facts.disability] + d.disabled_general * general
            + d.disabled_special * special
            + d.disabled_special_cohabiting * special_cohabiting)


def personal_difference(facts: TaxpayerFacts, rules: RuleSet, total_income: int,
                        unverified: list[str]) -> int:
    """D: what the resident-tax deductions fall short of the income-tax ones, per person."""
    total = rules.difference_basic
    if facts.spouse is not Spouse.NONE:
        amounts, ok = rules.difference_spouse.pick(total_income)
        total += amounts[facts.spouse is Spouse.ELDERLY]
        if not ok:
            unverified.append("personal_differences.spouse")
    d, of = facts.dependants, rules.difference_dependant
    total += (d.general * of.general + d.specified * of.specified + d.elderly * of.elderly
              + d.elderly_cohabiting * of.elderly_cohabiting + d.under_16 * of.under_16)
    dis = rules.difference_disability
    total += _disability(facts, dis.general, dis.special, dis.special_cohabiting)
    total += {Widowhood.NONE: 0, Widowhood.WIDOW: rules.difference_widow,
              Widowhood.SINGLE_MOTHER: rules.difference_single_mother,
              Widowhood.SINGLE_FATHER: rules.difference_single_father}[facts.widowhood]
    if facts.working_student:
        total += rules.difference_working_student
    return total
