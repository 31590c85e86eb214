"""Support grants of a stricken municipality: by its tenant admin, or a platform operator."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from kyodo_common.assertion import Acting
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import IdempotencyKey, MunicipalityCode
from kyodo_identity.adapters import views
from kyodo_identity.api.schemas.grants import GrantCreate, GrantPage, GrantPublic
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers
from kyodo_identity.service_layer.support_grants import GranteeRef, NewGrant

from .deps import Db, Pipeline, acting_or_operator

router = APIRouter(prefix="/v1/municipalities/{code}/identity/support-grants",
                   tags=["support grants"])
Grantor = Annotated[Acting, Depends(acting_or_operator("grants:manage"))]


NEWEST_FIRST = Keyset("identity.support-grants", (datetime, uuid.UUID))


@router.post("", status_code=201, response_model=GrantPublic)
async def grant(code: MunicipalityCode, body: GrantCreate, grantor: Grantor, pipeline: Pipeline,
                idempotency_key: IdempotencyKey = None) -> Response:
    """Lend named staff of another municipality scoped rights here, for up to 90 days."""
    command = c.GrantSupport(
        actor=grantor.principal,
        grantee=GranteeRef(municipality_code=body.grantee.municipality_code,
                           login=body.grantee.login, staff_id=body.grantee.staff_id),
        grant=NewGrant(scopes=body.scopes, valid_from=body.valid_from,
                       valid_until=body.valid_until, disaster_ref=body.disaster_ref,
                       note=body.note))
    return await pipeline.run(command, handlers.grant_support, acting=grantor,
                              key=idempotency_key,
                              fingerprint=("identity.grants.create",
                                           body.model_dump(mode="json")))


@router.get("", response_model=GrantPage)
async def grants(code: MunicipalityCode, grantor: Grantor, db: Db,
                 status: Literal["all", "active"] = "all",
                 limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> GrantPage:
    """The municipality's grants, newest first; ``status=active`` for those in force now."""
    now = datetime.now(UTC)
    async with db.tenant_transaction(code) as session:
        rows, last = await views.grant_list(session, active_at=now if status == "active" else None,
                                       limit=limit, after=NEWEST_FIRST.decode(cursor))
    return GrantPage(items=[GrantPublic.from_row(r, now=now) for r in rows],
                     next=NEWEST_FIRST.encode(*last) if last is not None else None)


@router.get("/{grant_id}", response_model=GrantPublic)
async def one_grant(code: MunicipalityCode, grant_id: uuid.UUID, grantor: Grantor,
                    db: Db) -> GrantPublic:
    async with db.tenant_transaction(code) as session:
        row = await views.grant(session, grant_id)
    if row is None:
        raise NotFound("the support grant")
    return GrantPublic.from_row(row, now=datetime.now(UTC))


@router.post("/{grant_id}/revoke", response_model=GrantPublic)
async def revoke_support_grant(code: MunicipalityCode, grant_id: uuid.UUID, grantor: Grantor,
                               pipeline: Pipeline,
                               idempotency_key: IdempotencyKey = None) -> Response:
    """The grant ends now; the gateway stops honouring it within a minute."""
    command = c.RevokeSupportGrant(actor=grantor.principal, grant_id=grant_id)
    return await pipeline.run(command, handlers.revoke_support_grant, acting=grantor,
                              key=idempotency_key,
                              fingerprint=("identity.grants.revoke", {"id": str(grant_id)}))
