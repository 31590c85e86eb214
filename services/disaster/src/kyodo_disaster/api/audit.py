"""The municipality's audit trail of disaster work: who did what, from which municipality,
under which support grant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kyodo_common.audit import verify_chain
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import MunicipalityCode
from kyodo_disaster.adapters import audit_trail
from kyodo_disaster.api.deps import Auditor, Db
from kyodo_disaster.api.schemas.ledger import AuditEntry, AuditPage

router = APIRouter(prefix="/v1/municipalities/{code}/disaster", tags=["audit"])
BY_ID = Keyset("disaster.audit", (int,))


@router.get("/audit", response_model=AuditPage)
async def disaster_audit_trail(code: MunicipalityCode, acting: Auditor, db: Db,
                      actor_home: Annotated[str | None, Query(pattern=r"^[0-9]{6}$")] = None,
                      actor: Annotated[str | None, Query(max_length=200)] = None,
                      grant_id: Annotated[str | None, Query(max_length=100)] = None,
                      subject_id: Annotated[str | None, Query(max_length=100)] = None,
                      action: Annotated[str | None, Query(max_length=100)] = None,
                      limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> AuditPage:
    """Entries in the order they were made; filter by the actor, their home municipality,
    the support grant, the subject or the action."""
    after = BY_ID.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows = await audit_trail.entries(session, equal={
            "actor_home": actor_home, "actor": actor, "grant_id": grant_id,
            "subject_id": subject_id, "action": action},
            after=after[0] if after else None, limit=limit + 1)
    shown, next_cursor = BY_ID.page(rows, limit, key=lambda r: (r.id,))
    entries = [AuditEntry(**{k: r._mapping[k] for k in AuditEntry.model_fields
                             if k not in ("sealed", "fields")},
                          fields=list(r.fields or []), sealed=r.hash is not None)
               for r in shown]
    return AuditPage(items=entries, next=next_cursor)


@router.get("/audit/verification")
async def verify_audit_trail(code: MunicipalityCode, acting: Auditor, db: Db
                             ) -> dict[str, object]:
    """Re-computes the municipality's hash chain; says where it breaks, if it does."""
    async with db.tenant_transaction(code) as session:
        check = await verify_chain(session)
    return {"entries": check.entries, "valid": check.valid,
            "first_broken_seq": check.first_broken_seq}
