"""被害の程度: the damage grade of a house from its damage ratio (損害割合, DOMAIN §6)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

MIN_RATIO = Decimal("0")
MAX_RATIO = Decimal("100")
# Ratios are surveyed to two decimals (9.99 %); more would be precision nobody measured.
RATIO_PLACES = Decimal("0.01")


class Grade(StrEnum):
    """The code (stable, for programs) is the value; the label is printed on a 罹災証明書."""

    TOTAL = "total"  # 全壊
    LARGE_SCALE_HALF = "large_scale_half"  # 大規模半壊
    MEDIUM_SCALE_HALF = "medium_scale_half"  # 中規模半壊
    HALF = "half"  # 半壊
    QUASI_HALF = "quasi_half"  # 準半壊
    PARTIAL = "partial"  # 準半壊に至らない（一部損壊）

    @property
    def code(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _GRADE_LABELS[self]

    @classmethod
    def from_code(cls, code: str) -> Grade:
        try:
            return cls(code)
        except ValueError:
            raise ValueError(f"unknown grade {code!r}") from None


_GRADE_LABELS = {Grade.TOTAL: "全壊", Grade.LARGE_SCALE_HALF: "大規模半壊",
                 Grade.MEDIUM_SCALE_HALF: "中規模半壊", Grade.HALF: "半壊",
                 Grade.QUASI_HALF: "準半壊", Grade.PARTIAL: "準半壊に至らない（一部損壊）"}


# Lower bound (inclusive) of each grade, highest first: the table of DOMAIN §6.
_THRESHOLDS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("50"), Grade.TOTAL),
    (Decimal("40"), Grade.LARGE_SCALE_HALF),
    (Decimal("30"), Grade.MEDIUM_SCALE_HALF),
    (Decimal("20"), Grade.HALF),
    (Decimal("10"), Grade.QUASI_HALF),
)


class InvalidRatio(ValueError):
    """A damage ratio outside 0–100 % or finer than 0.01 %."""


def checked_ratio(ratio: Decimal) -> Decimal:
    if not ratio.is_finite() or not MIN_RATIO <= ratio <= MAX_RATIO:
        raise InvalidRatio("a damage ratio is a percentage from 0 to 100")
    if ratio != ratio.quantize(RATIO_PLACES):
        raise InvalidRatio("a damage ratio has at most two decimals")
    return ratio.quantize(RATIO_PLACES)


def grade_for(ratio: Decimal) -> Grade:
    """全壊 ≥ 50 %, 大規模半壊 ≥ 40, 中規模半壊 ≥ 30, 半壊 ≥ 20, 準半壊 ≥ 10, else 一部損壊."""
    ratio = checked_ratio(ratio)
    for lower_bound, grade in _THRESHOLDS:
        if ratio >= lower_bound:
            return grade
    return Grade.PARTIAL
