"""Sheets of a certificate: 世帯連記式 lists up to 4 persons per sheet, 個人票 one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

HOUSEHOLD_PER_SHEET = 4


def paginate(items: Sequence[T], per_sheet: int) -> list[tuple[T, ...]]:
    """Consecutive groups of at most `per_sheet`, in order; one empty sheet for no items."""
    if per_sheet < 1:
        raise ValueError("a sheet holds at least one item")
    if not items:
        return [()]
    return [tuple(items[i:i + per_sheet]) for i in range(0, len(items), per_sheet)]
