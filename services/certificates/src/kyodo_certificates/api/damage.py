"""罹災証明書 of a disaster: how many of the requested certificates the worker has issued, and
each request with its copies (ids and codes: the PDFs are read one by one, access-logged)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from kyodo_certificates.adapters.views import CertificatesViews
from kyodo_certificates.api.deps import Db, Issuer
from kyodo_certificates.api.schemas import (
    DamageCopy,
    DamageProgress,
    DamageRefusal,
    DamageRequest,
    DamageRequestPage,
)
from kyodo_certificates.domain.kinds import RequestStatus
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])
BY_APPLICATION = Keyset("certificates.damage-requests", (UUID,))


@router.get("/damage/disasters/{disaster_id}", response_model=DamageProgress)
async def progress(code: MunicipalityCode, disaster_id: UUID, acting: Issuer, db: Db
                   ) -> DamageProgress:
    """Progress of the disaster's requested 罹災証明書 (all zero until its events arrive)."""
    async with db.tenant_transaction(code) as session:
        counts, houses, copies, problems = await CertificatesViews(session).damage_progress(
            disaster_id)
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
    async with db.tenant_transaction(code) as session:
        views = CertificatesViews(session)
        ids = await views.damage_requests(disaster_id, status=status,
                                          application_id=application_id,
                                          after=after[0] if after is not None else None,
                                          limit=limit + 1)
        page, next_cursor = BY_APPLICATION.page(ids, limit, key=lambda i: (i,))
        rows, copies = await views.requests_of(disaster_id, page, status=status)
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
