"""Yen arithmetic: exact rates (no floats) and the floors the law prescribes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate as an exact fraction, so that 0.9 × 8,499,999 floors the way the law means."""

    numerator: int
    denominator: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        value = Fraction(Decimal(text))
        if value < 0:
            raise ValueError(f"a rate is not negative: {text}")
        return cls(value.numerator, value.denominator)

    def of(self, amount: int) -> int:
        """floor(amount × rate), for amounts ≥ 0."""
        return amount * self.numerator // self.denominator

    def __str__(self) -> str:
        return str(Decimal(self.numerator) / Decimal(self.denominator))


def floor_to(amount: int, unit: int) -> int:
    """Round down to a multiple of unit (amounts ≥ 0: 課税標準 to 1,000, 所得割 to 100)."""
    return amount - amount % unit if amount > 0 else 0
