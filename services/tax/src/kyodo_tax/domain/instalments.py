"""Collection: 特別徴収 (payroll, 12 monthly instalments June–May) or 普通徴収 (4 bills).

The remainder rule we chose (municipalities differ; ours is written down here and tested):
every instalment but the first is the equal share rounded **down to 100 yen**, and the first
instalment takes what is left, so the odd yen fall in June (特別徴収) or in the first bill
(普通徴収). E.g. 114,700 over 12 months: 11 × 9,500 and June 10,200.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import NamedTuple

UNIT = 100


class Method(StrEnum):
    SPECIAL = "special"  # 特別徴収
    ORDINARY = "ordinary"  # 普通徴収


class SwitchReason(StrEnum):
    LEFT_JOB = "left_job"  # 退職
    DIED = "died"  # 死亡


class Instalment(NamedTuple):
    """A tuple, not a dataclass: a bulk run creates millions of them."""

    year: int
    month: int
    amount: int
    method: Method

    @property
    def period(self) -> tuple[int, int]:
        return self.year, self.month


@dataclass(frozen=True, slots=True)
class CollectionPlan:
    """The instalments as three parallel tuples (a bulk run makes one plan per person, and
    the periods and methods of a first plan are shared tuples, not 12 new objects)."""

    periods: tuple[tuple[int, int], ...] = ()
    amounts: tuple[int, ...] = ()
    methods: tuple[Method, ...] = ()
    switched_on: date | None = None
    switch_reason: SwitchReason | None = None

    @classmethod
    def of(cls, instalments: Sequence[Instalment], switched_on: date | None = None,
           switch_reason: SwitchReason | None = None) -> CollectionPlan:
        return cls(tuple(i.period for i in instalments), tuple(i.amount for i in instalments),
                   tuple(i.method for i in instalments), switched_on, switch_reason)

    @property
    def instalments(self) -> tuple[Instalment, ...]:
        return tuple(Instalment(y, m, a, method) for (y, m), a, method
                     in zip(self.periods, self.amounts, self.methods, strict=True))

    @property
    def total(self) -> int:
        return sum(self.amounts)

    @property
    def method(self) -> Method:
        """What the plan started as (a switched plan ends in 普通徴収)."""
        return self.methods[0] if self.methods else Method.ORDINARY


@cache
def due_periods(fiscal_year: int, months: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The months of a fiscal year in order: June–December of Y, then January–May of Y+1."""
    return tuple((fiscal_year if m >= 6 else fiscal_year + 1, m) for m in months)


@cache
def _same(method: Method, count: int) -> tuple[Method, ...]:
    return (method,) * count


def split(total: int, count: int) -> list[int]:
    """Equal shares floored to 100 yen, the rest in the first (see the module docstring)."""
    if count <= 0:
        raise ValueError("at least one instalment")
    share = total // count // UNIT * UNIT
    return [total - share * (count - 1), *([share] * (count - 1))]


def plan(total: int, *, fiscal_year: int, method: Method,
         special_months: Sequence[int], ordinary_months: Sequence[int]) -> CollectionPlan:
    if total <= 0:
        return CollectionPlan()
    months = special_months if method is Method.SPECIAL else ordinary_months
    periods = due_periods(fiscal_year, tuple(months))
    return CollectionPlan(periods, tuple(split(total, len(periods))),
                          _same(method, len(periods)))


def _after(period: tuple[int, int], day: date) -> bool:
    return period > (day.year, day.month)


def switch_to_ordinary(current: CollectionPlan, *, on: date, reason: SwitchReason,
                       fiscal_year: int, ordinary_months: Sequence[int]) -> CollectionPlan:
    """退職 or 死亡: the employer withholds through the month of the event; every 特別徴収
    instalment after it is billed instead, on the 普通徴収 dates still ahead (or, when none is
    left, in one bill the month after)."""
    kept = [i for i in current.instalments
            if i.method is Method.ORDINARY or not _after(i.period, on)]
    remainder = sum(i.amount for i in current.instalments) - sum(i.amount for i in kept)
    if remainder <= 0:
        return CollectionPlan.of(kept, on, reason)
    taken = {i.period for i in kept if i.method is Method.ORDINARY}
    periods = [p for p in due_periods(fiscal_year, tuple(ordinary_months))
               if _after(p, on) and p not in taken]
    if not periods:
        periods = [(on.year + on.month // 12, on.month % 12 + 1)]
    bills = [Instalment(y, m, amount, Method.ORDINARY)
             for (y, m), amount in zip(periods, split(remainder, len(periods)), strict=True)]
    return CollectionPlan.of(sorted([*kept, *bills], key=lambda i: i.period), on, reason)


def replan(current: CollectionPlan, new_total: int, *, as_of: date, fiscal_year: int,
           method: Method, special_months: Sequence[int],
           ordinary_months: Sequence[int]) -> CollectionPlan:
    """After a correction: instalments already due (through ``as_of``'s month) stand; the rest
    of the new total is spread over the instalments still ahead, by the same rule. A negative
    rest is a refund (one negative line in the month after)."""
    if not current.amounts:
        return plan(new_total, fiscal_year=fiscal_year, method=method,
                    special_months=special_months, ordinary_months=ordinary_months)
    due = [i for i in current.instalments if not _after(i.period, as_of)]
    rest = new_total - sum(i.amount for i in due)
    ahead = [i for i in current.instalments if _after(i.period, as_of)]
    if rest == 0:
        return CollectionPlan.of(due, current.switched_on, current.switch_reason)
    if rest < 0 or not ahead:
        month = (as_of.year + as_of.month // 12, as_of.month % 12 + 1)
        line = Instalment(*month, rest, Method.ORDINARY)
        return CollectionPlan.of([*due, line], current.switched_on, current.switch_reason)
    amounts = split(rest, len(ahead))
    spread = [Instalment(i.year, i.month, a, i.method)
              for i, a in zip(ahead, amounts, strict=True)]
    return CollectionPlan.of([*due, *spread], current.switched_on, current.switch_reason)
