"""罹災証明書 of a disaster: how many of the requested certificates the worker has issued, and
each request with its copies (ids and codes: the PDFs are read one by one, access-logged)."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter

from kyodo_certificates.adapters.tables import certificates, damage_assessments
from kyodo_certificates.adapters.tables import damage_issuances as requests
from kyodo_certificates.api.deps import Db, Issuer
from kyodo_certificates.api.schemas import (
    DamageCopy,
    DamageProgress,
    DamageRefusal,
    DamageRequest,
    DamageRequestPage,
)
from kyodo_certificates.domain.kinds import Kind, RequestStatus, Status
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])
MAX_LISTED = 100
BY_APPLICATION = Keyset("certificates.damage-requests", (UUID,))


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


@router.get("/damage/disasters/{disaster_id}/requests", response_model=DamageRequestPage)
async def requests_of(code: MunicipalityCode, disaster_id: UUID, acting: Issuer, db: Db,
                      status: RequestStatus | None = None, application_id: UUID | None = None,
                      limit: Limit = DEFAULT_LIMIT,
                      cursor: Cursor = None) -> DamageRequestPage:
    """The disaster's requests (one application's with `application_id`) and their copies,
    a page of applications at a time (`limit` applications, each with all its requests)."""
    after = BY_APPLICATION.decode(cursor)
    r = requests.c
    found = sa.select(r.application_id).where(r.disaster_id == disaster_id)
    if status is not None:
        found = found.where(r.status == status.value)
    if application_id is not None:
        found = found.where(r.application_id == application_id)
    if after is not None:
        found = found.where(r.application_id > after[0])
    async with db.tenant_transaction(code) as session:
        ids = list((await session.execute(
            found.group_by(r.application_id).order_by(r.application_id).limit(limit + 1)
        )).scalars())
        page, next_cursor = BY_APPLICATION.page(ids, limit, key=lambda i: (i,))
        rows = (await session.execute(sa.select(requests).where(
            r.application_id.in_(page), r.disaster_id == disaster_id,
            *([r.status == status.value] if status is not None else []))
            .order_by(r.application_id, r.survey_version))).all()
        copies = (await session.execute(sa.select(
            certificates.c.id, certificates.c.application_id, certificates.c.survey_version,
            certificates.c.copy_number, certificates.c.verification_code,
            certificates.c.status).where(certificates.c.application_id.in_(page))
            .order_by(certificates.c.copy_number))).all()
    by_request: dict[tuple[UUID, int], list[DamageCopy]] = {}
    base = f"/v1/municipalities/{code}/certificates"
    for c in copies:
        by_request.setdefault((c.application_id, c.survey_version), []).append(DamageCopy(
            certificate_id=c.id, copy_number=c.copy_number,
            verification_code=c.verification_code, status=c.status,
            pdf=f"{base}/{c.id}/pdf"))
    return DamageRequestPage(items=[DamageRequest(
        application_id=row.application_id, survey_version=row.survey_version,
        assessment_id=row.assessment_id, status=row.status, reason=row.reason,
        issuance_id=row.issuance_id, issued_at=row.issued_at,
        copies=by_request.get((row.application_id, row.survey_version), []))
        for row in rows], next=next_cursor)
