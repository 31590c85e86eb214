"""Partner API clients: OAuth2 client credentials, secret rotation with overlap, revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.assertion import Acting
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, NotFound
from kyodo_identity.adapters.tables import api_clients, client_secrets
from kyodo_identity.domain.client_credentials import (
    allowed_scopes,
    new_client_id,
    new_client_secret,
)
from kyodo_identity.service_layer.audit_trail import anonymous, record_change
from kyodo_identity.service_layer.credentials import LoginRefused
from kyodo_identity.service_layer.passwords import PasswordHashing, hasher

INVALID_CLIENT = "unknown client or wrong secret"


@dataclass(frozen=True)
class IssuedSecret:
    """A secret, shown to its owner once; only its argon2 hash is kept."""

    client_id: str
    secret: str
    previous_valid_until: datetime | None


def _secret_still_valid(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(client_secrets.c.expires_at.is_(None), client_secrets.c.expires_at > now)


async def _add_secret(session: AsyncSession, *, municipality_code: str, client_id: str,
                      now: datetime) -> str:
    secret = new_client_secret()
    await session.execute(sa.insert(client_secrets).values(
        id=uuid.uuid4(), municipality_code=municipality_code, client_id=client_id,
        secret_hash=hasher.hash(secret), created_at=now))
    return secret


async def create_client(*, uow: UnitOfWork, actor: Acting, name: str, scopes: list[str],
                        now: datetime) -> tuple[Any, IssuedSecret]:
    scopes = allowed_scopes(scopes)
    client_id = new_client_id(uow.municipality_code)
    row = (await uow.session.execute(sa.insert(api_clients).values(
        client_id=client_id, municipality_code=uow.municipality_code, name=name,
        scopes=scopes, created_at=now, created_by=actor.principal.subject,
    ).returning(*api_clients.c))).one()
    secret = await _add_secret(uow.session, municipality_code=uow.municipality_code,
                               client_id=client_id, now=now)
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="client.created",
                        subject_type="client", subject_id=client_id, fields=["name", "scopes"],
                        grant_id=actor.grant_id)
    return row, IssuedSecret(client_id, secret, None)


async def _active_client(session: AsyncSession, client_id: str) -> Any:
    row = (await session.execute(sa.select(api_clients).where(
        api_clients.c.client_id == client_id).with_for_update())).first()
    if row is None:
        raise NotFound("the client")
    if row.revoked_at is not None:
        raise Conflict("the client is revoked")
    return row


async def rotate_secret(*, uow: UnitOfWork, actor: Acting, client_id: str,
                        overlap: timedelta, now: datetime) -> IssuedSecret:
    """The new secret is valid at once; the current ones until the overlap ends (no later
    than any end they already had), so the partner can switch without downtime."""
    await _active_client(uow.session, client_id)
    previous_until = now + overlap
    await uow.session.execute(sa.update(client_secrets).where(
        client_secrets.c.client_id == client_id, _secret_still_valid(now),
    ).values(expires_at=sa.func.least(
        sa.func.coalesce(client_secrets.c.expires_at, previous_until), previous_until)))
    secret = await _add_secret(uow.session, municipality_code=uow.municipality_code,
                               client_id=client_id, now=now)
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="client.secret_rotated",
                        subject_type="client", subject_id=client_id, fields=["secret"],
                        grant_id=actor.grant_id)
    return IssuedSecret(client_id, secret, previous_until)


async def revoke_client(*, uow: UnitOfWork, actor: Acting, client_id: str,
                        now: datetime) -> Any:
    await _active_client(uow.session, client_id)
    row = (await uow.session.execute(sa.update(api_clients).where(
        api_clients.c.client_id == client_id).values(revoked_at=now)
        .returning(*api_clients.c))).one()
    await uow.session.execute(sa.update(client_secrets).where(
        client_secrets.c.client_id == client_id, _secret_still_valid(now),
    ).values(expires_at=now))
    await record_change(uow.session, actor=actor.principal,
                        municipality_code=uow.municipality_code, action="client.revoked",
                        subject_type="client", subject_id=client_id, fields=["revoked_at"],
                        grant_id=actor.grant_id)
    return row


async def get_client(session: AsyncSession, client_id: str) -> tuple[Any, list[Any]] | None:
    row = (await session.execute(sa.select(api_clients).where(
        api_clients.c.client_id == client_id))).first()
    if row is None:
        return None
    secrets = (await session.execute(
        sa.select(client_secrets.c.id, client_secrets.c.created_at, client_secrets.c.expires_at)
        .where(client_secrets.c.client_id == client_id)
        .order_by(client_secrets.c.created_at))).all()
    return row, list(secrets)


async def list_clients(session: AsyncSession, *, limit: int,
                       after: tuple[datetime, str] | None = None) -> list[Any]:
    """Oldest first, up to ``limit`` after the (created_at, client_id) ``after``."""
    c = api_clients.c
    query = sa.select(api_clients).order_by(c.created_at, c.client_id).limit(limit)
    if after is not None:
        query = query.where(sa.tuple_(c.created_at, c.client_id)
                            > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    return list((await session.execute(query)).all())


async def authenticate_client(*, uow: UnitOfWork, client_id: str, client_secret: str,
                              hashing: PasswordHashing, now: datetime) -> Any:
    """The client, when one of its valid secrets matches; failures are audited."""
    row = (await uow.session.execute(sa.select(api_clients).where(
        api_clients.c.client_id == client_id))).first()
    hashes: list[str] = []
    if row is not None and row.revoked_at is None:
        hashes = list((await uow.session.execute(
            sa.select(client_secrets.c.secret_hash).where(
                client_secrets.c.client_id == client_id, _secret_still_valid(now))
            .order_by(client_secrets.c.created_at.desc()))).scalars())
    if not hashes:
        await hashing.verify(None, client_secret)
    else:
        for secret_hash in hashes:
            if await hashing.verify(secret_hash, client_secret):
                return row
    if row is None:
        raise LoginRefused(INVALID_CLIENT)
    await record_change(uow.session, actor=anonymous(uow.municipality_code),
                        municipality_code=uow.municipality_code,
                        action="client.authentication_failed", subject_type="client",
                        subject_id=client_id)
    raise LoginRefused(INVALID_CLIENT, keep=True)
