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

    resident_id: UUID | None = Field(
        default=None,
        description="the applicant's resident id, when they are the person or in the household "
                    "(本人・同一世帯)")


class IssueCreate(ApiModel):
    copies: int = Field(default=1, ge=1, le=10, description="each copy has its own number")
    terminal: str = Field(min_length=1, max_length=20, description="端末: 本庁1")
    printer: str = Field(min_length=1, max_length=20, description="プリンタ: プリンタ001")
    applicant: Applicant = Field(default_factory=Applicant,
                                 description="who asks for the certificate (本人, or a third "
                                             "party)")


class ResidenceCreate(IssueCreate):
    """住民票の写し: 個人票 of resident_id, or 世帯連記式 of their household (all or members)."""

    layout: Layout = Field(
        default=Layout.INDIVIDUAL,
        description="individual (個人票) or household (世帯連記式)")
    resident_id: UUID = Field(
        description="the person (個人票) or a member of the household (世帯連記式)")
    members: list[UUID] | None = Field(default=None, min_length=1, max_length=50,
                                       description="世帯連記式: only these members (by default "
                                                   "the whole household)")
    items: list[Item] = Field(default_factory=list, max_length=3,
                              description="続柄 / 本籍 / 個人番号, printed only when chosen")


class TaxCreate(IssueCreate):
    """課税証明書 / 非課税証明書 of a fiscal year (2024 = 令和6年度)."""

    resident_id: UUID = Field(description="the taxpayer")
    fiscal_year: int = Field(ge=2000, le=2100,
                             description="the fiscal year (年度): 2024 = 令和6年度, certifying "
                                         "2023's income")


class DamageCreate(IssueCreate):
    """罹災証明書 of a damaged house's assessment."""

    assessment_id: UUID = Field(description="the assessed house in the ledger of damaged houses")


MAX_DESCRIPTION_LINES = 6


class DamageReportCreate(IssueCreate):
    """被災証明書: a person's reported damage in a disaster this municipality declared."""

    disaster_id: UUID = Field(description="the disaster the damage is reported for (被災証明書)")
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
    reason: Annotated[str, MULTILINE] = Field(min_length=1, max_length=200,
                                              description="why the copy is voided (e.g. 記載誤り)")


class IssuedCopy(BaseModel):
    certificate_id: UUID = Field(description="the copy's id")
    copy_number: int = Field(description="the copy's number within the issuance")
    issue_numbers: list[str] = Field(description="the issue number printed on each page (交付番号)")
    verification_code: str = Field(description="the code for public verification")
    pages: int = Field(description="the number of A4 pages")
    sha256: str = Field(description="the SHA-256 of the signed PDF")
    pdf: str = Field(description="where to fetch the PDF")


class Issuance(BaseModel):
    issuance_id: UUID = Field(description="the issuance's id (one application's copies)")
    kind: str = Field(description="residence, tax, damage or damage_report")
    title: str = Field(description="the title as printed, e.g. 住民票の写し")
    municipality_code: str = Field(description="the issuing municipality")
    issued_on: date = Field(description="the date of issue")
    fee_yen_per_copy: int = Field(description="the fee per copy (手数料), yen")
    fee_yen_total: int = Field(description="the fee for all copies, yen")
    copies: list[IssuedCopy] = Field(
        description="the copies issued, each with its own issue numbers")


class CertificatePublic(BaseModel):
    id: UUID = Field(description="the certificate's (one copy's) id")
    issuance_id: UUID = Field(description="the issuance the copy belongs to")
    kind: str = Field(description="residence, tax, damage or damage_report")
    title: str = Field(description="the title as printed, e.g. 住民票の写し")
    copy_number: int = Field(description="the copy's number within the issuance (1, 2, …)")
    issued_on: date = Field(description="the date of issue")
    issued_at: datetime = Field(description="when it was issued (ISO 8601, UTC)")
    pages: int = Field(description="the number of A4 pages")
    issue_numbers: list[str] = Field(description="the issue number printed on each page")
    verification_code: str = Field(
        description="the code printed (and in the QR code) for public verification")
    fee_yen: int = Field(description="the fee charged for this copy (手数料), yen")
    subject_ids: list[UUID] = Field(description="the residents (or house) the certificate is about")
    fields: list[str] = Field(description="the items printed (e.g. 本籍 only when asked for)")
    status: str = Field(description="issued or voided")
    voided_at: datetime | None = Field(description="when the copy was voided; null while valid")
    issued_by: str = Field(description="the staff member (token subject) who issued it")
    issued_by_home: str | None = Field(
        description="their home municipality: another town's under a support grant")
    grant_id: str | None = Field(description="the support grant it was issued under, if any")


class VoidResult(BaseModel):
    certificate_id: UUID = Field(description="the voided copy")
    status: str = Field(description="voided")
    voided_at: datetime = Field(description="when it was voided")


class Verification(BaseModel):
    result: str = Field(description="genuine | invalid | voided | not_found")
    kind: str | None = Field(default=None, description="residence, tax, damage or damage_report")
    title: str | None = Field(default=None, description="the title as printed, e.g. 住民票の写し")
    issued_on: date | None = Field(default=None, description="the date of issue")
    municipality_code: str | None = Field(default=None, description="the issuing municipality")
    municipality_name: str | None = Field(
        default=None,
        description="the issuing municipality's name")
    voided_on: date | None = Field(
        default=None,
        description="the date it was voided; null when valid")


class DamageRefusal(BaseModel):
    application_id: UUID = Field(description="the 罹災証明書 application's id")
    survey_version: int = Field(
        description="the version of the house's damage survey (1 = the first survey)")
    status: str = Field(description="refused or failed")  # refused | failed
    reason: str | None = Field(description="why it was refused or failed; null otherwise")


class DamageProgress(BaseModel):
    """罹災証明書 requested for a disaster's houses (one per application and survey) and how
    far the worker has issued them; ids and counts only."""

    disaster_id: UUID = Field(description="the disaster's (災害) id")
    houses: int = Field(description="houses of the disaster this service has received")
    requested: int = Field(description="requests recorded (application × survey)")
    issued: int = Field(description="罹災証明書 issued")
    pending: int = Field(description="still to be issued by the worker")
    kept: int = Field(description="a re-survey kept the grade: the earlier certificate stands")
    superseded: int = Field(description="copies voided because a later survey changed the grade")
    voided: int = Field(description="issued, then voided by a re-survey with another grade")
    refused: int = Field(description="requests refused (e.g. a protected applicant)")
    failed: int = Field(description="requests that failed and will be retried")
    copies_issued: int = Field(description="certificates (copies) of this disaster still valid")
    problems: list[DamageRefusal] = Field(description="refused or failed requests (first 100)")


class DamageCopy(BaseModel):
    certificate_id: UUID = Field(description="the copy's certificate id")
    copy_number: int = Field(description="the copy's number within the issuance")
    verification_code: str = Field(description="the code for public verification")
    status: str = Field(
        description="issued or voided (a later survey supersedes it)")  # issued | voided
    pdf: str = Field(
        description="the path of the PDF (reading it is access-logged)")


class DamageRequest(BaseModel):
    """One requested 罹災証明書 (application × survey) and the copies issued for it."""

    application_id: UUID = Field(description="the 罹災証明書 application's id")
    survey_version: int = Field(
        description="the version of the house's damage survey (1 = the first survey)")
    assessment_id: UUID = Field(
        description="the id of the assessed house in the ledger of damaged houses")  # the house
    status: str = Field(description="pending, issued, refused or failed")
    reason: str | None = Field(description="why it was refused or failed; null otherwise")
    issuance_id: UUID | None = Field(description="the issuance made for it, once issued")
    issued_at: datetime | None = Field(description="when it was issued")
    copies: list[DamageCopy] = Field(description="the copies issued")


# By application id, each survey in order; `limit` counts applications, not requests.
DamageRequestPage = Page[DamageRequest]
