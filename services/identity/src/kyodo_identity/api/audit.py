"""A municipality's identity audit trail, for its auditor: entries and chain verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kyodo_common.assertion import Acting
from kyodo_common.audit import verify_chain
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import MunicipalityCode, acting_for
from kyodo_identity.adapters.views import audit_entries
from kyodo_identity.api.schemas.audit import AuditEntry, AuditPage, ChainVerdict

from .deps import Db

router = APIRouter(prefix="/v1/municipalities/{code}/identity/audit", tags=["audit"])
Auditor = Annotated[Acting, Depends(acting_for("audit:read"))]
BY_ID = Keyset("identity.audit", (int,))


@router.get("", response_model=AuditPage)
async def identity_audit_trail(code: MunicipalityCode, auditor: Auditor, db: Db,
                      limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> AuditPage:
    """Who changed which account, client or grant, newest first."""
    before = BY_ID.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows, last = await audit_entries(session, limit=limit,
                                         before_id=before[0] if before else None)
    return AuditPage(items=[AuditEntry.from_row(r) for r in rows],
                     next=BY_ID.encode(last) if last is not None else None)


@router.get("/verify", response_model=ChainVerdict)
async def verify(code: MunicipalityCode, auditor: Auditor, db: Db) -> ChainVerdict:
    """Re-computes the hash chain of the sealed entries: valid, or where it breaks."""
    async with db.tenant_transaction(code) as session:
        check = await verify_chain(session)
    return ChainVerdict(entries=check.entries, valid=check.valid,
                        first_broken_seq=check.first_broken_seq)
