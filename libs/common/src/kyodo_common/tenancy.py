"""Municipalities are the tenants: the 全国地方公共団体コード and the current tenant."""

from __future__ import annotations

import re
from contextvars import ContextVar

_CODE = re.compile(r"^[0-9]{6}$")
_WEIGHTS = (6, 5, 4, 3, 2)

current_municipality: ContextVar[str | None] = ContextVar("current_municipality", default=None)


def municipality_check_digit(first_five: str) -> int:
    """Check digit of a local government code: weights 6..2, (11 - s mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_municipality_code(code: str) -> bool:
    if not _CODE.match(code):
        return False
    return municipality_check_digit(code[:5]) == int(code[5])
