"""The platform operator's API: municipalities (tenants) and the platform's own audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response

from kyodo_common.audit import verify_chain
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_common.web import IdempotencyKey
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.adapters.views import audit_entries
from kyodo_identity.api.etag import etag, expected_version
from kyodo_identity.api.idempotent import Idempotent, secret_proof
from kyodo_identity.api.schemas.audit import AuditEntry, AuditPage, ChainVerdict
from kyodo_identity.api.schemas.municipalities import (
    MunicipalityCreate,
    MunicipalityList,
    MunicipalityPublic,
    MunicipalityUpdate,
)
from kyodo_identity.service_layer.municipalities import (
    create_municipality,
    get_municipality,
    list_municipalities,
    update_municipality,
)

from .deps import Db, FingerprintKey, IfMatch, Operator

router = APIRouter(prefix="/v1/platform", tags=["platform"])
SOURCE = "kyodo/identity"
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
        rows = await list_municipalities(session, limit=limit + 1,
                                         after_code=after[0] if after else None)
    shown, next_cursor = BY_CODE.page(rows, limit, key=lambda r: (r.code,))
    return MunicipalityList(items=[MunicipalityPublic.from_row(r) for r in shown],
                            next=next_cursor)


@router.post("/municipalities", status_code=201, response_model=MunicipalityPublic,
             responses={409: {"description": "the municipality exists already"}})
async def add_municipality(operator: Operator, body: MunicipalityCreate, db: Db,
                           fingerprint_key: FingerprintKey,
                           idempotency_key: IdempotencyKey = None) -> Response:
    """A municipality joins the platform, optionally with its first tenant admin."""
    payload = body.model_dump(mode="json", exclude={"admin"})
    admin = None
    if body.admin is not None:
        admin = (body.admin.login, body.admin.initial_password)
        payload["admin"] = [admin[0], secret_proof(fingerprint_key, admin[1])]
    request_key = Idempotent(idempotency_key, "platform.municipalities.create", payload,
                             caller=operator)
    async with UnitOfWork(db, source=SOURCE, municipality_code=body.code) as uow:
        previous = await request_key.replay(uow.session, body.code)
        if previous is not None:
            return previous
        row = await create_municipality(uow=uow, actor=operator, details=body.details(),
                                        admin=admin, now=datetime.now(UTC))
        public = MunicipalityPublic.from_row(row).model_dump(mode="json")
        await request_key.remember(uow.session, status=201, body=public)
        await uow.commit()
    return JSONResponse(public, status_code=201, headers={
        "Location": f"/v1/platform/municipalities/{body.code}", "ETag": etag(row.version)})


@router.get("/municipalities/{code}", response_model=MunicipalityPublic)
async def municipality(operator: Operator, code: Code, db: Db) -> JSONResponse:
    async with db.platform_transaction() as session:
        row = await get_municipality(session, _known(code))
    if row is None:
        raise NotFound("the municipality")
    return _public(row)


@router.put("/municipalities/{code}", response_model=MunicipalityPublic)
async def configure_municipality(operator: Operator, code: Code, body: MunicipalityUpdate,
                                 db: Db, if_match: IfMatch = None) -> JSONResponse:
    """Replace the name and tenant configuration (If-Match guards against lost updates)."""
    async with UnitOfWork(db, source=SOURCE, municipality_code=_known(code)) as uow:
        row = await update_municipality(uow=uow, actor=operator, details=body.details(),
                                        expected_version=expected_version(if_match),
                                        now=datetime.now(UTC))
        await uow.commit()
    return _public(row)


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
