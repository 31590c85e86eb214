"""罹災: the disaster service's damage assessments, as the certificates read model expects them.

Expected on `kyodo.disaster.v1`, keyed by the assessment id, published by the municipality
where the damaged house is, with the whole assessment after each change and a growing
`version`. Support payments are not the certificate's business: a 罹災証明書 never shows money,
and extra fields (amounts among them) are ignored here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.disaster.v1"


class Grade(StrEnum):
    """被害の程度 from the damage ratio (DOMAIN §6)."""

    TOTAL = "全壊"  # ≥ 50 %
    LARGE_SCALE_HALF = "大規模半壊"  # 40–50 %
    MEDIUM_SCALE_HALF = "中規模半壊"  # 30–40 %
    HALF = "半壊"  # 20–30 %
    QUASI_HALF = "準半壊"  # 10–20 %
    PARTIAL = "準半壊に至らない（一部損壊）"  # < 10 %


class Disaster(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    disaster_id: UUID
    name: str  # 令和6年能登半島地震
    occurred_on: date


class DamageAssessed(DomainEvent):
    """住家被害認定: a house's damage grade in a disaster (first assessment or re-survey)."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str] = "jp.kyodo.disaster.damage_assessed.v1"
    topic: ClassVar[str] = TOPIC

    assessment_id: UUID
    version: int
    municipality_code: str  # where the damaged house is
    disaster: Disaster
    house_address: str  # 被災住家の所在地
    householder_resident_id: UUID | None = None  # in this municipality's register, if there
    householder_name: str  # 世帯主 (the applicant named on the certificate)
    householder_address: str
    grade: Grade
    surveyed_on: date  # 調査日
    method: str = "現地調査"  # 現地調査 | 自己判定 (photos, under 10 %, DOMAIN §6)
    survey_version: int = 1  # 一次調査 = 1, each 二次調査 one more

    @property
    def subject(self) -> str:
        return str(self.assessment_id)


ALL_EVENTS = (DamageAssessed,)
