"""Bodies of declarations."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.web import ApiModel
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.kinds import DisasterKind

AreaEntry = Annotated[str, Field(min_length=1, max_length=100)]


class DisasterCreate(ApiModel):
    """災害の宣言: what happened, where, and when applications are taken."""

    name: str = Field(min_length=1, max_length=200, examples=["令和6年7月大雨災害"],
                      description="the disaster's name, e.g. 令和6年7月大雨災害")
    kind: DisasterKind = Field(description="the kind of disaster")
    occurred_on: date = Field(description="発生日 (the date it occurred)")
    affected_area: list[AreaEntry] = Field(min_length=1, max_length=500,
                                           description="町名/地区 names or postal codes",
                                           examples=[["旭町二丁目", "955-0000"]])
    application_opens_on: date = Field(description="罹災証明書 applications from this day")
    application_closes_on: date = Field(description="… to this day (commonly 1–3 months)")


class DisasterUpdate(ApiModel):
    """Widen the area or extend the window (If-Match required)."""

    affected_area: list[AreaEntry] | None = Field(default=None, min_length=1, max_length=500,
                                                  description="the whole affected area, widened "
                                                              "(never narrowed)")
    application_closes_on: date | None = Field(
        default=None,
        description="a later last day for applications")


class DisasterPublic(BaseModel):
    id: UUID = Field(description="the disaster's id")
    municipality_code: str = Field(
        description="the municipality's 6-digit local government code (全国地方公共団体コード)")
    name: str = Field(description="the disaster's name")
    kind: DisasterKind = Field(description="the kind of disaster")
    kind_label: str = Field(description="the kind in Japanese, e.g. 風水害")
    occurred_on: date = Field(description="発生日 (the date it occurred)")
    affected_area: list[str] = Field(
        description="the affected area: addresses (town, 丁目) or postal codes")
    application_opens_on: date = Field(
        description="the first day 罹災証明書 applications are taken")
    application_closes_on: date = Field(description="the last day applications are taken")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")

    @classmethod
    def of(cls, d: Disaster) -> DisasterPublic:
        return cls(id=d.id, municipality_code=d.municipality_code, name=d.name, kind=d.kind,
                   kind_label=d.kind.label, occurred_on=d.occurred_on,
                   affected_area=d.affected_area, application_opens_on=d.application_opens_on,
                   application_closes_on=d.application_closes_on, version=d.version)
