"""Bodies of 罹災証明書 applications and certificate jobs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.paging import Page
from kyodo_common.web import ApiModel


class ApplicationCreate(ApiModel):
    applicant_resident_id: UUID
    copies: int = Field(default=1, ge=1, le=20)


class ApplicationPublic(BaseModel):
    id: UUID
    disaster_id: UUID
    house_id: UUID
    applicant_resident_id: UUID
    copies: int
    applied_on: date
    status: str
    ready_at: datetime | None
    version: int


ApplicationPage = Page[ApplicationPublic]


class JobCreate(ApiModel):
    """Mark these applications ready: certificates issues from the houses' events."""

    application_ids: list[UUID] = Field(min_length=1, max_length=20_000)


class JobPublic(BaseModel):
    id: UUID
    state: str  # queued | running | done | failed
    total: int
    processed: int
    marked_ready: int
    already_ready: int
    refused: int
    refusals: list[dict[str, str]]
    error: str | None
    requested_by: str
    requested_by_home: str
    grant_id: str | None
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> JobPublic:
        return cls.model_validate({k: row._mapping[k] for k in cls.model_fields})


class RowErrorOut(BaseModel):
    line: int
    field: str
    reason: str


class ImportReportPublic(BaseModel):
    rows: int
    houses_created: int
    surveys_recorded: int
    unchanged: int
    applications_created: int
    errors: list[RowErrorOut]
    dry_run: bool
