"""Public events of the disaster service: what certificates issues 罹災証明書 from.

Topic ``kyodo.disaster.v1``, published by the municipality where the house is. A house's
events are keyed by ``house_id`` and carry the whole assessment after each change with a
growing ``version``: keep the highest version seen. ``survey_version`` counts the surveys
(一次調査 = 1, each 二次調査 one more); when it grows, the grade may have changed and
certificates issued for an earlier survey are void.

``requests`` lists every application of the house that is ready for issuance (state, not
delta): issue one certificate per (``application_id``, ``survey_version``), so a repeated
event issues nothing twice and a re-survey re-issues each of them.

Never money: support amounts stay in the victims ledger. Never names: residents are named by
id (the register's own events carry the names).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.disaster.v1"
TOPICS = {TOPIC: 6}


class DisasterRef(BaseModel):
    """The disaster as a 罹災証明書 names it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    disaster_id: UUID
    name: str  # 令和6年7月大雨災害
    kind: str  # flood | earthquake | typhoon | landslide | snow | fire | other
    kind_label: str  # 水害, 地震, …
    occurred_on: date


class CertificateRequest(BaseModel):
    """A 罹災証明書 application ready for issuance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    application_id: UUID
    applicant_resident_id: UUID
    copies: int
    # Who made it ready (the certificate job and its requester), the actor of the issuance;
    # absent from events published before they were carried.
    job_id: UUID | None = None
    requested_by: str | None = None
    requested_by_home: str | None = None
    grant_id: str | None = None  # the support grant the requester acted under


class DisasterDeclared(DomainEvent):
    """災害の宣言: the municipality declared a disaster and opened its application window."""

    event_type: ClassVar[str] = "jp.kyodo.disaster.declared.v1"
    topic: ClassVar[str] = TOPIC

    disaster_id: UUID
    municipality_code: str
    name: str
    kind: str
    kind_label: str
    occurred_on: date
    affected_area: tuple[str, ...]
    application_opens_on: date
    application_closes_on: date
    version: int

    @property
    def subject(self) -> str:
        return str(self.disaster_id)


class HouseDamageAssessed(DomainEvent):
    """住家被害認定: the house's grade (first survey), or the same with a certificate requested."""

    event_type: ClassVar[str] = "jp.kyodo.disaster.house_damage_assessed.v1"
    topic: ClassVar[str] = TOPIC

    house_id: UUID
    version: int
    municipality_code: str  # where the house is: the municipality that certifies
    disaster: DisasterRef
    address: str  # 被災住家の所在地
    postal_code: str
    grade: str  # the label printed: 全壊 … 準半壊に至らない（一部損壊）
    grade_code: str  # total | large_scale_half | medium_scale_half | half | quasi_half | partial
    surveyed_on: date
    survey_version: int
    survey_kind: str  # 一次調査 | 二次調査
    method: str  # 現地調査 | 自己判定
    occupant_resident_ids: tuple[UUID, ...]
    householder_resident_id: UUID | None  # 世帯主 of the applicant's (or occupants') household
    applicant_resident_id: UUID | None  # of the first request, for a one-applicant house
    certificate_requested: bool
    requests: tuple[CertificateRequest, ...] = ()

    @property
    def subject(self) -> str:
        return str(self.house_id)


class HouseDamageReassessed(HouseDamageAssessed):
    """再調査 (二次調査) on appeal: a new grade; certificates of the earlier survey are void."""

    event_type: ClassVar[str] = "jp.kyodo.disaster.house_damage_reassessed.v1"

    previous_grade: str
    previous_grade_code: str
    previous_survey_version: int


ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    DisasterDeclared, HouseDamageAssessed, HouseDamageReassessed)
