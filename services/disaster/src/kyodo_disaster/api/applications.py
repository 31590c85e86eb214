"""罹災証明書 applications, and the job that marks a list of them ready for issuance."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.clock import today_in_japan
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import IdempotencyKey, MunicipalityCode, Purpose
from kyodo_disaster.adapters import applications as views
from kyodo_disaster.adapters.audit import Actor, record
from kyodo_disaster.adapters.certificate_jobs import SqlCertificateJobs
from kyodo_disaster.adapters.stores import SqlDisasters, SqlStores
from kyodo_disaster.api.deps import Db, Reader, Reply, Writer, idempotent
from kyodo_disaster.api.schemas.applications import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationPublic,
    JobCreate,
    JobPublic,
)
from kyodo_disaster.domain.application import ApplicationStatus
from kyodo_disaster.service_layer.applications import apply
from kyodo_disaster.service_layer.certificate_jobs import request_job
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
                                body: ApplicationCreate, acting: Writer, db: Db,
                                key: IdempotencyKey = None) -> JSONResponse:
    """交付申請 within the disaster's application window, by someone living in the house."""

    async def action(uow: UnitOfWork) -> Reply:
        application_id = await apply(SqlStores(uow), actor=Actor.of(acting), house_id=house_id,
                                     applicant_resident_id=body.applicant_resident_id,
                                     copies=body.copies, today=today_in_japan())
        public = await _application(uow.session, application_id)
        return 201, public.model_dump(mode="json"), {}

    return await idempotent(db=db, code=code, caller=acting.principal, key=key,
                            route="disaster.apply",
                            payload=[str(house_id), body.model_dump(mode="json")],
                            action=action)


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
        await record(session, Actor.of(acting), action="application.listed",
                     subject_type="application", subject_ids=[str(a.id) for a in page],
                     fields=["application"], purpose=purpose)
    return ApplicationPage(items=page, next=next_cursor)


@router.post("/certificate-jobs", status_code=202, response_model=JobPublic)
async def start_certificate_job(code: MunicipalityCode, body: JobCreate, acting: Writer,
                                db: Db, key: IdempotencyKey = None) -> JSONResponse:
    """Queues the job; the disaster worker runs it (resumable). Follow its Location."""

    async def action(uow: UnitOfWork) -> Reply:
        job_id = await request_job(SqlStores(uow), actor=Actor.of(acting),
                                   application_ids=body.application_ids)
        row = await SqlCertificateJobs(uow.session).status(job_id)
        return 202, JobPublic.of(row).model_dump(mode="json"), {
            "Location": _job_location(code, job_id)}

    return await idempotent(db=db, code=code, caller=acting.principal, key=key,
                            route="disaster.certificate_job",
                            payload=body.model_dump(mode="json"), action=action,
                            location=lambda b: _job_location(code, b["id"]))


@router.get("/certificate-jobs/{job_id}", response_model=JobPublic)
async def certificate_job(code: MunicipalityCode, job_id: UUID, acting: Reader,
                          db: Db) -> JobPublic:
    """Progress: applications done of the total; how many became ready, and refusals."""
    async with db.tenant_transaction(code) as session:
        row = await SqlCertificateJobs(session).status(job_id)
    if row is None:
        raise NotFound("the certificate job")
    return JobPublic.of(row)
