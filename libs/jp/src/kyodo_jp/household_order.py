"""The order a household's members are listed in (DOMAIN.md §3): the 続柄's rank (世帯主,
spouse, children, their families, elders and siblings, other relatives, 縁故者, 同居人), then
birth date, then 宛名番号. One rule for the register, its certificates and the disaster
ledger, which each list members from their own copy of the data."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

HEAD = "世帯主"
SPOUSES = frozenset({"妻", "夫", "妻(未届)", "夫(未届)"})
_ELDERS_AND_SIBLINGS = frozenset({"父", "母", "兄", "姉", "弟", "妹"})


class Rank(IntEnum):
    """Order of members on certificates: head, spouse, children, their families, elders…"""

    HEAD = 0
    SPOUSE = 1
    CHILD = 2
    CHILDS_FAMILY = 3
    ELDERS_AND_SIBLINGS = 4
    OTHER_RELATIVES = 5
    EN_KO_SHA = 6
    DOUKYONIN = 7


def normalize(relationship: str) -> str:
    return relationship.strip().replace("（", "(").replace("）", ")")


def rank(relationship: str) -> Rank:
    value = normalize(relationship)
    if value == HEAD:
        return Rank.HEAD
    if value in SPOUSES:
        return Rank.SPOUSE
    if value == "子":
        return Rank.CHILD
    if value == "縁故者":
        return Rank.EN_KO_SHA
    if value == "同居人":
        return Rank.DOUKYONIN
    links = value.split("の")
    if links[0] == "子":
        return Rank.CHILDS_FAMILY
    if len(links) == 1 and links[0] in _ELDERS_AND_SIBLINGS:
        return Rank.ELDERS_AND_SIBLINGS
    if links[0] in {"父", "母"} and links[-1] in {"父", "母"}:
        return Rank.ELDERS_AND_SIBLINGS  # grandparents: 父の父, 母の母 …
    return Rank.OTHER_RELATIVES


def member_order(member: Any) -> tuple[int, str, str]:
    """Sort key of anything with `relationship`, `birth_date` (a date or None), optionally
    `birth_date_partial` ("1950-XX-XX": the unknown parts sort last) and `resident_number`."""
    born: date | None = member.birth_date
    birth = born.isoformat() if born else \
        (getattr(member, "birth_date_partial", None) or "9999").replace("X", "9")
    return (int(rank(member.relationship or "同居人")), birth, member.resident_number)
