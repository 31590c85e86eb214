"""The platform operator's API: municipalities (tenants) and the platform's own audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response

from kyodo_common.audit import verify_chain
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_common.web import IdempotencyKey
from kyodo_identity.adapters import views
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.adapters.views import audit_entries
from kyodo_identity.api.etag import etag, expected_version
from kyodo_identity.api.schemas.audit import AuditEntry, AuditPage, ChainVerdict
from kyodo_identity.api.schemas.municipalities import (
    MunicipalityCreate,
    MunicipalityList,
    MunicipalityPublic,
    MunicipalityUpdate,
)
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers

from .deps import Db, FingerprintKey, IfMatch, Operator, Pipeline, acting_as, secret_proof

router = APIRouter(prefix="/v1/platform", tags=["platform"])
AUDIT_BY_ID = Keyset("identity.platform-audit", (int,))
BY_CODE = Keyset("identity.municipalities", (str,))
Code = Annotated[str, Path(description="全国地方公共団体コード")]


def _known(code: str) -> str:
    if not is_valid_municipality_code(code):
        raise NotFound("the municipality")
    return code


def _public(row: object) -> JSONResponse:
    public = MunicipalityPublic.from_row(row)
    return JSONResponse(public.model_dump(mode="json"), headers={"ETag": etag(public.version)})


@router.get("/municipalities", response_model=MunicipalityList)
async def municipalities(operator: Operator, db: Db, limit: Limit = DEFAULT_LIMIT,
                         cursor: Cursor = None) -> MunicipalityList:
    """Every municipality on the platform with its tenant configuration, in code order."""
    after = BY_CODE.decode(cursor)
    async with db.platform_transaction() as session:
        rows = await views.municipality_list(session, limit=limit + 1,
                                         after_code=after[0] if after else None)
    shown, next_cursor = BY_CODE.page(rows, limit, key=lambda r: (r.code,))
    return MunicipalityList(items=[MunicipalityPublic.from_row(r) for r in shown],
                            next=next_cursor)


@router.post("/municipalities", status_code=201, response_model=MunicipalityPublic,
             responses={409: {"description": "the municipality exists already"}})
async def add_municipality(operator: Operator, body: MunicipalityCreate, pipeline: Pipeline,
                           fingerprint_key: FingerprintKey,
                           idempotency_key: IdempotencyKey = None) -> Response:
    """A municipality joins the platform, optionally with its first tenant admin."""
    payload = body.model_dump(mode="json", exclude={"admin"})
    admin = None
    if body.admin is not None:
        admin = (body.admin.login, body.admin.initial_password)
        payload["admin"] = [admin[0], secret_proof(fingerprint_key, admin[1])]
    command = c.AddMunicipality(details=body.details(), admin=admin)
    return await pipeline.run(command, handlers.add_municipality,
                              acting=acting_as(operator, body.code), key=idempotency_key,
                              fingerprint=("platform.municipalities.create", payload))


@router.get("/municipalities/{code}", response_model=MunicipalityPublic)
async def municipality(operator: Operator, code: Code, db: Db) -> JSONResponse:
    async with db.platform_transaction() as session:
        row = await views.municipality(session, _known(code))
    if row is None:
        raise NotFound("the municipality")
    return _public(row)


@router.put("/municipalities/{code}", response_model=MunicipalityPublic)
async def configure_municipality(operator: Operator, code: Code, body: MunicipalityUpdate,
                                 pipeline: Pipeline, if_match: IfMatch = None) -> Response:
    """Replace the name and tenant configuration (If-Match guards against lost updates)."""
    command = c.ConfigureMunicipality(details=body.details(),
                                      expected_version=expected_version(if_match))
    return await pipeline.update(command, handlers.configure_municipality,
                                 acting=acting_as(operator, _known(code)))


@router.get("/audit", response_model=AuditPage)
async def platform_audit(operator: Operator, db: Db,
                         limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> AuditPage:
    """The platform's own trail: operator logins, key rotations (newest first)."""
    before = AUDIT_BY_ID.decode(cursor)
    async with PlatformUnit(db) as work:
        rows, last = await audit_entries(work.session, limit=limit,
                                         before_id=before[0] if before else None)
    return AuditPage(items=[AuditEntry.from_row(r) for r in rows],
                     next=AUDIT_BY_ID.encode(last) if last is not None else None)


@router.get("/audit/verify", response_model=ChainVerdict)
async def verify_platform_audit(operator: Operator, db: Db) -> ChainVerdict:
    async with PlatformUnit(db) as work:
        check = await verify_chain(work.session)
    return ChainVerdict(entries=check.entries, valid=check.valid,
                        first_broken_seq=check.first_broken_seq)
