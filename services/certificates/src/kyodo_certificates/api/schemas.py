"""Request and response bodies of the certificates API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from kyodo_certificates.domain.damage_report import DamagedProperty
from kyodo_certificates.domain.kinds import Item, Layout
from kyodo_common.paging import Page
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


MAX_DESCRIPTION_LINES = 6


class DamageReportCreate(IssueCreate):
    """被災証明書: a person's reported damage in a disaster this municipality declared."""

    disaster_id: UUID
    resident_id: UUID = Field(description="who reported the damage (被災者)")
    properties: list[DamagedProperty] = Field(
        min_length=1, max_length=len(DamagedProperty), description="被災物件 (unique)")
    location: str = Field(min_length=1, max_length=200, description="被災場所",
                          examples=["新潟県長岡市大手通1丁目4番地10"])
    description: Annotated[str, MULTILINE] = Field(
        min_length=1, max_length=300, description="被害の状況, as reported",
        examples=["床上浸水により冷蔵庫・洗濯機が使用不能"])

    @field_validator("properties")
    @classmethod
    def _unique(cls, properties: list[DamagedProperty]) -> list[DamagedProperty]:
        if len(set(properties)) != len(properties):
            raise ValueError("each damaged property once")
        return properties

    @field_validator("location", "description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("printed on the certificate: it may not be blank")
        return value.strip()

    @field_validator("description")
    @classmethod
    def _fits_the_sheet(cls, value: str) -> str:
        if len(value.splitlines()) > MAX_DESCRIPTION_LINES:
            raise ValueError(f"at most {MAX_DESCRIPTION_LINES} lines: the certificate is one "
                             "sheet")
        return "\n".join(value.splitlines())


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


# By application id, each survey in order; `limit` counts applications, not requests.
DamageRequestPage = Page[DamageRequest]
