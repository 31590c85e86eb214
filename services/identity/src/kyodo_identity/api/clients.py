"""Partner API clients of a municipality: created, rotated and revoked by its tenant admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from kyodo_common.assertion import Acting
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import IdempotencyKey, MunicipalityCode, acting_for
from kyodo_identity.api.idempotent import Idempotent
from kyodo_identity.api.schemas.clients import (
    ClientCreate,
    ClientCreated,
    ClientList,
    ClientPublic,
    SecretRotated,
    SecretRotation,
)
from kyodo_identity.service_layer.clients import (
    create_client,
    get_client,
    list_clients,
    revoke_client,
    rotate_secret,
)

from .deps import Db, Settings

router = APIRouter(prefix="/v1/municipalities/{code}/identity/clients", tags=["clients"])
SOURCE = "kyodo/identity"
OLDEST_FIRST = Keyset("identity.clients", (datetime, str))
Admin = Annotated[Acting, Depends(acting_for("clients:manage"))]


def _redacted(body: dict[str, object]) -> dict[str, object]:
    """What the idempotency record keeps: never the secret, which exists in clear only once."""
    return {**body, "client_secret": None}


async def _client_public(uow: UnitOfWork, client_id: str) -> ClientPublic:
    found = await get_client(uow.session, client_id)
    assert found is not None
    return ClientPublic.from_rows(*found)


@router.post("", status_code=201, response_model=ClientCreated)
async def add_client(code: MunicipalityCode, body: ClientCreate, admin: Admin, db: Db,
                     idempotency_key: IdempotencyKey = None) -> Response:
    """A partner system's client_id and secret; the secret is shown here, and never again."""
    request_key = Idempotent(idempotency_key, "identity.clients.create",
                             body.model_dump(mode="json"),
                             caller=admin.principal)
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        previous = await request_key.replay(uow.session, code)
        if previous is not None:
            return previous
        row, issued = await create_client(uow=uow, actor=admin, name=body.name,
                                          scopes=body.scopes, now=datetime.now(UTC))
        created = ClientCreated(client_id=row.client_id, client_secret=issued.secret,
                                client=await _client_public(uow, row.client_id))
        public = created.model_dump(mode="json")
        await request_key.remember(uow.session, status=201, body=_redacted(public))
        await uow.commit()
    return JSONResponse(public, status_code=201, headers={
        "Location": f"/v1/municipalities/{code}/identity/clients/{row.client_id}",
        "Cache-Control": "no-store"})


@router.get("", response_model=ClientList)
async def clients(code: MunicipalityCode, admin: Admin, db: Db, limit: Limit = DEFAULT_LIMIT,
                  cursor: Cursor = None) -> ClientList:
    """The municipality's API clients, oldest first."""
    async with db.tenant_transaction(code) as session:
        rows = await list_clients(session, limit=limit + 1, after=OLDEST_FIRST.decode(cursor))
        rows, next_cursor = OLDEST_FIRST.page(rows, limit,
                                              key=lambda r: (r.created_at, r.client_id))
        items = []
        for row in rows:
            found = await get_client(session, row.client_id)
            assert found is not None
            items.append(ClientPublic.from_rows(*found))
    return ClientList(items=items, next=next_cursor)


@router.get("/{client_id}", response_model=ClientPublic)
async def client(code: MunicipalityCode, client_id: str, admin: Admin,
                 db: Db) -> ClientPublic:
    async with db.tenant_transaction(code) as session:
        found = await get_client(session, client_id)
    if found is None:
        raise NotFound("the client")
    return ClientPublic.from_rows(*found)


@router.post("/{client_id}/rotate-secret", status_code=201, response_model=SecretRotated,
             responses={409: {"description": "the client is revoked"}})
async def rotate_client_secret(code: MunicipalityCode, client_id: str, admin: Admin, db: Db,
                 settings: Settings, body: SecretRotation | None = None,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """A new secret, valid at once; the current ones stay valid for the overlap."""
    body = body or SecretRotation()
    overlap = body.overlap_seconds
    if overlap is None:
        overlap = settings.client_secret_overlap_seconds
    request_key = Idempotent(idempotency_key, "identity.clients.rotate",
                             {"client_id": client_id, "overlap_seconds": overlap},
                             caller=admin.principal)
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        previous = await request_key.replay(uow.session, code)
        if previous is not None:
            return previous
        issued = await rotate_secret(uow=uow, actor=admin, client_id=client_id,
                                     overlap=timedelta(seconds=overlap), now=datetime.now(UTC))
        public = SecretRotated(client_id=client_id, client_secret=issued.secret,
                               previous_secrets_valid_until=issued.previous_valid_until,
                               ).model_dump(mode="json")
        await request_key.remember(uow.session, status=201, body=_redacted(public))
        await uow.commit()
    return JSONResponse(public, status_code=201, headers={"Cache-Control": "no-store"})


@router.post("/{client_id}/revoke", response_model=ClientPublic)
async def revoke(code: MunicipalityCode, client_id: str, admin: Admin, db: Db,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """No new tokens for this client; tokens already issued expire within their lifetime."""
    request_key = Idempotent(idempotency_key, "identity.clients.revoke",
                             {"client_id": client_id}, caller=admin.principal)
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        previous = await request_key.replay(uow.session, code)
        if previous is not None:
            return previous
        await revoke_client(uow=uow, actor=admin, client_id=client_id, now=datetime.now(UTC))
        public = (await _client_public(uow, client_id)).model_dump(mode="json")
        await request_key.remember(uow.session, status=200, body=public)
        await uow.commit()
    return JSONResponse(public)
