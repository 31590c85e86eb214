"""The events a house's change publishes: its whole assessment, for certificates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from kyodo_disaster_events import (
    CertificateRequest,
    DisasterRef,
    HouseDamageAssessed,
    HouseDamageReassessed,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import UnitOfWork
from kyodo_disaster.adapters.arrays import any_of
from kyodo_disaster.adapters.residents import household_heads, residents_by_id
from kyodo_disaster.adapters.tables import applications
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House, Regraded
from kyodo_disaster.domain.survey import Method, SurveyKind

READY = "ready"


def disaster_ref(disaster: Disaster) -> DisasterRef:
    return DisasterRef(disaster_id=disaster.id, name=disaster.name, kind=disaster.kind.value,
                       kind_label=disaster.kind.label, occurred_on=disaster.occurred_on)


async def ready_requests(session: AsyncSession, house_ids: Sequence[uuid.UUID]
                         ) -> dict[uuid.UUID, list[CertificateRequest]]:
    a = applications.c
    rows = (await session.execute(
        sa.select(a.house_id, a.id, a.applicant_resident_id, a.copies, a.ready_job_id,
                  a.ready_by, a.ready_by_home, a.ready_grant_id)
        .where(any_of(a.house_id, house_ids), a.status == READY)
        .order_by(a.house_id, a.ready_at, a.id))).all()
    found: dict[uuid.UUID, list[CertificateRequest]] = {}
    for row in rows:
        found.setdefault(row.house_id, []).append(CertificateRequest(
            application_id=row.id, applicant_resident_id=row.applicant_resident_id,
            copies=row.copies, job_id=row.ready_job_id, requested_by=row.ready_by,
            requested_by_home=row.ready_by_home, grant_id=row.ready_grant_id))
    return found


async def _householders(session: AsyncSession, houses: Sequence[House],
                        requests: dict[uuid.UUID, list[CertificateRequest]]
                        ) -> dict[uuid.UUID, uuid.UUID | None]:
    """世帯主 of the applicant's household, else of the first occupant's, else unknown."""
    first_person = {h.id: (requests[h.id][0].applicant_resident_id if requests.get(h.id)
                           else (h.occupant_ids[0] if h.occupant_ids else None))
                    for h in houses}
    people = await residents_by_id(session, {p for p in first_person.values() if p})
    households = {p: row.household_id for p, row in people.items() if row.household_id}
    heads = await household_heads(session, set(households.values()))
    found: dict[uuid.UUID, uuid.UUID | None] = {}
    for house_id, person in first_person.items():
        household = households.get(person) if person else None
        found[house_id] = heads.get(household) if household else None
    return found


async def publish(uow: UnitOfWork, disaster: Disaster,
                  changes: Sequence[tuple[House, Regraded | None]]) -> None:
    """One event per change, in order; a regrade of a surveyed house is a reassessment."""
    if not changes:
        return
    houses = list({house.id: house for house, _ in changes}.values())
    requests = await ready_requests(uow.session, [h.id for h in houses])
    householders = await _householders(uow.session, houses, requests)
    ref = disaster_ref(disaster)
    for house, regraded in changes:
        uow.record(house_event(house, regraded, disaster=ref, code=uow.municipality_code,
                               requests=requests.get(house.id, []),
                               householder=householders.get(house.id)))


def house_event(house: House, regraded: Regraded | None, *, disaster: DisasterRef, code: str,
                requests: Sequence[CertificateRequest],
                householder: uuid.UUID | None) -> HouseDamageAssessed:
    """The house as it stands after this change (version, grade and survey of that moment)."""
    grade: Grade | None
    kind: SurveyKind | None
    method: Method | None
    surveyed_on: date | None
    if regraded is not None:
        survey = regraded.survey
        grade, version, survey_version = survey.grade, regraded.house_version, survey.version
        kind, method, surveyed_on = survey.input.kind, survey.input.method, survey.input.surveyed_on
    else:
        grade, version, survey_version = house.grade, house.version, house.survey_version
        kind, method, surveyed_on = house.survey_kind, house.method, house.surveyed_on
    if grade is None or kind is None or method is None or surveyed_on is None:
        raise ValueError("a house is published only after a survey")
    fields: dict[str, Any] = {
        "house_id": house.id, "version": version, "municipality_code": code,
        "disaster": disaster, "address": house.address, "postal_code": house.postal_code,
        "grade": grade.label, "grade_code": grade.code, "surveyed_on": surveyed_on,
        "survey_version": survey_version, "survey_kind": kind.label, "method": method.label,
        "occupant_resident_ids": tuple(house.occupant_ids),
        "householder_resident_id": householder,
        "applicant_resident_id": requests[0].applicant_resident_id if requests else None,
        "certificate_requested": bool(requests), "requests": tuple(requests),
    }
    if regraded is not None and regraded.previous_grade is not None:
        return HouseDamageReassessed(
            **fields, previous_grade=regraded.previous_grade.label,
            previous_grade_code=regraded.previous_grade.code,
            previous_survey_version=regraded.previous_survey_version or 0)
    return HouseDamageAssessed(**fields)
