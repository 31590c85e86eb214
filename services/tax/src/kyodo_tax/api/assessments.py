"""Assessments of one person: assess or correct, read the versions, switch collection."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import IdempotencyKey, MunicipalityCode, Purpose
from kyodo_tax.adapters import assessments as views
from kyodo_tax.adapters.register_view import SqlRegister
from kyodo_tax.api.deps import Db, Handlers, Pipeline, Reader, Writer, log_access
from kyodo_tax.api.schemas import AssessmentPublic, AssessmentRequest, CollectionSwitch
from kyodo_tax.service_layer.commands import Assess, SwitchCollection
from kyodo_tax.service_layer.handlers import FIELDS, assessment_public
from kyodo_tax.service_layer.lookups import taxpayer_on_january_first

router = APIRouter(prefix="/v1/municipalities/{code}/tax", tags=["tax"])
NEWEST_FIRST = Keyset("tax.person-assessments", (int, int))


async def _one(session: Any, assessment_id: UUID) -> AssessmentPublic:
    return await assessment_public(session, assessment_id)


@router.post("/assessments", status_code=201, response_model=AssessmentPublic,
             responses={200: {"model": AssessmentPublic,
                              "description": "the inputs did not change: the latest version"}})
async def assess(code: MunicipalityCode, body: AssessmentRequest, acting: Writer,
                 pipeline: Pipeline, handlers: Handlers, key: IdempotencyKey = None
                 ) -> JSONResponse:
    """The first assessment of the year, or a correction (a new version with the difference)
    when salary reports or declarations changed since the last one."""
    command = Assess(fiscal_year=body.fiscal_year, platform_person_id=body.platform_person_id)
    return await pipeline.run(command, handlers.assess, acting=acting, key=key,
                              fingerprint=("tax.assessments", body.model_dump(mode="json")))


@router.get("/assessments/{assessment_id}", response_model=AssessmentPublic)
async def assessment(code: MunicipalityCode, assessment_id: UUID, acting: Reader,
                     purpose: Purpose, db: Db) -> AssessmentPublic:
    async with db.tenant_transaction(code) as session:
        public = await _one(session, assessment_id)
        await log_access(session, acting, code=code, action="assessment.read",
                         subject_type="taxpayer", subject_id=str(public.platform_person_id),
                         fields=FIELDS, purpose=purpose)
    return public


@router.get("/persons/{platform_person_id}/assessments",
            response_model=Page[AssessmentPublic])
async def assessments_of(code: MunicipalityCode, platform_person_id: UUID, acting: Reader,
                         purpose: Purpose, db: Db,
                         fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                         limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
                         ) -> Page[AssessmentPublic]:
    """Every version, newest first (a year's versions show each correction's difference)."""
    after = NEWEST_FIRST.decode(cursor) or (None, None)
    async with db.tenant_transaction(code) as session:
        rows, next_cursor = NEWEST_FIRST.page(await views.assessments_of_person(
            session, platform_person_id, fiscal_year=fiscal_year, after=after,
            limit=limit + 1), limit, key=lambda r: (r.fiscal_year, r.version))
        await log_access(session, acting, code=code, action="assessment.read",
                         subject_type="taxpayer", subject_id=str(platform_person_id),
                         fields=FIELDS, purpose=purpose)
    return Page(items=[AssessmentPublic.from_row(r) for r in rows], next=next_cursor)


@router.post("/assessments/{assessment_id}/collection-switch",
             response_model=AssessmentPublic)
async def switch(code: MunicipalityCode, assessment_id: UUID, body: CollectionSwitch,
                 acting: Writer, pipeline: Pipeline, handlers: Handlers,
                 key: IdempotencyKey = None) -> JSONResponse:
    """退職 or 死亡: the 特別徴収 instalments after that month are billed (普通徴収)."""
    command = SwitchCollection(assessment_id=assessment_id, reason=body.reason, on=body.on)
    return await pipeline.run(command, handlers.switch_collection, acting=acting, key=key,
                              fingerprint=("tax.collection_switch",
                                           [str(assessment_id), body.model_dump(mode="json")]))


@router.get("/persons/{platform_person_id}/residence")
async def residence_on_january_first(
        code: MunicipalityCode, platform_person_id: UUID, acting: Reader, purpose: Purpose, db: Db,
        fiscal_year: Annotated[int, Query(ge=2000, le=2100)]) -> dict[str, object]:
    """賦課期日: was the person registered here at the end of 1 January of the year (and so
    taxed here for the whole year), and at which address."""
    async with db.tenant_transaction(code) as session:
        taxpayer = await taxpayer_on_january_first(SqlRegister(session), platform_person_id,
                                                   fiscal_year)
        await log_access(session, acting, code=code, action="residence.read",
                         subject_type="taxpayer", subject_id=str(platform_person_id),
                         fields=["january_first_address"], purpose=purpose)
    if taxpayer is None:
        return {"fiscal_year": fiscal_year, "taxed_here": False, "january_first": None}
    return {"fiscal_year": fiscal_year, "taxed_here": True, "january_first": {
        "resident_id": str(taxpayer.resident_id), "resident_number": taxpayer.resident_number,
        "postal_code": taxpayer.postal_code, "address": taxpayer.address}}
