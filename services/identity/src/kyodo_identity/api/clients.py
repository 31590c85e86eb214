"""Partner API clients of a municipality: created, rotated and revoked by its tenant admin."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from kyodo_common.assertion import Acting
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import IdempotencyKey, MunicipalityCode, acting_for
from kyodo_identity.adapters import views
from kyodo_identity.api.schemas.clients import (
    ClientCreate,
    ClientCreated,
    ClientList,
    ClientPublic,
    SecretRotated,
    SecretRotation,
)
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers

from .deps import Db, Pipeline, Settings

router = APIRouter(prefix="/v1/municipalities/{code}/identity/clients", tags=["clients"])
OLDEST_FIRST = Keyset("identity.clients", (datetime, str))
Admin = Annotated[Acting, Depends(acting_for("clients:manage"))]


def _not_stored(response: Response) -> Response:
    """A secret's answer: never cached (the stored copy has no secret: deps.SecretlessKeys)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("", status_code=201, response_model=ClientCreated)
async def add_client(code: MunicipalityCode, body: ClientCreate, admin: Admin,
                     pipeline: Pipeline, idempotency_key: IdempotencyKey = None) -> Response:
    """A partner system's client_id and secret; the secret is shown here, and never again."""
    command = c.RegisterClient(actor=admin.principal, name=body.name, scopes=body.scopes)
    return _not_stored(await pipeline.run(
        command, handlers.register_client, acting=admin, key=idempotency_key,
        fingerprint=("identity.clients.create", body.model_dump(mode="json"))))


@router.get("", response_model=ClientList)
async def clients(code: MunicipalityCode, admin: Admin, db: Db, limit: Limit = DEFAULT_LIMIT,
                  cursor: Cursor = None) -> ClientList:
    """The municipality's API clients, oldest first."""
    async with db.tenant_transaction(code) as session:
        rows = await views.client_list(session, limit=limit + 1, after=OLDEST_FIRST.decode(cursor))
        rows, next_cursor = OLDEST_FIRST.page(rows, limit,
                                              key=lambda r: (r.created_at, r.client_id))
        items = []
        for row in rows:
            found = await views.client(session, row.client_id)
            assert found is not None
            items.append(ClientPublic.from_rows(*found))
    return ClientList(items=items, next=next_cursor)


@router.get("/{client_id}", response_model=ClientPublic)
async def client(code: MunicipalityCode, client_id: str, admin: Admin,
                 db: Db) -> ClientPublic:
    async with db.tenant_transaction(code) as session:
        found = await views.client(session, client_id)
    if found is None:
        raise NotFound("the client")
    return ClientPublic.from_rows(*found)


@router.post("/{client_id}/rotate-secret", status_code=201, response_model=SecretRotated,
             responses={409: {"description": "the client is revoked"}})
async def rotate_client_secret(code: MunicipalityCode, client_id: str, admin: Admin,
                               pipeline: Pipeline, settings: Settings,
                               body: SecretRotation | None = None,
                               idempotency_key: IdempotencyKey = None) -> Response:
    """A new secret, valid at once; the current ones stay valid for the overlap."""
    body = body or SecretRotation()
    overlap = body.overlap_seconds
    if overlap is None:
        overlap = settings.client_secret_overlap_seconds
    command = c.RotateClientSecret(client_id=client_id, overlap_seconds=overlap)
    return _not_stored(await pipeline.run(
        command, handlers.rotate_client_secret, acting=admin, key=idempotency_key,
        fingerprint=("identity.clients.rotate",
                     {"client_id": client_id, "overlap_seconds": overlap})))


@router.post("/{client_id}/revoke", response_model=ClientPublic)
async def revoke(code: MunicipalityCode, client_id: str, admin: Admin, pipeline: Pipeline,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """No new tokens for this client; tokens already issued expire within their lifetime."""
    return await pipeline.run(c.RevokeClient(client_id=client_id), handlers.revoke_client,
                              acting=admin, key=idempotency_key,
                              fingerprint=("identity.clients.revoke", {"client_id": client_id}))
