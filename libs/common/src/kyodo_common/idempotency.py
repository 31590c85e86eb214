"""Idempotency-Key for POSTs: the key is claimed in the same transaction as the change.

A repeated request with the same key gets the first response again and changes nothing; the
same key with a different body is refused. Two concurrent requests with one key serialize on
the key's unique index, so only one of them does the work.

A key belongs to its caller: the acting municipality (the row's tenant), the caller's home
municipality and subject. Another clerk who sends the same key, by chance or on purpose, has
their own request processed and never receives the first caller's answer (a certificate, a
resident's record).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.auth import Principal
from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import StagedWrites, to_json
from kyodo_common.errors import Problem

IDEMPOTENCY_HEADER = "Idempotency-Key"


def fingerprint(route: str, payload: Any) -> str:
    canonical = json.dumps([route, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    headers: dict[str, str] | None = None  # Location and ETag, where the table keeps them


def caller_of(principal: Principal) -> str:
    """Whose key it is, beside the acting municipality: home municipality and subject."""
    return f"{principal.home_municipality}:{principal.subject}"


def validate_key(key: str | None) -> str:
    if key is None or not (1 <= len(key) <= 200) or not key.isprintable():
        raise Problem(400, "Idempotency key required",
                      detail=f"every POST needs an {IDEMPOTENCY_HEADER} header (1-200 characters)",
                      kind="idempotency-key-required",
                      invalid_params=[{"name": IDEMPOTENCY_HEADER, "reason": "required"}])
    return key


_CLAIM = ("INSERT INTO idempotency_keys (municipality_code, caller, key, fingerprint) "
          "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key")
# The municipality is named although row-level security filters by it too: the statement is
# served by the (municipality_code, caller, key) primary key whatever the policy's form.
_STORED = ("SELECT fingerprint, status, body FROM idempotency_keys "
           "WHERE municipality_code = $1 AND caller = $2 AND key = $3")
_REMEMBER = ("UPDATE idempotency_keys SET status = $4, body = $5::jsonb "
             "WHERE municipality_code = $1 AND caller = $2 AND key = $3")


def reused() -> Problem:
    return Problem(422, "Idempotency key reused",
                   detail="this Idempotency-Key was used for a different request",
                   kind="idempotency-key-reused",
                   invalid_params=[{"name": IDEMPOTENCY_HEADER, "reason": "reused"}])


async def answered(session: AsyncSession, *, municipality_code: str, caller: str, key: str,
                   request_fingerprint: str) -> StoredResponse | None:
    """The response already given for this caller's key, without claiming it (None if there
    is none yet); the same key with another request is refused."""
    row = await (await raw_connection(session)).fetchrow(_STORED, municipality_code, caller,
                                                         key)
    if row is None or row["body"] is None:
        return None
    if row["fingerprint"] != request_fingerprint:
        raise reused()
    return _stored(row)


def _stored(row: Any) -> StoredResponse:
    body = row["body"]
    return StoredResponse(status=row["status"],
                          body=json.loads(body) if isinstance(body, str) else body)


async def claim(session: AsyncSession, *, municipality_code: str, caller: str, key: str,
                request_fingerprint: str) -> StoredResponse | None:
    """Claim the caller's key for this transaction; or return the response already given to
    this caller for it.

    Raw asyncpg on the session's own connection: this runs on every POST, and SQLAlchemy's
    statement machinery would cost more than the statement itself."""
    connection = await raw_connection(session)
    if await connection.fetchval(_CLAIM, municipality_code, caller, key, request_fingerprint):
        return None
    row = await connection.fetchrow(_STORED, municipality_code, caller, key)
    if row["fingerprint"] != request_fingerprint:
        raise reused()
    return _stored(row)


async def remember(session: AsyncSession, *, municipality_code: str, caller: str, key: str,
                   status: int, body: Any) -> None:
    connection = await raw_connection(session)
    await connection.execute(_REMEMBER, municipality_code, caller, key, status, to_json(body))


def stage_response(staged: StagedWrites, *, municipality_code: str, caller: str, key: str,
                   status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    """``remember``, written with the unit of work's other rows at commit; ``headers`` (the
    Location and ETag a repeat gets again) need the column of ``add_reply_headers``."""
    row = {"municipality_code": municipality_code, "caller": caller, "key": key,
           "status": status, "body": body}
    if headers is not None:
        row["headers"] = headers
    staged.update("idempotency_keys", [row], key=("municipality_code", "caller", "key"))


_STORED_WITH_HEADERS = ("SELECT fingerprint, status, body, headers FROM idempotency_keys "
                        "WHERE municipality_code = $1 AND caller = $2 AND key = $3")


async def claim_with_headers(session: AsyncSession, *, municipality_code: str, caller: str,
                             key: str, request_fingerprint: str) -> StoredResponse | None:
    """``claim``, the stored answer with its headers (kyodo_common.write_pipeline)."""
    return await claim_on(await raw_connection(session), municipality_code=municipality_code,
                          caller=caller, key=key, request_fingerprint=request_fingerprint)


async def claim_on(connection: asyncpg.Connection, *, municipality_code: str, caller: str,
                   key: str, request_fingerprint: str) -> StoredResponse | None:
    """``claim_with_headers`` on the transaction's asyncpg connection as the unit of work
    holds it (no trip through the session to find it again)."""
    if await connection.fetchval(_CLAIM, municipality_code, caller, key, request_fingerprint):
        return None
    row = await connection.fetchrow(_STORED_WITH_HEADERS, municipality_code, caller, key)
    if row["fingerprint"] != request_fingerprint:
        raise reused()
    stored = _stored(row)
    headers = row["headers"]
    return StoredResponse(status=stored.status, body=stored.body,
                          headers=json.loads(headers) if isinstance(headers, str) else headers)
