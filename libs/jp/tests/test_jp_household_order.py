"""The order of a household's members (DOMAIN.md §3), shared by the register, certificates
and the disaster ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyodo_jp.household_order import Rank, member_order, rank


@dataclass
class Member:
    relationship: str | None
    birth_date: date | None
    resident_number: str
    birth_date_partial: str | None = None


@dataclass
class LedgerRow:  # the disaster ledger's rows have no partial birth dates
    relationship: str | None
    birth_date: date | None
    resident_number: str


def test_head_spouse_children_their_families_elders_others_then_age_then_number() -> None:
    members = [
        Member("同居人", date(1960, 1, 1), "0009"),
        Member("母", date(1940, 1, 1), "0008"),
        Member("子の妻", date(1992, 1, 1), "0007"),
        Member("子", date(1995, 1, 1), "0006"),
        Member("子", date(1990, 1, 1), "0005"),
        Member("妻（未届）", date(1966, 1, 1), "0004"),
        Member("世帯主", date(1965, 1, 1), "0003"),
        Member("子", None, "0002", birth_date_partial="1993-XX-XX"),
        Member("子", date(1990, 1, 1), "0001"),
        Member(None, date(1950, 1, 1), "0010"),
    ]
    ordered = [m.resident_number for m in sorted(members, key=member_order)]
    assert ordered == ["0003", "0004", "0001", "0005", "0002", "0006", "0007", "0008",
                       "0010", "0009"]


def test_rows_without_partial_dates_sort_the_same_way() -> None:
    rows = [LedgerRow("子", date(2001, 1, 1), "2"), LedgerRow("父の母", date(1930, 1, 1), "3"),
            LedgerRow("世帯主", None, "1"), LedgerRow("妻", date(1970, 1, 1), "4")]
    assert [r.resident_number for r in sorted(rows, key=member_order)] == ["1", "4", "2", "3"]
    assert rank("父の母") is Rank.ELDERS_AND_SIBLINGS
    assert rank("兄の子") is Rank.OTHER_RELATIVES
