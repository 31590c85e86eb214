"""罹災証明書 requested through the disaster service: recorded by the consumer, one row per
(application, survey version), in the transaction of the event that carries the request.

Recording is cheap (rows, no PDF); the worker's job loop issues them in chunks
(damage_issuing.py). The primary key makes a redelivered event record nothing twice, and the
unique index on certificates (application, survey version, copy) makes a second issuance of
the same request impossible whatever the code does.
"""

from __future__ import annotations

from uuid import UUID

from kyodo_disaster_events import HouseDamageAssessed

from kyodo_certificates.domain.kinds import RequestStatus
from kyodo_certificates.service_layer.ports import ReadModels
from kyodo_common.auth import Principal

WORKER = "certificates.read-models"  # the consumer, in the access log when no clerk acts
KEPT_REASON = "再調査で被害の程度は変わらず、交付済みの証明書が有効"
SUPERSEDED_REASON = "交付前に再調査の結果が届いた"
STANDING = (RequestStatus.ISSUED.value, RequestStatus.KEPT.value)


def worker_principal(code: str) -> Principal:
    return Principal(subject=WORKER, home_municipality=code, kind="service", roles=frozenset(),
                     scopes=frozenset(), expires_at=0.0, token_id="")


async def record_requests(store: ReadModels, event: HouseDamageAssessed) -> None:
    """Every request of the event not recorded yet, pending; or kept when the application
    already holds a certificate of an earlier survey that a same-grade re-survey left valid."""
    if not event.requests:
        return
    standing = await store.standing_applications(event.house_id, event.survey_version,
                                                 STANDING)
    rows = [{
        "municipality_code": event.municipality_code, "application_id": r.application_id,
        "survey_version": event.survey_version, "assessment_id": event.house_id,
        "disaster_id": event.disaster.disaster_id,
        "applicant_resident_id": r.applicant_resident_id, "copies": r.copies,
        "job_id": r.job_id, "requested_by": r.requested_by,
        "requested_by_home": r.requested_by_home, "grant_id": r.grant_id,
        "status": (RequestStatus.KEPT if r.application_id in standing
                   else RequestStatus.PENDING).value,
        "reason": KEPT_REASON if r.application_id in standing else None, "attempts": 0,
    } for r in event.requests]
    await store.add_requests(rows)


async def supersede_pending(store: ReadModels, house_id: UUID, survey_version: int) -> None:
    """Requests of an earlier survey not issued yet: the new survey's requests replace them."""
    await store.close_pending(house_id, survey_version,
                              status=RequestStatus.SUPERSEDED.value, reason=SUPERSEDED_REASON)


async def mark_voided(store: ReadModels, house_id: UUID, reason: str) -> None:
    """The house's certificates were voided by a re-survey with another grade."""
    await store.mark_requests(house_id, among=STANDING, status=RequestStatus.VOIDED.value,
                              reason=reason)
