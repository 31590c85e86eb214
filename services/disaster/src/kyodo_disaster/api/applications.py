"""罹災証明書 applications, and the job that marks a list of them ready for issuance."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.audit import record_acting
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import IdempotencyKey, MunicipalityCode, Purpose
from kyodo_disaster.adapters import applications as views
from kyodo_disaster.adapters.certificate_jobs import SqlCertificateJobs
from kyodo_disaster.adapters.stores import SqlDisasters
from kyodo_disaster.api.deps import Db, Pipeline, Reader, Writer
from kyodo_disaster.api.schemas.applications import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationPublic,
    JobCreate,
    JobPublic,
)
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.application import ApplicationStatus
from kyodo_disaster.service_layer import handlers
from kyodo_disaster.service_layer.commands import ApplyForCertificate, StartCertificateJob
from kyodo_disaster.service_layer.common import disaster_or_404

router = APIRouter(prefix="/v1/municipalities/{code}/disaster", tags=["applications"])
APPLICATIONS_BY_ID = Keyset("disaster.applications", (UUID,))


def _job_location(code: str, job_id: object) -> str:
    return f"/v1/municipalities/{code}/disaster/certificate-jobs/{job_id}"


async def _application(session: Any, application_id: UUID) -> ApplicationPublic:
    row = await views.application(session, application_id)
    if row is None:
        raise NotFound("the application")
    return ApplicationPublic.model_validate(dict(row._mapping))


@router.post("/houses/{house_id}/applications", status_code=201,
             response_model=ApplicationPublic)
async def apply_for_certificate(code: MunicipalityCode, house_id: UUID,
                                body: ApplicationCreate, acting: Writer, pipeline: Pipeline,
                                key: IdempotencyKey = None) -> JSONResponse:
    """交付申請 within the disaster's application window, by someone living in the house."""
    command = ApplyForCertificate(actor=Actor.of(acting), house_id=house_id,
                                  applicant_resident_id=body.applicant_resident_id,
                                  copies=body.copies)
    return await pipeline.run(command, handlers.apply_for_certificate, acting=acting, key=key,
                              fingerprint=("disaster.apply",
                                           [str(house_id), body.model_dump(mode="json")]))


@router.get("/disasters/{disaster_id}/applications", response_model=ApplicationPage)
async def list_applications(code: MunicipalityCode, disaster_id: UUID, acting: Reader,
                            purpose: Purpose, db: Db, status: ApplicationStatus | None = None,
                            limit: Limit = DEFAULT_LIMIT,
                            cursor: Cursor = None) -> ApplicationPage:
    after = APPLICATIONS_BY_ID.decode(cursor)
    async with db.tenant_transaction(code) as session:
        await disaster_or_404(SqlDisasters(session), disaster_id)
        rows = await views.applications_of(session, disaster_id, status=status,
                                           after=after[0] if after else None, limit=limit + 1)
        shown, next_cursor = APPLICATIONS_BY_ID.page(rows, limit, key=lambda r: (r.id,))
        page = [ApplicationPublic.model_validate(dict(r._mapping)) for r in shown]
        await record_acting(session, acting, action="application.listed",
                            subject_type="application", subject_ids=[str(a.id) for a in page],
                            fields=["application"], purpose=purpose)
    return ApplicationPage(items=page, next=next_cursor)


@router.post("/certificate-jobs", status_code=202, response_model=JobPublic)
async def start_certificate_job(code: MunicipalityCode, body: JobCreate, acting: Writer,
                                pipeline: Pipeline, key: IdempotencyKey = None
                                ) -> JSONResponse:
    """Queues the job; the disaster worker runs it (resumable). Follow its Location."""
    command = StartCertificateJob(actor=Actor.of(acting), application_ids=body.application_ids)
    return await pipeline.run(command, handlers.start_certificate_job, acting=acting, key=key,
                              fingerprint=("disaster.certificate_job",
                                           body.model_dump(mode="json")))


@router.get("/certificate-jobs/{job_id}", response_model=JobPublic)
async def certificate_job(code: MunicipalityCode, job_id: UUID, acting: Reader,
                          db: Db) -> JobPublic:
    """Progress: applications done of the total; how many became ready, and refusals."""
    async with db.tenant_transaction(code) as session:
        row = await SqlCertificateJobs(session).status(job_id)
    if row is None:
        raise NotFound("the certificate job")
    return JobPublic.of(row)
