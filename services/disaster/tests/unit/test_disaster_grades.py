"""被害の程度 from the damage ratio: every boundary of DOMAIN §6's table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kyodo_disaster.domain.grades import Grade, InvalidRatio, grade_for


@pytest.mark.parametrize(("ratio", "grade"), [
    ("0", Grade.PARTIAL),
    ("9.99", Grade.PARTIAL),
    ("10", Grade.QUASI_HALF),
    ("19.99", Grade.QUASI_HALF),
    ("20", Grade.HALF),
    ("29.99", Grade.HALF),
    ("30", Grade.MEDIUM_SCALE_HALF),
    ("39.99", Grade.MEDIUM_SCALE_HALF),
    ("40", Grade.LARGE_SCALE_HALF),
    ("49.99", Grade.LARGE_SCALE_HALF),
    ("50", Grade.TOTAL),
    ("100", Grade.TOTAL),
    ("10.00", Grade.QUASI_HALF),
])
def test_each_boundary_belongs_to_the_grade_above_it(ratio: str, grade: Grade) -> None:
    assert grade_for(Decimal(ratio)) is grade


def test_labels_are_what_a_certificate_prints_and_codes_round_trip() -> None:
    assert [g.label for g in Grade] == ["全壊", "大規模半壊", "中規模半壊", "半壊", "準半壊",
                                        "準半壊に至らない（一部損壊）"]
    assert all(Grade.from_code(g.code) is g for g in Grade)


@pytest.mark.parametrize("ratio", ["-0.01", "100.01", "9.999", "NaN", "Infinity"])
def test_ratios_outside_0_to_100_or_finer_than_a_hundredth_are_refused(ratio: str) -> None:
    with pytest.raises(InvalidRatio):
        grade_for(Decimal(ratio))
