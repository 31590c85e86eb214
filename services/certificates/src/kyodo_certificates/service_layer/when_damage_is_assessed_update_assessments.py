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

import sqlalchemy as sa
from kyodo_disaster_events import HouseDamageAssessed
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters import read_models
from kyodo_certificates.adapters.tables import certificates, damage_assessments
from kyodo_certificates.domain.kinds import Kind, Status
from kyodo_certificates.service_layer.damage_requests import (
    mark_voided,
    record_requests,
    supersede_pending,
    worker_principal,
)
from kyodo_certificates.service_layer.issuing import SOURCE
from kyodo_certificates.service_layer.voiding import mark_void
from kyodo_certificates.upstream.disaster import DamageAssessed, Disaster, Grade
from kyodo_common.events import Envelope
from kyodo_common.events.outbox import write_to_outbox

RESURVEY_REASON = "再調査により被害の程度が変更された"


async def when_damage_is_assessed_update_assessments(
    session: AsyncSession, event: DamageAssessed, envelope: Envelope
) -> None:
    values = {"assessment_id": event.assessment_id,
              "municipality_code": event.municipality_code,
              "disaster_id": event.disaster.disaster_id,
              "resident_id": event.householder_resident_id, "version": event.version,
              "facts": event.model_dump(mode="json")}
    statement = insert(damage_assessments).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[damage_assessments.c.assessment_id],
        set_={k: statement.excluded[k] for k in values if k != "assessment_id"},
        where=damage_assessments.c.version < statement.excluded.version,
    ))


async def from_disaster_event(session: AsyncSession, event: HouseDamageAssessed
                              ) -> DamageAssessed:
    """The disaster service's house in this read model's terms. The householder's name and
    address come from the residents read model; when the register has not arrived yet they
    stay empty here and the issuance reads them then (drafts.DamageDraft)."""
    householder = (await read_models.resident(session, event.householder_resident_id)
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
    session: AsyncSession, event: HouseDamageAssessed, envelope: Envelope
) -> None:
    """The subscription to kyodo.disaster.v1 (HouseDamageAssessed and HouseDamageReassessed).

    The highest version wins; an older or repeated one changes nothing. When a newer version
    carries another grade, every 罹災証明書 still valid for the house printed the old one: they
    are voided in this transaction (CertificateVoided through the outbox). The requests it
    carries are recorded for the worker to issue."""
    facts = await from_disaster_event(session, event)
    previous = (await session.execute(
        sa.select(damage_assessments.c.version,
                  damage_assessments.c.facts["grade"].astext.label("grade"))
        .where(damage_assessments.c.assessment_id == facts.assessment_id)
        .with_for_update())).first()
    if previous is not None and previous.version >= facts.version:
        return
    await when_damage_is_assessed_update_assessments(session, facts, envelope)
    if previous is not None:
        await supersede_pending(session, facts.assessment_id, event.survey_version)
        if previous.grade != facts.grade.value:
            await _void_issued(session, facts)
    await record_requests(session, event)


async def _void_issued(session: AsyncSession, facts: DamageAssessed) -> None:
    code = facts.municipality_code
    issued = (await session.execute(
        sa.select(certificates.c.id, certificates.c.kind).where(
            certificates.c.assessment_id == facts.assessment_id,
            certificates.c.kind == Kind.DAMAGE.value,
            certificates.c.status == Status.ISSUED.value)
        .order_by(certificates.c.issued_at).with_for_update())).all()
    now, worker = datetime.now(UTC), worker_principal(code)
    voided = [await mark_void(session, code=code, principal=worker, grant_id=None,
                              certificate_id=row.id, kind=row.kind, reason=RESURVEY_REASON,
                              now=now) for row in issued]
    await mark_voided(session, facts.assessment_id, RESURVEY_REASON)
    await write_to_outbox(session, voided, source=SOURCE, municipality_code=code)
