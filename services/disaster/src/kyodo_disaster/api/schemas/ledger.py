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

    resident_id: UUID = Field(description="the resident's id (住民 record) in this municipality")
    resident_number: str = Field(
        description="宛名番号 (resident number): 10 digits with a Modulus 11 check digit")
    name: str | None = Field(description="氏名 (full name); null for a protected person")
    name_kana: str | None = Field(description="フリガナ; null for a protected person")
    birth_date: date | None = Field(description="生年月日; null for a protected person")
    relationship: str | None = Field(description="続柄 to the household head")
    protected: bool = Field(
        description="under a 支援措置 (DV/stalking protection measure): the record is not "
                    "disclosed to third parties")

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

    eligible: bool = Field(description="whether the household qualifies")
    rebuilding_method: str = Field(
        description="how the home is rebuilt (建設・購入, 補修, 賃借), which sets the additional "
                    "amount")
    base: int | None = Field(description="基礎支援金 (base payment), yen")
    additional: int | None = Field(
        description="加算支援金 (additional payment for rebuilding), yen")
    total: int | None = Field(description="base + additional, yen")
    unverified_rules: list[str] = Field(
        description="rules marked unverified that would decide an amount")


class LedgerEntryPublic(BaseModel):
    house_id: UUID = Field(
        description="the damaged house's id in the ledger of damaged houses (被災住家台帳)")
    address: str = Field(description="the house's address")
    grade: GradeOut | None = Field(description="the house's damage grade")
    survey_version: int = Field(
        description="the version of the house's damage survey (1 = the first survey)")
    surveyed_on: date | None = Field(description="the date of the latest survey")
    household_id: UUID | None = Field(description="the victims' household")
    household_size: int = Field(description="the number of members")
    head_resident_id: UUID | None = Field(description="the 世帯主")
    members: list[Person] = Field(description="the household's members as the ledger shows them")
    support: SupportOut = Field(description="被災者生活再建支援金 (livelihood recovery support)")


LedgerPage = Page[LedgerEntryPublic]


class OccupantSearch(ApiModel):
    """Who is registered at an address (only inside the disaster's affected area)."""

    address: str = Field(min_length=1, max_length=300, description="the address to look up")
    postal_code: str = Field(min_length=7, max_length=8, description="its postal code")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="people per page")
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH,
                               description="the `next` of the previous page")


class AuditEntry(BaseModel):
    id: int = Field(description="the entry's serial number")
    occurred_at: datetime = Field(description="when it happened (ISO 8601, UTC)")
    actor: str = Field(
        description="who acted: the staff member's login, `<municipality>/<login>`, or a client id")
    actor_home: str = Field(
        description="the home municipality code of the actor (differs from the acting "
                    "municipality for staff under a support grant)")
    acting_municipality: str = Field(
        description="the municipality code in whose name the action was taken")
    grant_id: str | None = Field(
        description="the support grant (支援の権限付与) the actor acted under; null when acting "
                    "for their own municipality")
    action: str = Field(
        description="what was done (a verb of the audit vocabulary, e.g. `read`, `register`)")
    subject_type: str = Field(description="the kind of record acted on")
    subject_id: str = Field(description="the id of the record acted on")
    fields: list[str] = Field(
        description="the names of the fields read or changed (never their values)")
    purpose: str | None = Field(description="the stated purpose code of a read")
    trace_id: str | None = Field(description="the W3C trace id of the request (32 hex digits)")
    sealed: bool = Field(description="true once the entry is covered by a sealed hash-chain block")


AuditPage = Page[AuditEntry]
