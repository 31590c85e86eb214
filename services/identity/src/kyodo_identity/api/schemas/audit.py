"""The audit trail as a tenant's auditor reads it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from kyodo_common.paging import Page


class AuditEntry(BaseModel):
    id: int = Field(description="the entry's serial number in this municipality's trail")
    occurred_at: datetime = Field(description="when it happened (ISO 8601, UTC)")
    actor: str = Field(
        description="who acted: the staff member's login, `<municipality>/<login>`, or a client id")
    actor_home: str = Field(
        description="the home municipality code of the actor (differs from the acting "
                    "municipality for staff under a support grant)")
    acting_municipality: str = Field(
        description="the municipality code in whose name the action was taken")
    action: str = Field(
        description="what was done (a verb of the audit vocabulary, e.g. `read`, `register`)")
    subject_type: str = Field(description="the kind of record acted on")
    subject_id: str = Field(description="the id of the record acted on")
    fields: list[str] = Field(
        description="the names of the fields read or changed (never their values)")
    trace_id: str | None = Field(description="the W3C trace id of the request (32 hex digits)")
    grant_id: str | None = Field(
        description="the support grant (支援の権限付与) the actor acted under; null when acting "
                    "for their own municipality")
    seq: int | None = Field(description="the entry's position in the hash chain")

    @classmethod
    def from_row(cls, row: Any) -> AuditEntry:
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


AuditPage = Page[AuditEntry]


class ChainVerdict(BaseModel):
    entries: int = Field(description="the number of entries checked")
    valid: bool = Field(description="true when every entry's hash matches the chain")
    first_broken_seq: int | None = Field(
        description="the first entry whose hash does not match; null when valid")
