"""罹災証明書 of a disaster: how many of the requested certificates the worker has issued."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter

from kyodo_certificates.adapters.tables import certificates, damage_assessments
from kyodo_certificates.adapters.tables import damage_issuances as requests
from kyodo_certificates.api.deps import Db, Issuer
from kyodo_certificates.api.schemas import DamageProgress, DamageRefusal
from kyodo_certificates.domain.kinds import Kind, RequestStatus, Status
from kyodo_common.web import MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])
MAX_LISTED = 100


@router.get("/damage/disasters/{disaster_id}", response_model=DamageProgress)
async def progress(code: MunicipalityCode, disaster_id: UUID, acting: Issuer, db: Db
                   ) -> DamageProgress:
    """Progress of the disaster's requested 罹災証明書 (all zero until its events arrive)."""
    async with db.tenant_transaction(code) as session:
        counts = dict((await session.execute(
            sa.select(requests.c.status, sa.func.count())
            .where(requests.c.disaster_id == disaster_id)
            .group_by(requests.c.status))).tuples().all())
        houses = (await session.execute(sa.select(sa.func.count()).where(
            damage_assessments.c.disaster_id == disaster_id))).scalar_one()
        copies = (await session.execute(sa.select(sa.func.count()).select_from(
            certificates.join(requests, sa.and_(
                certificates.c.application_id == requests.c.application_id,
                certificates.c.survey_version == requests.c.survey_version))).where(
            requests.c.disaster_id == disaster_id, certificates.c.kind == Kind.DAMAGE.value,
            certificates.c.status == Status.ISSUED.value))).scalar_one()
        problems = (await session.execute(
            sa.select(requests.c.application_id, requests.c.survey_version,
                      requests.c.status, requests.c.reason)
            .where(requests.c.disaster_id == disaster_id,
                   requests.c.status.in_([RequestStatus.REFUSED.value,
                                          RequestStatus.FAILED.value]))
            .order_by(requests.c.recorded_at, requests.c.application_id)
            .limit(MAX_LISTED))).all()
    by_status = {status.value: int(counts.get(status.value, 0)) for status in RequestStatus}
    return DamageProgress(
        disaster_id=disaster_id, houses=houses, requested=sum(by_status.values()),
        copies_issued=copies, problems=[DamageRefusal(**row._mapping) for row in problems],
        **by_status)
