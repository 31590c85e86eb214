"""Bodies of 罹災証明書 applications and certificate jobs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.jobs import JOB_STATE_DESCRIPTION, JobState
from kyodo_common.paging import Page
from kyodo_common.web import ApiModel


class ApplicationCreate(ApiModel):
    applicant_resident_id: UUID = Field(description="the applicant (a resident of the house)")
    copies: int = Field(default=1, ge=1, le=20, description="how many copies of the 罹災証明書")


class ApplicationPublic(BaseModel):
    id: UUID = Field(description="the application's id")
    disaster_id: UUID = Field(description="the disaster's (災害) id")
    house_id: UUID = Field(
        description="the damaged house's id in the ledger of damaged houses (被災住家台帳)")
    applicant_resident_id: UUID = Field(description="the applicant")
    copies: int = Field(description="copies asked for")
    applied_on: date = Field(description="the date of application")
    status: str = Field(description="received or ready (marked for issuing)")
    ready_at: datetime | None = Field(description="when it was marked ready")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")


ApplicationPage = Page[ApplicationPublic]


class JobCreate(ApiModel):
    """Mark these applications ready: certificates issues from the houses' events."""

    application_ids: list[UUID] = Field(min_length=1, max_length=20_000,
                                        description="the applications to mark ready")


class JobPublic(BaseModel):
    id: UUID = Field(description="the job's id")
    state: JobState = Field(description=JOB_STATE_DESCRIPTION)
    total: int = Field(description="applications in the job")
    processed: int = Field(description="applications processed so far")
    marked_ready: int = Field(description="applications marked ready")
    already_ready: int = Field(description="applications that were already ready")
    refused: int = Field(description="applications refused")
    refusals: list[dict[str, str]] = Field(description="each refused application with its reason")
    error: str | None = Field(description="what went wrong, when it failed")
    requested_by: str = Field(description="who started the job")
    requested_by_home: str = Field(description="the home municipality of who started it")
    grant_id: str | None = Field(
        description="the support grant (支援の権限付与) the actor acted under; null when acting "
                    "for their own municipality")
    created_at: datetime | None = Field(description="when the job was asked for")
    started_at: datetime | None = Field(description="when work on it started")
    finished_at: datetime | None = Field(description="when it finished")

    @classmethod
    def of(cls, row: Any) -> JobPublic:
        return cls.model_validate({k: row._mapping[k] for k in cls.model_fields})


class RowErrorOut(BaseModel):
    line: int = Field(description="the line of the file")
    field: str = Field(description="the column at fault")
    reason: str = Field(description="what is wrong with it")


class ImportReportPublic(BaseModel):
    rows: int = Field(description="data rows read")
    houses_created: int = Field(description="houses added to the ledger")
    surveys_recorded: int = Field(description="surveys recorded")
    unchanged: int = Field(description="rows already imported (idempotent)")
    applications_created: int = Field(description="applications added")
    errors: list[RowErrorOut] = Field(description="rows refused, with line and field")
    dry_run: bool = Field(description="true when nothing was written (checked only)")


class SurveyImportPublic(BaseModel):
    """A large field-survey file imported by the worker: how far it is."""

    id: UUID = Field(description="the import's id")
    disaster_id: UUID = Field(description="the disaster the surveys are for")
    state: JobState = Field(description=JOB_STATE_DESCRIPTION)
    total: int = Field(description="data rows in the file")
    done: int = Field(description="rows handled so far (imported, unchanged or refused)")
    progress: float = Field(description="0 to 1")
    houses_created: int = Field(description="houses added to the ledger so far")
    surveys_recorded: int = Field(description="surveys recorded so far")
    unchanged: int = Field(description="rows already imported before (idempotent)")
    applications_created: int = Field(description="applications added so far")
    refused: int = Field(description="rows refused so far (each is in `errors`)")
    errors: list[RowErrorOut] = Field(
        description="the rows refused, by line: those that broke the rules by themselves "
                    "when the file came, then those the ledger refused (a survey_ref recorded "
                    "with other values, an applicant not living there)")
    attempts: int = Field(description="chunks that failed and were retried")
    error: str | None = Field(description="why the last attempt failed, if one did")
    created_at: datetime | None = Field(description="when the file came")
    started_at: datetime | None = Field(description="when the worker started on it")
    finished_at: datetime | None = Field(description="when it finished or failed")

    @classmethod
    def of(cls, row: Any) -> SurveyImportPublic:
        progress = 1.0 if row.state == "finished" else (
            row.done / row.total if row.total else 0.0)
        errors = sorted(row.errors, key=lambda e: e["line"])
        return cls(id=row.id, disaster_id=row.disaster_id, state=row.state, total=row.total,
                   done=row.done, progress=round(progress, 4),
                   houses_created=row.houses_created, surveys_recorded=row.surveys_recorded,
                   unchanged=row.unchanged, applications_created=row.applications_created,
                   refused=len(errors), errors=[RowErrorOut(**e) for e in errors],
                   attempts=row.attempts, error=row.error, created_at=row.created_at,
                   started_at=row.started_at, finished_at=row.finished_at)
