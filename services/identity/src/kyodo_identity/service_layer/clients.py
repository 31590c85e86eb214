"""Partner API clients: OAuth2 client credentials, secret rotation with overlap, revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kyodo_common.errors import Conflict, NotFound
from kyodo_identity.adapters.store import IdentityStore, store_of
from kyodo_identity.domain.client_credentials import (
    allowed_scopes,
    new_client_id,
    new_client_secret,
)
from kyodo_identity.service_layer.audit_trail import anonymous
from kyodo_identity.service_layer.credentials import LoginRefused
from kyodo_identity.service_layer.passwords import PasswordHashing, hasher

INVALID_CLIENT = "unknown client or wrong secret"


@dataclass(frozen=True)
class IssuedSecret:
    """A secret, shown to its owner once; only its argon2 hash is kept."""

    client_id: str
    secret: str
    previous_valid_until: datetime | None


async def _add_secret(store: IdentityStore, client_id: str, now: datetime) -> str:
    secret = new_client_secret()
    await store.add_client_secret(client_id=client_id, secret_hash=hasher.hash(secret), now=now)
    return secret


async def create_client(store: IdentityStore, *, created_by: str, name: str,
                        scopes: list[str], now: datetime) -> IssuedSecret:
    scopes = allowed_scopes(scopes)
    client_id = new_client_id(store.work.municipality_code)
    await store.add_client(client_id=client_id, name=name, scopes=scopes, now=now,
                           created_by=created_by)
    return IssuedSecret(client_id, await _add_secret(store, client_id, now), None)


async def _active_client(store: IdentityStore, client_id: str) -> Any:
    row = await store.client_row(client_id, lock=True)
    if row is None:
        raise NotFound("the client")
    if row.revoked_at is not None:
        raise Conflict("the client is revoked")
    return row


async def rotate_secret(store: IdentityStore, *, client_id: str, overlap: timedelta,
                        now: datetime) -> IssuedSecret:
    """The new secret is valid at once; the current ones until the overlap ends (no later
    than any end they already had), so the partner can switch without downtime."""
    await _active_client(store, client_id)
    previous_until = now + overlap
    await store.end_secrets(client_id, until=previous_until, now=now)
    return IssuedSecret(client_id, await _add_secret(store, client_id, now), previous_until)


async def revoke_client(store: IdentityStore, *, client_id: str, now: datetime) -> None:
    await _active_client(store, client_id)
    await store.revoke_client(client_id, now)
    await store.end_secrets(client_id, until=now, now=now)


async def authenticate_client(*, uow: Any, client_id: str, client_secret: str,
                              hashing: PasswordHashing, now: datetime) -> Any:
    """The client, when one of its valid secrets matches; failures are audited."""
    store = store_of(uow)
    row = await store.client_row(client_id)
    hashes: list[str] = []
    if row is not None and row.revoked_at is None:
        hashes = await store.valid_secret_hashes(client_id, now)
    if not hashes:
        await hashing.verify(None, client_secret)
    else:
        for secret_hash in hashes:
            if await hashing.verify(secret_hash, client_secret):
                return row
    if row is None:
        raise LoginRefused(INVALID_CLIENT)
    await store.record_change(actor=anonymous(uow.municipality_code),
                              action="client.authentication_failed", subject_type="client",
                              subject_id=client_id)
    raise LoginRefused(INVALID_CLIENT, keep=True)
