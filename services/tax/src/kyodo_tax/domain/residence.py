"""The 1 January rule (賦課期日): which municipality taxes a person for a fiscal year.

The municipality where the person is registered (status ``resident``) at the end of 1 January
of the fiscal year levies the whole year's tax. The register history comes from the residents
service's events: each entry is one version of one resident record, effective from its date.
A person is linked across municipalities by ``platform_person_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from uuid import UUID

from kyodo_tax.domain.ages import assessment_date

RESIDENT = "resident"


class AmbiguousResidence(Exception):
    """Two municipalities have the person as resident on the day (a move not yet filed at one
    end): a clerk must settle it before the person can be assessed."""


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    municipality_code: str
    resident_id: UUID
    platform_person_id: UUID
    version: int
    effective_date: date
    status: str
    address: str = ""
    postal_code: str = ""


def state_on(entries: Iterable[RegisterEntry], day: date) -> RegisterEntry | None:
    """The record's state at the end of ``day``: its latest change effective on or before it
    (a later version wins between changes of the same day)."""
    known = [e for e in entries if e.effective_date <= day]
    return max(known, key=lambda e: (e.effective_date, e.version), default=None)


def residence_on(entries: Iterable[RegisterEntry], day: date) -> RegisterEntry | None:
    """Where the person was registered as resident at the end of ``day``, if anywhere."""
    by_record: dict[UUID, list[RegisterEntry]] = {}
    for entry in entries:
        by_record.setdefault(entry.resident_id, []).append(entry)
    resident = [s for s in (state_on(e, day) for e in by_record.values())
                if s is not None and s.status == RESIDENT]
    municipalities = {s.municipality_code for s in resident}
    if len(municipalities) > 1:
        raise AmbiguousResidence(f"resident in {sorted(municipalities)} on {day}")
    return max(resident, key=lambda s: (s.effective_date, s.version), default=None)


def taxing_municipality(entries: Iterable[RegisterEntry], fiscal_year: int) -> str | None:
    state = residence_on(entries, assessment_date(fiscal_year))
    return state.municipality_code if state else None


class DependantOnJanuaryFirst(NamedTuple):
    """A spouse or dependant a taxpayer declared, registered in the municipality on 1 January,
    and whether they filed anything of their own for the year (a salary report or a
    declaration): one who did not has ＊ in the amounts of their 課税証明書 (DOMAIN.md §5)."""

    platform_person_id: UUID
    resident_id: UUID
    postal_code: str
    address: str
    declared: bool


class Taxpayer(NamedTuple):
    """A person registered in the municipality on 1 January, as the register had them then
    (a tuple: a bulk run makes one per person straight from a database row)."""

    platform_person_id: UUID
    resident_id: UUID
    resident_number: str
    birth_date: date | None
    postal_code: str
    address: str
