"""Bodies of the ledger of damaged houses and their surveys."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.paging import Page
from kyodo_common.text import MULTILINE
from kyodo_common.web import ApiModel
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.survey import Method, Photo, SurveyInput, SurveyKind


class HouseCreate(ApiModel):
    """A damaged house enters the ledger (被災住家台帳)."""

    postal_code: str = Field(min_length=7, max_length=8, examples=["955-8686"],
                             description="the house's postal code")
    address: str = Field(min_length=1, max_length=300, examples=["新潟県三条市旭町二丁目3番1号"],
                         description="the house's address")


class OccupantsSet(ApiModel):
    resident_ids: list[UUID] = Field(max_length=100,
                                     description="the residents living in the house (replaces the "
                                                 "list)")


class PhotoIn(ApiModel):
    """A photo's metadata; the image stays in the municipality's file store."""

    file_name: str = Field(min_length=1, max_length=255,
                           description="the photo's file name in the municipality's file store")
    taken_at: datetime = Field(description="when the photo was taken")
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="the SHA-256 of the image")

    def photo(self) -> Photo:
        return Photo(file_name=self.file_name, taken_at=self.taken_at,
                     sha256=self.sha256.lower())


class SurveyCreate(ApiModel):
    """一次調査, 二次調査 (on appeal), or 自己判定 from photos when clearly under 10 %."""

    kind: str = Field(pattern="^(first|second|一次調査|二次調査)$", examples=["first"],
                      description="first (一次調査) or second (二次調査, on appeal)")
    method: str = Field(default="site", pattern="^(site|self|現地調査|自己判定)$",
                        description="site (現地調査) or self (自己判定, from photos, when clearly "
                                    "under 10 %)")
    damage_ratio: Decimal = Field(ge=0, le=100, decimal_places=2, examples=["23.50"],
                                  description="損害割合 in percent")
    surveyed_on: date = Field(description="the date of the survey")
    photos: list[PhotoIn] = Field(default_factory=list, max_length=50,
                                  description="the photos' metadata")
    applicant_agrees: bool = Field(default=False, description="自己判定: the applicant agrees")
    appeal_reason: Annotated[str | None, MULTILINE] = Field(default=None, max_length=500,
                                                            description="for a second survey: the "
                                                                        "applicant's reason "
                                                                        "(再調査依頼)")
    survey_ref: str | None = Field(default=None, max_length=100,
                                   description="the field survey sheet's number")

    def survey(self) -> SurveyInput:
        return SurveyInput(kind=SurveyKind.parse(self.kind), method=Method.parse(self.method),
                           damage_ratio=self.damage_ratio, surveyed_on=self.surveyed_on,
                           photos=tuple(p.photo() for p in self.photos),
                           applicant_agrees=self.applicant_agrees,
                           appeal_reason=self.appeal_reason, survey_ref=self.survey_ref)


class GradeOut(BaseModel):
    code: str = Field(
        description="the grade's stable code: total, large_scale_half, medium_scale_half, half, "
                    "quasi_half or partial")
    label: str = Field(description="the grade in Japanese, e.g. 全壊, 大規模半壊")

    @classmethod
    def of(cls, grade: Grade | None) -> GradeOut | None:
        return cls(code=grade.code, label=grade.label) if grade else None


class SurveyPublic(BaseModel):
    version: int = Field(description="the survey's version (1 = first)")
    kind: str = Field(description="first (一次調査) or second (二次調査)")
    method: str = Field(description="site (現地調査) or self (自己判定)")
    damage_ratio: Decimal = Field(
        description="損害割合 (damage ratio): the economic share of the house lost, 0–100 %")
    grade: GradeOut = Field(description="the damage grade from the ratio")
    surveyed_on: date = Field(description="the date of the survey")
    surveyor: str = Field(description="who surveyed (login)")
    surveyor_home: str = Field(
        description="the surveyor's home municipality (differs under a support grant)")
    grant_id: str | None = Field(
        description="the support grant (支援の権限付与) the actor acted under; null when acting "
                    "for their own municipality")
    survey_ref: str | None = Field(description="the reference of an imported field survey")
    appeal_reason: str | None = Field(description="the applicant's reason for a second survey")
    applicant_agrees: bool = Field(description="the applicant agreed to 自己判定")
    photos: list[dict[str, Any]] = Field(description="the photos' metadata")
    recorded_at: datetime | None = Field(description="when the survey was recorded")

    @classmethod
    def of(cls, row: Any) -> SurveyPublic:
        m = row._mapping
        grade = Grade.from_code(m["grade"])
        return cls(**{k: m[k] for k in (
            "version", "damage_ratio", "surveyed_on", "surveyor", "surveyor_home", "grant_id",
            "survey_ref", "appeal_reason", "applicant_agrees", "photos", "recorded_at")},
            kind=SurveyKind.parse(m["kind"]).label, method=Method.parse(m["method"]).label,
            grade=GradeOut(code=grade.code, label=grade.label))


class HousePublic(BaseModel):
    id: UUID = Field(description="the house's id")
    disaster_id: UUID = Field(description="the disaster's (災害) id")
    postal_code: str = Field(description="the house's postal code")
    address: str = Field(description="the house's address")
    occupant_ids: list[UUID] = Field(
        description="the resident ids of the people registered as living in the house")
    grade: GradeOut | None = Field(description="the latest damage grade; null before a survey")
    damage_ratio: Decimal | None = Field(description="損害割合 of the latest survey (percent)")
    surveyed_on: date | None = Field(description="the date of the latest survey")
    survey_version: int = Field(description="the latest survey's version (0 before a survey)")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")
    surveys: list[SurveyPublic] | None = Field(
        default=None,
        description="every survey, oldest first (when asked for)")

    @classmethod
    def of(cls, house: House, surveys: list[Any] | None = None) -> HousePublic:
        return cls(id=house.id, disaster_id=house.disaster_id, postal_code=house.postal_code,
                   address=house.address, occupant_ids=house.occupant_ids,
                   grade=GradeOut.of(house.grade), damage_ratio=house.damage_ratio,
                   surveyed_on=house.surveyed_on, survey_version=house.survey_version,
                   version=house.version,
                   surveys=[SurveyPublic.of(s) for s in surveys] if surveys is not None
                   else None)


HousePage = Page[HousePublic]
