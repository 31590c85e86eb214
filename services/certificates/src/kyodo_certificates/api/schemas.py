"""Request and response bodies of the certificates API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_certificates.domain.kinds import Item, Layout
from kyodo_common.text import MULTILINE
from kyodo_common.web import ApiModel


class Applicant(ApiModel):
    """Who asks: when the applicant is the person (or of their household), their resident id.

    Decides 支援措置 (only the protected person may have their certificate) and 個人番号."""

    resident_id: UUID | None = None


class IssueCreate(ApiModel):
    copies: int = Field(default=1, ge=1, le=10, description="each copy has its own number")
    terminal: str = Field(min_length=1, max_length=20, description="端末: 本庁1")
    printer: str = Field(min_length=1, max_length=20, description="プリンタ: プリンタ001")
    applicant: Applicant = Field(default_factory=Applicant)


class ResidenceCreate(IssueCreate):
    """住民票の写し: 個人票 of resident_id, or 世帯連記式 of their household (all or members)."""

    layout: Layout = Layout.INDIVIDUAL
    resident_id: UUID
    members: list[UUID] | None = Field(default=None, min_length=1, max_length=50)
    items: list[Item] = Field(default_factory=list, max_length=3,
                              description="続柄 / 本籍 / 個人番号, printed only when chosen")


class TaxCreate(IssueCreate):
    """課税証明書 / 非課税証明書 of a fiscal year (2024 = 令和6年度)."""

    resident_id: UUID
    fiscal_year: int = Field(ge=2000, le=2100)


class DamageCreate(IssueCreate):
    """罹災証明書 of a damaged house's assessment."""

    assessment_id: UUID


class VoidCreate(ApiModel):
    reason: Annotated[str, MULTILINE] = Field(min_length=1, max_length=200)


class IssuedCopy(BaseModel):
    certificate_id: UUID
    copy_number: int
    issue_numbers: list[str]
    verification_code: str
    pages: int
    sha256: str
    pdf: str


class Issuance(BaseModel):
    issuance_id: UUID
    kind: str
    title: str
    municipality_code: str
    issued_on: date
    fee_yen_per_copy: int
    fee_yen_total: int
    copies: list[IssuedCopy]


class CertificatePublic(BaseModel):
    id: UUID
    issuance_id: UUID
    kind: str
    title: str
    copy_number: int
    issued_on: date
    issued_at: datetime
    pages: int
    issue_numbers: list[str]
    verification_code: str
    fee_yen: int
    subject_ids: list[UUID]
    fields: list[str]
    status: str
    voided_at: datetime | None
    issued_by: str = Field(description="the staff member (token subject) who issued it")
    issued_by_home: str | None = Field(
        description="their home municipality: another town's under a support grant")
    grant_id: str | None = Field(description="the support grant it was issued under, if any")


class VoidResult(BaseModel):
    certificate_id: UUID
    status: str
    voided_at: datetime


class Verification(BaseModel):
    result: str = Field(description="genuine | invalid | voided | not_found")
    kind: str | None = None
    title: str | None = None
    issued_on: date | None = None
    municipality_code: str | None = None
    municipality_name: str | None = None
    voided_on: date | None = None


class DamageRefusal(BaseModel):
    application_id: UUID
    survey_version: int
    status: str  # refused | failed
    reason: str | None


class DamageProgress(BaseModel):
    """罹災証明書 requested for a disaster's houses (one per application and survey) and how
    far the worker has issued them; ids and counts only."""

    disaster_id: UUID
    houses: int = Field(description="houses of the disaster this service has received")
    requested: int = Field(description="requests recorded (application × survey)")
    issued: int
    pending: int = Field(description="still to be issued by the worker")
    kept: int = Field(description="a re-survey kept the grade: the earlier certificate stands")
    superseded: int
    voided: int = Field(description="issued, then voided by a re-survey with another grade")
    refused: int
    failed: int
    copies_issued: int = Field(description="certificates (copies) of this disaster still valid")
    problems: list[DamageRefusal] = Field(description="refused or failed requests (first 100)")


class DamageCopy(BaseModel):
    certificate_id: UUID
    copy_number: int
    verification_code: str
    status: str  # issued | voided
    pdf: str  # the PDF's path (reading it is access-logged)


class DamageRequest(BaseModel):
    """One requested 罹災証明書 (application × survey) and the copies issued for it."""

    application_id: UUID
    survey_version: int
    assessment_id: UUID  # the house
    status: str
    reason: str | None
    issuance_id: UUID | None
    issued_at: datetime | None
    copies: list[DamageCopy]


class DamageRequestPage(BaseModel):
    requests: list[DamageRequest] = Field(description="by application id, each survey in order")
    next_after: UUID | None = Field(description="the next page's `after`, if any")
