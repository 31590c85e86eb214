"""Member order on certificates (DOMAIN.md §3): the 続柄's rank, then birth date, then 宛名番号."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyodo_residents.domain.model import member_order


@dataclass
class Member:
    name: str
    relationship: str | None
    birth_date: date | None
    resident_number: str
    birth_date_partial: str | None = None


def ordered(*members: Member) -> list[str]:
    return [m.name for m in sorted(members, key=member_order)]


def test_children_born_the_same_day_go_by_resident_number() -> None:
    twins = [Member("second", "子", date(2012, 3, 3), "0000000027"),
             Member("first", "子", date(2012, 3, 3), "0000000019")]
    assert ordered(*twins) == ["first", "second"]


def test_the_relationship_comes_before_the_birth_date() -> None:
    assert ordered(Member("child", "子", date(1990, 1, 1), "0000000019"),
                   Member("wife", "妻", date(1995, 1, 1), "0000000027"),
                   Member("head", "世帯主", date(2000, 1, 1), "0000000035"),
                   Member("lodger", "同居人", date(1950, 1, 1), "0000000043"),
                   Member("grandchild", "子の子", date(2010, 1, 1), "0000000051"),
                   Member("mother", "母", date(1940, 1, 1), "0000000060")) == [
        "head", "wife", "child", "grandchild", "mother", "lodger"]


def test_a_partly_known_birth_date_sorts_after_the_known_days_of_its_month() -> None:
    """An unknown day (XX) counts as the month's end; an unknown year as the last; no 続柄
    counts as 同居人."""
    assert ordered(Member("unknown-day", "子", None, "0000000019", "2012-03-XX"),
                   Member("known", "子", date(2012, 3, 31), "0000000027"),
                   Member("unknown-year", "子", None, "0000000035", "XXXX"),
                   Member("early", "子", date(2012, 3, 1), "0000000043")) == [
        "early", "known", "unknown-day", "unknown-year"]
    assert ordered(Member("none", None, date(1950, 1, 1), "0000000019"),
                   Member("lodger", "同居人", date(1960, 1, 1), "0000000027"))[0] == "none"
