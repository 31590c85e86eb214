"""Bulk assessment of the municipality for a fiscal year: start a job, follow its progress."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import IdempotencyKey, MunicipalityCode, Purpose
from kyodo_tax.adapters import bulk_jobs
from kyodo_tax.adapters.bulk_jobs import SqlBulkJobs
from kyodo_tax.api.deps import Db, Handlers, Pipeline, Reader, Writer, log_access
from kyodo_tax.api.schemas import BulkRequest, JobPublic
from kyodo_tax.service_layer.commands import StartBulkAssessment

router = APIRouter(prefix="/v1/municipalities/{code}/tax", tags=["tax"])


@router.post("/bulk-assessments", status_code=202, response_model=JobPublic)
async def start_bulk_assessment(code: MunicipalityCode, body: BulkRequest, acting: Writer,
                                pipeline: Pipeline, handlers: Handlers,
                                key: IdempotencyKey = None) -> JSONResponse:
    """Queues the job; the tax worker runs it (resumable after a crash). Follow its Location."""
    command = StartBulkAssessment(fiscal_year=body.fiscal_year, actor=acting.principal.subject)
    return await pipeline.run(command, handlers.start_bulk_assessment, acting=acting, key=key,
                              fingerprint=("tax.bulk_assessments",
                                           body.model_dump(mode="json")))


@router.get("/bulk-assessments/{job_id}", response_model=JobPublic)
async def bulk_assessment(code: MunicipalityCode, job_id: UUID, acting: Reader,
                          db: Db) -> JobPublic:
    """Progress: persons done of the total, and how many were assessed, corrected, refused."""
    async with db.tenant_transaction(code) as session:
        row = await SqlBulkJobs(session).status(job_id)
    if row is None:
        raise NotFound("the bulk assessment")
    return JobPublic.from_row(row)


REFUSALS_BY_PERSON = Keyset("tax.bulk-refusals", (UUID,))


@router.get("/bulk-assessments/{job_id}/refusals", response_model=Page[dict[str, str]])
async def refusals(code: MunicipalityCode, job_id: UUID, acting: Reader, purpose: Purpose,
                   db: Db, limit: Limit = DEFAULT_LIMIT,
                   cursor: Cursor = None) -> Page[dict[str, str]]:
    """Persons the job left for a manual assessment, and why (in person id order)."""
    after = REFUSALS_BY_PERSON.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows, next_cursor = REFUSALS_BY_PERSON.page(
            await bulk_jobs.refusals(session, job_id, after=after[0] if after else None,
                                     limit=limit + 1),
            limit, key=lambda row: (row.platform_person_id,))
        await log_access(session, acting, code=code, action="bulk_assessment.refusals.read",
                         subject_type="tax_bulk_job", subject_id=str(job_id),
                         fields=["refusals"], purpose=purpose)
    return Page(items=[{"platform_person_id": str(row.platform_person_id), "reason": row.reason}
                       for row in rows], next=next_cursor)
