"""被災者生活再建支援金: what a household may receive for its house's grade (ledger only).

Never printed on a 罹災証明書 and never put in an event: the amounts belong to the victims
ledger (被災者台帳), which the support office works from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.rules import SupportRules

UNDECIDED = "undecided"  # 再建方法 not chosen yet: the additional amount comes later


@dataclass(frozen=True)
class Support:
    """Amounts for one household; None where a rule that applies is not verified (left open)."""

    eligible: bool
    base: int | None
    additional: int | None
    total: int | None
    unverified_rules: tuple[str, ...]


def rebuilding_methods(rules: SupportRules) -> tuple[str, ...]:
    return (UNDECIDED, *rules.additional)


def support_for(grade: Grade | None, *, rebuilding_method: str, household_size: int,
                rules: SupportRules, allow_unverified: bool) -> Support:
    """基礎支援金 by grade plus 加算支援金 by rebuilding method, for one household."""
    if rebuilding_method != UNDECIDED and rebuilding_method not in rules.additional:
        raise ValueError(f"unknown rebuilding method {rebuilding_method!r}")
    if grade is None or grade not in rules.base:
        return Support(eligible=False, base=0, additional=0, total=0, unverified_rules=())
    unverified: list[str] = []
    base: int | None = rules.base[grade]
    additional: int | None = 0
    if rebuilding_method != UNDECIDED:
        rule = rules.additional[rebuilding_method]
        additional = rule.amounts.get(grade, 0)
        if not rule.verified:
            unverified.append(f"加算支援金（{rule.name}）")
            additional = additional if allow_unverified else None
    if household_size == 1:
        unverified_factor = not rules.single_person_verified
        if unverified_factor:
            unverified.append("単数世帯の支給額")
        if not unverified_factor or allow_unverified:
            base = _share(base, rules.single_person_factor)
            additional = _share(additional, rules.single_person_factor)
        else:
            base = additional = None
    total = None if base is None or additional is None else base + additional
    return Support(eligible=True, base=base, additional=additional, total=total,
                   unverified_rules=tuple(unverified))


def _share(amount: int | None, factor: Decimal) -> int | None:
    if amount is None:
        return None
    return int((Decimal(amount) * factor).to_integral_value(rounding=ROUND_DOWN))
