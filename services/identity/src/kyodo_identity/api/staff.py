"""Staff administration by the municipality's tenant admin (its own staff only)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from kyodo_common.assertion import Acting
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import IdempotencyKey, MunicipalityCode, acting_for
from kyodo_identity.adapters import views
from kyodo_identity.api.etag import etag, expected_version
from kyodo_identity.api.schemas.staff import RolesUpdate, StaffCreate, StaffPage, StaffPublic
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers

from .deps import Db, FingerprintKey, IfMatch, Pipeline, Policy, secret_proof

router = APIRouter(prefix="/v1/municipalities/{code}/identity/staff", tags=["staff"])
BY_LOGIN = Keyset("identity.staff", (str,))
Admin = Annotated[Acting, Depends(acting_for("staff:manage"))]


def _public(row: object) -> JSONResponse:
    public = StaffPublic.from_row(row)
    return JSONResponse(public.model_dump(mode="json"), headers={"ETag": etag(public.version)})


@router.post("", status_code=201, response_model=StaffPublic,
             responses={409: {"description": "the login is taken in this municipality"}})
async def add_staff(code: MunicipalityCode, body: StaffCreate, admin: Admin,
                    pipeline: Pipeline, fingerprint_key: FingerprintKey,
                    idempotency_key: IdempotencyKey = None) -> Response:
    """A new staff account with an initial password (at least 12 characters) and roles."""
    command = c.CreateStaff(login=body.login, password=body.initial_password, roles=body.roles)
    return await pipeline.run(command, handlers.create_staff, acting=admin, key=idempotency_key,
                              fingerprint=("identity.staff.create", {
                                  "login": body.login, "roles": sorted(body.roles),
                                  "password": secret_proof(fingerprint_key,
                                                           body.initial_password)}))


@router.get("", response_model=StaffPage)
async def staff_list(code: MunicipalityCode, admin: Admin, db: Db,
                     limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> StaffPage:
    """The municipality's staff in login order; ``next`` fetches the next page."""
    after = BY_LOGIN.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows, last = await views.staff_list(session, limit=limit,
                                      after_login=after[0] if after else None)
    return StaffPage(items=[StaffPublic.from_row(r) for r in rows],
                     next=BY_LOGIN.encode(last) if last is not None else None)


@router.get("/{staff_id}", response_model=StaffPublic)
async def staff_member(code: MunicipalityCode, staff_id: UUID, admin: Admin,
                       db: Db) -> JSONResponse:
    async with db.tenant_transaction(code) as session:
        row = await views.staff_member(session, staff_id)
    if row is None:
        raise NotFound("the staff member")
    return _public(row)


@router.put("/{staff_id}/roles", response_model=StaffPublic, responses={409: {
    "description": "the staff member is disabled, or an admin took away their own role"}})
async def set_roles(code: MunicipalityCode, staff_id: UUID, body: RolesUpdate, admin: Admin,
                    pipeline: Pipeline, if_match: IfMatch = None) -> Response:
    """Replace the staff member's roles; their next token carries the new scopes."""
    command = c.ChangeRoles(actor=admin.principal, staff_id=staff_id, roles=body.roles,
                            expected_version=expected_version(if_match))
    return await pipeline.update(command, handlers.change_roles, acting=admin)


@router.post("/{staff_id}/disable", response_model=StaffPublic,
             responses={409: {"description": "the staff member is already disabled"}})
async def disable(code: MunicipalityCode, staff_id: UUID, admin: Admin, pipeline: Pipeline,
                  policy: Policy, idempotency_key: IdempotencyKey = None) -> Response:
    """The account can no longer log in; its refresh tokens are revoked, and the gateway
    refuses its access tokens within 2 seconds."""
    command = c.DisableStaff(actor=admin.principal, staff_id=staff_id,
                             token_lifetime_seconds=policy.lifetime_seconds)
    return await pipeline.run(command, handlers.disable_staff, acting=admin,
                              key=idempotency_key,
                              fingerprint=("identity.staff.disable", {"id": str(staff_id)}))
