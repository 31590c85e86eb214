"""The events a house's change publishes: its whole assessment, for certificates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from kyodo_disaster_events import (
    CertificateRequest,
    DisasterRef,
    HouseDamageAssessed,
    HouseDamageReassessed,
)

from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House, Regraded
from kyodo_disaster.domain.survey import Method, SurveyKind
from kyodo_disaster.service_layer.ports import ResidentView, Stores


def disaster_ref(disaster: Disaster) -> DisasterRef:
    return DisasterRef(disaster_id=disaster.id, name=disaster.name, kind=disaster.kind.value,
                       kind_label=disaster.kind.label, occurred_on=disaster.occurred_on)


async def _householders(residents: ResidentView, houses: Sequence[House],
                        requests: dict[uuid.UUID, list[CertificateRequest]]
                        ) -> dict[uuid.UUID, uuid.UUID | None]:
    """世帯主 of the applicant's household, else of the first occupant's, else unknown."""
    first_person = {h.id: (requests[h.id][0].applicant_resident_id if requests.get(h.id)
                           else (h.occupant_ids[0] if h.occupant_ids else None))
                    for h in houses}
    people = await residents.by_id({p for p in first_person.values() if p})
    households = {p: row.household_id for p, row in people.items() if row.household_id}
    heads = await residents.household_heads(set(households.values()))
    found: dict[uuid.UUID, uuid.UUID | None] = {}
    for house_id, person in first_person.items():
        household = households.get(person) if person else None
        found[house_id] = heads.get(household) if household else None
    return found


async def publish(stores: Stores, disaster: Disaster,
                  changes: Sequence[tuple[House, Regraded | None]]) -> None:
    """One event per change, in order; a regrade of a surveyed house is a reassessment."""
    if not changes:
        return
    houses = list({house.id: house for house, _ in changes}.values())
    requests = await stores.applications.ready_requests([h.id for h in houses])
    householders = await _householders(stores.residents, houses, requests)
    ref = disaster_ref(disaster)
    for house, regraded in changes:
        stores.record(house_event(house, regraded, disaster=ref, code=stores.municipality_code,
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
