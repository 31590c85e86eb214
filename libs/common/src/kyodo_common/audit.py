"""The access log: who read or changed whose data, append-only and hash-chained per tenant.

Requests only INSERT a row (cheap, in the transaction of the effect). The worker's sealer
then chains the rows of each municipality in order: ``hash = sha256(prev_hash + row)``. The app
role may not UPDATE or DELETE the log, and a trigger refuses any change to a sealed row, so a
tampered row is found by re-computing the chain (``verify_chain``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.auth import Principal
from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import StagedWrites
from kyodo_common.telemetry import current_trace_id

if TYPE_CHECKING:
    from kyodo_common.assertion import Acting

GENESIS = "0" * 64
# The terminal or client an access came from (DOMAIN §3: every operation is logged with its
# terminal/client): set once per request from the verified caller (kyodo_common.web).
TERMINAL_HEADER = "X-Kyodo-Terminal"
current_terminal: ContextVar[str | None] = ContextVar("kyodo_terminal", default=None)
AT_REQUEST_START = (current_terminal, None)

access_log = sa.table(
    "access_log",
    sa.column("municipality_code", sa.String),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("actor_home", sa.String),
    sa.column("acting_municipality", sa.String),
    sa.column("purpose", sa.String),
    sa.column("action", sa.String),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.String),
    sa.column("fields", ARRAY(sa.Text)),
    sa.column("trace_id", sa.String),
    sa.column("grant_id", sa.String),
    sa.column("terminal", sa.String),
)


async def record_access(
    session: AsyncSession,
    *,
    principal: Principal,
    acting_municipality: str,
    action: str,
    subject_type: str,
    subject_id: str,
    fields: Sequence[str],
    purpose: str | None,
    grant_id: str | None = None,
) -> None:
    """Append one entry in the caller's transaction (for writes: the transaction of the change)."""
    await record_accesses(session, principal=principal, acting_municipality=acting_municipality,
                          action=action, subject_type=subject_type, subject_ids=[subject_id],
                          fields=fields, purpose=purpose, grant_id=grant_id)


async def record_accesses(
    session: AsyncSession,
    *,
    principal: Principal,
    acting_municipality: str,
    action: str,
    subject_type: str,
    subject_ids: Sequence[str],
    fields: Sequence[str],
    purpose: str | None,
    grant_id: str | None = None,
    occurred_at: datetime | None = None,
) -> None:
    """One entry per subject (a search's hits), written in one statement on the session's own
    asyncpg connection, in its transaction (no SQLAlchemy statement: on every read of personal
    data it cost more CPU than PostgreSQL's own work for the row)."""
    if not subject_ids:
        return
    connection = await raw_connection(session)
    await connection.execute(
        _INSERT_ACCESSES, acting_municipality, occurred_at or datetime.now(UTC),
        principal.subject, principal.home_municipality, purpose, action, subject_type,
        sorted(fields), current_trace_id(), grant_id, current_terminal.get(), list(subject_ids))


# One row per subject, the other columns shared: the subjects as one array parameter.
_INSERT_ACCESSES = (
    "INSERT INTO access_log (municipality_code, acting_municipality, occurred_at, actor, "
    "actor_home, purpose, action, subject_type, fields, trace_id, grant_id, terminal, "
    "subject_id) SELECT $1, $1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, subject "
    "FROM unnest($12::text[]) AS subject")


async def record_acting(session: AsyncSession, acting: Acting, *, action: str,
                        subject_type: str, subject_ids: Sequence[str],
                        fields: Sequence[str] = (), purpose: str | None = None) -> None:
    """``record_accesses`` for the verified caller of a request (who, for whom, under which
    grant): the entries of a read, or of a write outside the write pipeline."""
    await record_accesses(session, principal=acting.principal,
                          acting_municipality=acting.municipality, action=action,
                          subject_type=subject_type, subject_ids=subject_ids, fields=fields,
                          purpose=purpose, grant_id=acting.grant_id)


def stage_accesses(staged: StagedWrites, **entry: Any) -> None:
    """``record_accesses``, written with a unit of work's other rows at its commit."""
    staged.insert("access_log", access_rows(**entry))


def access_rows(
    *,
    principal: Principal,
    acting_municipality: str,
    action: str,
    subject_type: str,
    subject_ids: Sequence[str],
    fields: Sequence[str],
    purpose: str | None,
    grant_id: str | None = None,
    occurred_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The entries, one per subject; ``occurred_at`` when it happened elsewhere, earlier (an
    access another service reports by its event), else now."""
    common = {
        "municipality_code": acting_municipality,
        "occurred_at": occurred_at or datetime.now(UTC),
        "actor": principal.subject, "actor_home": principal.home_municipality,
        "acting_municipality": acting_municipality, "purpose": purpose, "action": action,
        "subject_type": subject_type, "fields": sorted(fields),
        "trace_id": current_trace_id(), "grant_id": grant_id,
        "terminal": current_terminal.get(),
    }
    return [{**common, "subject_id": subject_id} for subject_id in subject_ids]


_CANONICAL_COLUMNS = ("id", "municipality_code", "occurred_at", "actor", "actor_home",
                      "acting_municipality", "purpose", "action", "subject_type", "subject_id",
                      "fields", "trace_id", "grant_id")
# Hashed only when set, so that the entries sealed before the column existed keep their hash.
_CANONICAL_IF_SET = ("terminal",)
SELECT_COLUMNS = ", ".join((*_CANONICAL_COLUMNS, *_CANONICAL_IF_SET))


def entry_hash(prev_hash: str, row: Any) -> str:
    values = {c: row[c] for c in _CANONICAL_COLUMNS}
    values.update({c: row[c] for c in _CANONICAL_IF_SET if row[c] is not None})
    values["occurred_at"] = values["occurred_at"].astimezone(UTC).isoformat()
    values["fields"] = list(values["fields"] or [])
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


_SEAL = ("UPDATE access_log AS a SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash "
         "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) "
         "AS s(id, seq, prev_hash, hash) WHERE a.id = s.id")


async def seal(conn: asyncpg.Connection, *, batch_size: int = 5000) -> int:
    """Chain the unsealed entries of every municipality; returns how many were sealed."""
    sealed = 0
    async with conn.transaction():
        tenants = await conn.fetch(
            "SELECT DISTINCT municipality_code FROM access_log WHERE hash IS NULL")
        for tenant in tenants:
            code = tenant["municipality_code"]
            last = await conn.fetchrow(
                "SELECT seq, hash FROM access_log WHERE municipality_code = $1 "
                "AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1", code)
            seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
            rows = await conn.fetch(
                f"SELECT {SELECT_COLUMNS} FROM access_log WHERE municipality_code = $1 "  # noqa: S608
                "AND hash IS NULL ORDER BY id LIMIT $2 FOR UPDATE", code, batch_size)
            ids, seqs, prevs, digests = [], [], [], []
            for row in rows:
                seq += 1
                digest = entry_hash(prev, row)
                ids.append(row["id"])
                seqs.append(seq)
                prevs.append(prev)
                digests.append(digest)
                prev = digest
            # One statement for the batch (a statement per entry cost the database as much
            # as the registration that wrote it).
            await conn.execute(_SEAL, ids, seqs, prevs, digests)
            sealed += len(ids)
    return sealed


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    valid: bool
    first_broken_seq: int | None


async def verify_chain(session: AsyncSession) -> ChainCheck:
    """Re-compute the tenant's chain (the session's tenant) from the first entry."""
    result = await session.execute(sa.text(
        f"SELECT {SELECT_COLUMNS}, seq, prev_hash, hash FROM access_log "  # noqa: S608
        "WHERE hash IS NOT NULL ORDER BY seq"))
    prev, count, expected_seq = GENESIS, 0, 1
    for row in result.mappings():
        count += 1
        if (row["seq"] != expected_seq or row["prev_hash"] != prev
                or entry_hash(prev, row) != row["hash"]):
            return ChainCheck(entries=count, valid=False, first_broken_seq=expected_seq)
        prev, expected_seq = row["hash"], expected_seq + 1
    return ChainCheck(entries=count, valid=True, first_broken_seq=None)
