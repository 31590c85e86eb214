"""特別徴収 (12, June–May) and 普通徴収 (4) instalments, our remainder rule, the switch to
普通徴収 on leaving the job or death, and re-planning after a correction."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo_tax.domain.instalments import (
    CollectionPlan,
    Method,
    SwitchReason,
    plan,
    replan,
    split,
    switch_to_ordinary,
)

SPECIAL = [6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5]
ORDINARY = [6, 8, 10, 1]
FY = 2025


def _special(total: int) -> CollectionPlan:
    return plan(total, fiscal_year=FY, method=Method.SPECIAL, special_months=SPECIAL,
                ordinary_months=ORDINARY)


def test_special_collection_puts_the_odd_yen_in_june() -> None:
    """114,700 / 12 = 9,558.3 → 9,500 each from July; June 114,700 − 11 × 9,500 = 10,200."""
    p = _special(114_700)
    assert [i.period for i in p.instalments] == [
        (2025, 6), (2025, 7), (2025, 8), (2025, 9), (2025, 10), (2025, 11), (2025, 12),
        (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5)]
    assert [i.amount for i in p.instalments] == [10_200] + [9_500] * 11
    assert p.total == 114_700 and p.method is Method.SPECIAL


def test_ordinary_collection_in_four_bills() -> None:
    """114,700 / 4 = 28,675 → 28,600 for the 2nd to 4th bill, the first 28,900."""
    p = plan(114_700, fiscal_year=FY, method=Method.ORDINARY, special_months=SPECIAL,
             ordinary_months=ORDINARY)
    assert [(i.period, i.amount) for i in p.instalments] == [
        ((2025, 6), 28_900), ((2025, 8), 28_600), ((2025, 10), 28_600), ((2026, 1), 28_600)]


def test_small_and_zero_totals() -> None:
    assert [i.amount for i in _special(5_000).instalments] == [600] + [400] * 11
    assert [i.amount for i in _special(1_000).instalments] == [1_000] + [0] * 11
    assert _special(0).instalments == ()


@given(st.integers(0, 50_000_000), st.integers(1, 12))
def test_split_keeps_the_total_and_rounds_all_but_the_first(total: int, count: int) -> None:
    parts = split(total, count)
    assert sum(parts) == total and len(parts) == count
    assert all(p % 100 == 0 for p in parts[1:]) and parts[0] >= parts[-1]


def test_leaving_the_job_bills_the_rest_on_the_ordinary_dates_ahead() -> None:
    """Left on 15 September: June–September withheld (10,200 + 3 × 9,500 = 38,700); the 8
    instalments after (76,000) are billed in October and January, 38,000 each."""
    switched = switch_to_ordinary(_special(114_700), on=date(2025, 9, 15),
                                  reason=SwitchReason.LEFT_JOB, fiscal_year=FY,
                                  ordinary_months=ORDINARY)
    special = [i for i in switched.instalments if i.method is Method.SPECIAL]
    ordinary = [(i.period, i.amount) for i in switched.instalments
                if i.method is Method.ORDINARY]
    assert sum(i.amount for i in special) == 38_700 and len(special) == 4
    assert ordinary == [((2025, 10), 38_000), ((2026, 1), 38_000)]
    assert switched.total == 114_700
    assert (switched.switched_on, switched.switch_reason) == (date(2025, 9, 15),
                                                              SwitchReason.LEFT_JOB)


def test_after_the_last_ordinary_date_one_bill_the_next_month() -> None:
    """Left on 10 February: 9 instalments withheld; March–May (28,500) in one bill in March."""
    switched = switch_to_ordinary(_special(114_700), on=date(2026, 2, 10),
                                  reason=SwitchReason.LEFT_JOB, fiscal_year=FY,
                                  ordinary_months=ORDINARY)
    assert [(i.period, i.amount, i.method) for i in switched.instalments][-1] == (
        (2026, 3), 28_500, Method.ORDINARY)
    assert switched.total == 114_700


def test_death_on_31_december() -> None:
    """Withheld through December (10,200 + 6 × 9,500 = 67,200); 47,500 billed in January."""
    switched = switch_to_ordinary(_special(114_700), on=date(2025, 12, 31),
                                  reason=SwitchReason.DIED, fiscal_year=FY,
                                  ordinary_months=ORDINARY)
    ordinary = [(i.period, i.amount) for i in switched.instalments
                if i.method is Method.ORDINARY]
    assert ordinary == [((2026, 1), 47_500)]


def test_leaving_in_december_year_end_rolls_to_january() -> None:
    switched = switch_to_ordinary(_special(12_000), on=date(2026, 5, 20),
                                  reason=SwitchReason.LEFT_JOB, fiscal_year=FY,
                                  ordinary_months=ORDINARY)
    assert switched.total == 12_000  # everything was due by May: nothing moves
    assert all(i.method is Method.SPECIAL for i in switched.instalments)


def test_a_correction_spreads_the_difference_over_what_is_still_ahead() -> None:
    """Corrected on 20 August from 114,700 to 126,700: June–August stand (10,200 + 2 × 9,500 =
    29,200); the rest 97,500 over 9 months: 10,800 × 8 = 86,400 and September 11,100."""
    p = replan(_special(114_700), 126_700, as_of=date(2025, 8, 20), fiscal_year=FY,
               method=Method.SPECIAL, special_months=SPECIAL, ordinary_months=ORDINARY)
    assert [i.amount for i in p.instalments] == [10_200, 9_500, 9_500, 11_100] + [10_800] * 8
    assert p.total == 126_700


def test_a_correction_below_what_was_paid_is_a_refund_line() -> None:
    paid_by_may = replan(_special(114_700), 100_000, as_of=date(2026, 5, 31), fiscal_year=FY,
                         method=Method.SPECIAL, special_months=SPECIAL,
                         ordinary_months=ORDINARY)
    assert paid_by_may.instalments[-1].amount == -14_700
    assert paid_by_may.total == 100_000


@pytest.mark.parametrize("as_of", [date(2025, 5, 1), date(2025, 6, 30), date(2025, 12, 1)])
def test_replan_always_keeps_the_new_total(as_of: date) -> None:
    p = replan(_special(114_700), 98_300, as_of=as_of, fiscal_year=FY, method=Method.SPECIAL,
               special_months=SPECIAL, ordinary_months=ORDINARY)
    assert p.total == 98_300
