"""災害の宣言: declare a disaster, read it, widen its area or extend its window."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import IdempotencyKey, IfMatch, MunicipalityCode, etag
from kyodo_disaster.adapters.disasters import disaster_from_row, latest_first
from kyodo_disaster.adapters.stores import SqlDisasters
from kyodo_disaster.api.deps import Db, Handlers, Pipeline, Reader, Writer
from kyodo_disaster.api.schemas.disasters import DisasterCreate, DisasterPublic, DisasterUpdate
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.service_layer.commands import AmendDisaster, DeclareDisaster
from kyodo_disaster.service_layer.common import disaster_or_404

router = APIRouter(prefix="/v1/municipalities/{code}/disaster/disasters", tags=["disasters"])
LATEST_FIRST = Keyset("disaster.disasters", (date, UUID))


def _location(code: str, disaster_id: object) -> str:
    return f"/v1/municipalities/{code}/disaster/disasters/{disaster_id}"


@router.post("", status_code=201, response_model=DisasterPublic)
async def declare_disaster(code: MunicipalityCode, body: DisasterCreate, acting: Writer,
                           pipeline: Pipeline, handlers: Handlers,
                           key: IdempotencyKey = None) -> JSONResponse:
    """Declares the disaster; DisasterDeclared commits with it."""
    command = DeclareDisaster(
        actor=Actor.of(acting), name=body.name, kind=body.kind, occurred_on=body.occurred_on,
        affected_area=body.affected_area, opens_on=body.application_opens_on,
        closes_on=body.application_closes_on)
    return await pipeline.run(command, handlers.declare, acting=acting, key=key,
                              fingerprint=("disaster.declare", body.model_dump(mode="json")))


@router.get("", response_model=Page[DisasterPublic])
async def list_disasters(code: MunicipalityCode, acting: Reader, db: Db,
                         limit: Limit = DEFAULT_LIMIT,
                         cursor: Cursor = None) -> Page[DisasterPublic]:
    """The municipality's disasters, the latest first."""
    after = LATEST_FIRST.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows = await latest_first(session, after=after, limit=limit + 1)
    shown, next_cursor = LATEST_FIRST.page(rows, limit, key=lambda r: (r.occurred_on, r.id))
    return Page(items=[DisasterPublic.of(disaster_from_row(r)) for r in shown], next=next_cursor)


@router.get("/{disaster_id}", response_model=DisasterPublic)
async def get_disaster(code: MunicipalityCode, disaster_id: UUID, acting: Reader,
                       db: Db) -> JSONResponse:
    async with db.tenant_transaction(code) as session:
        disaster = await disaster_or_404(SqlDisasters(session), disaster_id)
    return JSONResponse(DisasterPublic.of(disaster).model_dump(mode="json"),
                        headers={"ETag": etag(disaster.version)})


@router.patch("/{disaster_id}", response_model=DisasterPublic)
async def amend_disaster(code: MunicipalityCode, disaster_id: UUID, body: DisasterUpdate,
                         acting: Writer, pipeline: Pipeline, handlers: Handlers,
                         expected: IfMatch) -> JSONResponse:
    """Widens the affected area or extends the application window (If-Match)."""
    command = AmendDisaster(actor=Actor.of(acting), disaster_id=disaster_id,
                            expected_version=expected, affected_area=body.affected_area,
                            closes_on=body.application_closes_on)
    return await pipeline.update(command, handlers.amend, acting=acting)
