"""Bodies of the victims ledger, occupant lookups and the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.clock import today_in_japan
from kyodo_common.paging import DEFAULT_LIMIT, MAX_CURSOR_LENGTH, MAX_LIMIT, Page
from kyodo_common.web import ApiModel
from kyodo_disaster.api.schemas.houses import GradeOut


def _protected(r: Any, day: date) -> bool:
    """支援措置 on that day by the measure's dates (they take effect without an event); states
    from before the dates travelled carry the flag as it was on the event's day."""
    starts, ends = r["protected_from"], r["protected_until"]
    if starts is None or ends is None:
        return bool(r["protected"])
    return bool(starts <= day <= ends)


class Person(BaseModel):
    """A resident as the victims ledger shows them; a protected person (支援措置) unnamed."""

    resident_id: UUID
    resident_number: str
    name: str | None
    name_kana: str | None
    birth_date: date | None
    relationship: str | None
    protected: bool

    @classmethod
    def of(cls, row: Any, today: date | None = None) -> Person:
        r = row._mapping
        hidden = _protected(r, today or today_in_japan())
        return cls(resident_id=r["resident_id"], resident_number=r["resident_number"],
                   name=None if hidden else f"{r['family_name']}　{r['given_name']}",
                   name_kana=None if hidden else
                   f"{r['family_name_kana']}　{r['given_name_kana']}",
                   birth_date=None if hidden else r["birth_date"],
                   relationship=r["relationship"], protected=hidden)


class SupportOut(BaseModel):
    """被災者生活再建支援金 (yen): None where an unverified rule would decide the amount."""

    eligible: bool
    rebuilding_method: str
    base: int | None
    additional: int | None
    total: int | None
    unverified_rules: list[str]


class LedgerEntryPublic(BaseModel):
    house_id: UUID
    address: str
    grade: GradeOut | None
    survey_version: int
    surveyed_on: date | None
    household_id: UUID | None
    household_size: int
    head_resident_id: UUID | None
    members: list[Person]
    support: SupportOut


LedgerPage = Page[LedgerEntryPublic]


class OccupantSearch(ApiModel):
    """Who is registered at an address (only inside the disaster's affected area)."""

    address: str = Field(min_length=1, max_length=300)
    postal_code: str = Field(min_length=7, max_length=8)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="people per page")
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH,
                               description="the `next` of the previous page")


class AuditEntry(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    actor_home: str
    acting_municipality: str
    grant_id: str | None
    action: str
    subject_type: str
    subject_id: str
    fields: list[str]
    purpose: str | None
    trace_id: str | None
    sealed: bool


AuditPage = Page[AuditEntry]
