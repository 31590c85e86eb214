"""The audit trail as a tenant's auditor reads it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from kyodo_common.paging import Page


class AuditEntry(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    actor_home: str
    acting_municipality: str
    action: str
    subject_type: str
    subject_id: str
    fields: list[str]
    trace_id: str | None
    grant_id: str | None
    seq: int | None

    @classmethod
    def from_row(cls, row: Any) -> AuditEntry:
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


AuditPage = Page[AuditEntry]


class ChainVerdict(BaseModel):
    entries: int
    valid: bool
    first_broken_seq: int | None
