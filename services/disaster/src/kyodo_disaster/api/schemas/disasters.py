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

    name: str = Field(min_length=1, max_length=200, examples=["令和6年7月大雨災害"])
    kind: DisasterKind
    occurred_on: date
    affected_area: list[AreaEntry] = Field(min_length=1, max_length=500,
                                           description="町名/地区 names or postal codes",
                                           examples=[["旭町二丁目", "955-0000"]])
    application_opens_on: date = Field(description="罹災証明書 applications from this day")
    application_closes_on: date = Field(description="… to this day (commonly 1–3 months)")


class DisasterUpdate(ApiModel):
    """Widen the area or extend the window (If-Match required)."""

    affected_area: list[AreaEntry] | None = Field(default=None, min_length=1, max_length=500)
    application_closes_on: date | None = None


class DisasterPublic(BaseModel):
    id: UUID
    municipality_code: str
    name: str
    kind: DisasterKind
    kind_label: str
    occurred_on: date
    affected_area: list[str]
    application_opens_on: date
    application_closes_on: date
    version: int

    @classmethod
    def of(cls, d: Disaster) -> DisasterPublic:
        return cls(id=d.id, municipality_code=d.municipality_code, name=d.name, kind=d.kind,
                   kind_label=d.kind.label, occurred_on=d.occurred_on,
                   affected_area=d.affected_area, application_opens_on=d.application_opens_on,
                   application_closes_on=d.application_closes_on, version=d.version)
