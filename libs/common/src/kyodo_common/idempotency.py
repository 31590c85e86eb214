"""Idempotency-Key for POSTs: the key is claimed in the same transaction as the change.

A repeated request with the same key gets the first response again and changes nothing; the
same key with a different body is refused. Two concurrent requests with one key serialize on
the key's unique index, so only one of them does the work.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.errors import Problem

IDEMPOTENCY_HEADER = "Idempotency-Key"

idempotency_keys = sa.table(
    "idempotency_keys",
    sa.column("municipality_code", sa.String),
    sa.column("key", sa.String),
    sa.column("fingerprint", sa.String),
    sa.column("status", sa.Integer),
    sa.column("body", JSONB),
)


def fingerprint(route: str, payload: Any) -> str:
    canonical = json.dumps([route, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


def validate_key(key: str | None) -> str:
    if key is None or not (1 <= len(key) <= 200) or not key.isprintable():
        raise Problem(400, "Idempotency key required",
                      detail=f"every POST needs an {IDEMPOTENCY_HEADER} header (1-200 characters)",
                      kind="idempotency-key-required",
                      invalid_params=[{"name": IDEMPOTENCY_HEADER, "reason": "required"}])
    return key


async def claim(session: AsyncSession, *, municipality_code: str, key: str,
                request_fingerprint: str) -> StoredResponse | None:
    """Claim the key for this transaction; or return the response already given for it."""
    claimed = await session.execute(
        insert(idempotency_keys)
        .values(municipality_code=municipality_code, key=key, fingerprint=request_fingerprint)
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    if claimed.first() is not None:
        return None
    row = (await session.execute(
        sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.status,
                  idempotency_keys.c.body)
        .where(idempotency_keys.c.key == key)
    )).one()
    if row.fingerprint != request_fingerprint:
        raise Problem(422, "Idempotency key reused",
                      detail="this Idempotency-Key was used for a different request",
                      kind="idempotency-key-reused",
                      invalid_params=[{"name": IDEMPOTENCY_HEADER, "reason": "reused"}])
    return StoredResponse(status=row.status, body=row.body)


async def remember(session: AsyncSession, *, key: str, status: int, body: Any) -> None:
    await session.execute(
        sa.update(idempotency_keys)
        .where(idempotency_keys.c.key == key)
        .values(status=status, body=body)
    )
