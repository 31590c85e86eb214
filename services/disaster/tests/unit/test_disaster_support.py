"""被災者生活再建支援金 by grade and rebuilding method, from the packaged rules file."""

from __future__ import annotations

import pytest

from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.rules import load_rules
from kyodo_disaster.domain.support import UNDECIDED, rebuilding_methods, support_for

RULES = load_rules().support


def _support(grade: Grade | None, method: str = "build", size: int = 3,
             allow_unverified: bool = False) -> tuple[bool, int | None, int | None, int | None]:
    s = support_for(grade, rebuilding_method=method, household_size=size, rules=RULES,
                    allow_unverified=allow_unverified)
    return s.eligible, s.base, s.additional, s.total


@pytest.mark.parametrize(("grade", "base", "additional"), [
    (Grade.TOTAL, 1_000_000, 2_000_000),
    (Grade.LARGE_SCALE_HALF, 500_000, 2_000_000),
    (Grade.MEDIUM_SCALE_HALF, 0, 1_000_000),
])
def test_domain_amounts_for_rebuilding(grade: Grade, base: int, additional: int) -> None:
    assert _support(grade) == (True, base, additional, base + additional)


@pytest.mark.parametrize("grade", [Grade.HALF, Grade.QUASI_HALF, Grade.PARTIAL, None])
def test_lower_grades_and_unsurveyed_houses_get_nothing(grade: Grade | None) -> None:
    assert _support(grade) == (False, 0, 0, 0)


def test_the_additional_amount_waits_for_the_rebuilding_method() -> None:
    assert _support(Grade.TOTAL, UNDECIDED) == (True, 1_000_000, 0, 1_000_000)


def test_unverified_methods_are_left_open_unless_allowed() -> None:
    assert _support(Grade.TOTAL, "repair") == (True, 1_000_000, None, None)
    assert _support(Grade.TOTAL, "repair", allow_unverified=True) == (
        True, 1_000_000, 1_000_000, 2_000_000)
    assert _support(Grade.MEDIUM_SCALE_HALF, "rent", allow_unverified=True) == (
        True, 0, 250_000, 250_000)
    s = support_for(Grade.TOTAL, rebuilding_method="rent", household_size=2, rules=RULES,
                    allow_unverified=False)
    assert s.unverified_rules == ("加算支援金（賃借（公営住宅以外））",)


def test_a_single_person_household_gets_three_quarters_only_when_allowed() -> None:
    assert _support(Grade.TOTAL, size=1) == (True, None, None, None)
    assert _support(Grade.TOTAL, size=1, allow_unverified=True) == (
        True, 750_000, 1_500_000, 2_250_000)


def test_methods_come_from_the_rules_and_unknown_ones_are_refused() -> None:
    assert rebuilding_methods(RULES) == (UNDECIDED, "build", "repair", "rent")
    with pytest.raises(ValueError, match="unknown rebuilding method"):
        _support(Grade.TOTAL, "rebuy")
