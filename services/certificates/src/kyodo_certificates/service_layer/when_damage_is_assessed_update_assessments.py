"""When the disaster service grades a damaged house, keep it for 罹災証明書 and record the
certificates its applications request.

The read model stores the assessment in this service's own shape (upstream/disaster.py); the
disaster service's events (HouseDamageAssessed, HouseDamageReassessed) are translated into it
here. A re-survey that changes the grade voids the 罹災証明書 already issued for the house.
The event's `requests` (every application ready for issuance) are recorded here, one per
(application, survey version), and issued by the worker's job loop (damage_issuing.py): a
re-survey with another grade thus re-issues each request on the new grade, one with the same
grade leaves the certificates issued standing (ADR 0007). A clerk may still issue one at the
counter (POST …/certificates/damage).
"""

from __future__ import annotations

from datetime import UTC, datetime

from kyodo_certificates_events import CertificateVoided
from kyodo_disaster_events import HouseDamageAssessed

from kyodo_certificates.service_layer.damage_requests import (
    mark_voided,
    record_requests,
    supersede_pending,
    worker_principal,
)
from kyodo_certificates.service_layer.ports import ReadModels, ReadModelsUnitOfWork
from kyodo_certificates.upstream.disaster import DamageAssessed, Disaster, Grade
from kyodo_common.events import Envelope

RESURVEY_REASON = "再調査により被害の程度が変更された"


async def when_damage_is_assessed_update_assessments(
    uow: ReadModelsUnitOfWork, event: DamageAssessed, envelope: Envelope
) -> None:
    values = {"assessment_id": event.assessment_id,
              "municipality_code": event.municipality_code,
              "disaster_id": event.disaster.disaster_id,
              "resident_id": event.householder_resident_id, "version": event.version,
              "facts": event.model_dump(mode="json")}
    await uow.read_models.keep_damage_assessment(values)


async def from_disaster_event(store: ReadModels, event: HouseDamageAssessed
                              ) -> DamageAssessed:
    """The disaster service's house in this read model's terms. The householder's name and
    address come from the residents read model; when the register has not arrived yet they
    stay empty here and the issuance reads them then (drafts.DamageDraft)."""
    householder = (await store.resident(event.householder_resident_id)
                   if event.householder_resident_id is not None else None)
    return DamageAssessed(
        assessment_id=event.house_id, version=event.version,
        municipality_code=event.municipality_code,
        disaster=Disaster(disaster_id=event.disaster.disaster_id, name=event.disaster.name,
                          occurred_on=event.disaster.occurred_on),
        house_address=event.address, householder_resident_id=event.householder_resident_id,
        householder_name=householder.name if householder else "",
        householder_address=householder.address if householder else "",
        grade=Grade(event.grade), surveyed_on=event.surveyed_on, method=event.method,
        survey_version=event.survey_version)


async def when_house_damage_changes_update_assessments(
    uow: ReadModelsUnitOfWork, event: HouseDamageAssessed, envelope: Envelope
) -> None:
    """The subscription to kyodo.disaster.v1 (HouseDamageAssessed and HouseDamageReassessed).

    The highest version wins; an older or repeated one changes nothing. When a newer version
    carries another grade, every 罹災証明書 still valid for the house printed the old one: they
    are voided in this transaction (CertificateVoided through the outbox). The requests it
    carries are recorded for the worker to issue."""
    store = uow.read_models
    facts = await from_disaster_event(store, event)
    previous = await store.house(facts.assessment_id)
    if previous is not None and previous[0] >= facts.version:
        return
    await when_damage_is_assessed_update_assessments(uow, facts, envelope)
    if previous is not None:
        await supersede_pending(store, facts.assessment_id, event.survey_version)
        if previous[1] != facts.grade.value:
            await _void_issued(store, facts)
    await record_requests(store, event)


async def _void_issued(store: ReadModels, facts: DamageAssessed) -> None:
    code, now = facts.municipality_code, datetime.now(UTC)
    voided = await store.void_damage_certificates(
        facts.assessment_id, code=code, reason=RESURVEY_REASON, now=now,
        principal=worker_principal(code))
    await mark_voided(store, facts.assessment_id, RESURVEY_REASON)
    await store.publish([CertificateVoided(certificate_id=certificate_id, municipality_code=code,
                                           kind=kind, voided_at=now)
                         for certificate_id, kind in voided], code=code)
