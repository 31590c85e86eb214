"""The order a household's members are listed in: 世帯主, spouse, then the others by age."""

from __future__ import annotations

from datetime import date
from typing import Any

_RANK = {"世帯主": 0, "妻": 1, "夫": 1, "妻(未届)": 1, "夫(未届)": 1, "妻（未届）": 1,
         "夫（未届）": 1}


def member_order(member: Any) -> tuple[int, date, str]:
    """Sort key of a read-model row (relationship, birth_date, resident_number)."""
    return (_RANK.get(member.relationship or "", 2), member.birth_date or date.max,
            member.resident_number)
