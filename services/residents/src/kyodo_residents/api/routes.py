"""Routes: each builds the use case's input, runs it in a unit of work, renders the result."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import NotFound
from kyodo_common.web import MunicipalityCode, Purpose, acting_for
from kyodo_residents.api.schemas import ResidentCreate, ResidentPublic
from kyodo_residents.service_layer.register import get_resident, register_resident

router = APIRouter(prefix="/v1/municipalities/{code}/residents", tags=["residents"])
SOURCE = "kyodo/residents"


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


Db = Annotated[Database, Depends(_db)]
Writer = Annotated[Acting, Depends(acting_for("residents:write"))]
Reader = Annotated[Acting, Depends(acting_for("residents:read"))]


def _etag(version: int) -> str:
    return f'W/"{version}"'


@router.post("", status_code=201, response_model=ResidentPublic)
async def register(
    code: MunicipalityCode,
    body: ResidentCreate,
    principal: Writer,
    db: Db,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """住民登録: register a resident; the ResidentRegistered event commits with it."""
    key = idempotency.validate_key(idempotency_key)
    fingerprint = idempotency.fingerprint("residents.register", body.model_dump(mode="json"))
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        previous = await idempotency.claim(uow.session, municipality_code=code, key=key,
                                           request_fingerprint=fingerprint)
        if previous is not None:
            return JSONResponse(previous.body, status_code=previous.status)
        event = await register_resident(uow=uow, new=body.to_domain(), today=today_in_japan())
        row = await get_resident(uow.session, event.resident_id)
        public = ResidentPublic.from_row(row).model_dump(mode="json")
        await idempotency.remember(uow.session, key=key, status=201, body=public)
        await uow.commit()
    return JSONResponse(public, status_code=201, headers={
        "Location": f"/v1/municipalities/{code}/residents/{event.resident_id}",
        "ETag": _etag(1),
    })


@router.get("/{resident_id}", response_model=ResidentPublic)
async def read(code: MunicipalityCode, resident_id: UUID, principal: Reader, purpose: Purpose,
               db: Db) -> JSONResponse:
    """A resident as registered now (needs a stated purpose)."""
    async with db.tenant_transaction(code) as session:
        row = await get_resident(session, resident_id)
    if row is None:
        raise NotFound("resident")
    public = ResidentPublic.from_row(row)
    return JSONResponse(public.model_dump(mode="json"), headers={"ETag": _etag(public.version)})
