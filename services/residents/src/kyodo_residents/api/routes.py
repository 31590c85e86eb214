"""Registration, 支援措置, the access log and incoming transfer notices."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kyodo_common import idempotency, privacy
from kyodo_common.assertion import Acting
from kyodo_common.audit import record_accesses, verify_chain
from kyodo_common.clock import today_in_japan
from kyodo_common.errors import Forbidden, NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import IdempotencyKey, MunicipalityCode, Purpose, acting_for
from kyodo_residents.adapters.views import RegisterViews
from kyodo_residents.api.deps import Db, Pipeline, Reader, Writer
from kyodo_residents.api.schemas import (
    AccessEntry,
    IncomingTransfer,
    MeasurePublic,
    ProtectionCreate,
    ResidentCreate,
    ResidentPublic,
)
from kyodo_residents.service_layer import handlers
from kyodo_residents.service_layer.commands import (
    ExtendProtection,
    RegisterResident,
    StartProtection,
)
from kyodo_residents.service_layer.common import require_sight_of_every_member
from kyodo_residents.service_layer.scheduled_completion import complete_due_move_outs

router = APIRouter(prefix="/v1/municipalities/{code}/residents", tags=["residents"])
Auditor = Annotated[Acting, Depends(acting_for("audit:read"))]


@router.post("", status_code=201, response_model=ResidentPublic)
async def register(code: MunicipalityCode, body: ResidentCreate, acting: Writer,
                   pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """住民登録 as the head of a new household; the event commits with it."""
    command = RegisterResident(details=body.details(), postal_code=body.postal_code,
                               address=body.address,
                               confirmed_not_duplicate=body.confirm_not_duplicate)
    return await pipeline.run(command, handlers.register_resident, acting=acting, key=key,
                              fingerprint=("residents.register", body.model_dump(mode="json")))


@router.post("/announced-move-outs/completion")
async def complete_move_outs(code: MunicipalityCode, acting: Writer, db: Db,
                             key: IdempotencyKey = None) -> dict[str, int]:
    """日次処理: every 転出 announced for today or earlier takes effect (the persons become moved
    out on their 異動日). The residents worker does this by itself every few minutes; this
    runs it now. Running it again does nothing more. Needs sight of protected people, whose
    転出 take effect too."""
    idempotency.validate_key(key)
    require_sight_of_every_member("completing announced 転出")
    completed = await complete_due_move_outs(db, code, today=today_in_japan(),
                                             principal=acting.principal,
                                             grant_id=acting.grant_id)
    return {"completed": completed}


TRANSFERS_BY_DATE = Keyset("residents.incoming-transfers", (date, UUID))
ACCESS_BY_ID = Keyset("residents.access-log", (int,))


@router.get("/transfers/incoming", response_model=Page[IncomingTransfer])
async def incoming(code: MunicipalityCode, acting: Reader, purpose: Purpose, db: Db,
                   limit: Limit = DEFAULT_LIMIT,
                   cursor: Cursor = None) -> Page[IncomingTransfer]:
    """転出証明書情報 addressed to this municipality and not yet used for a move-in, by
    move-out date."""
    after = TRANSFERS_BY_DATE.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows, next_cursor = TRANSFERS_BY_DATE.page(
            await RegisterViews(session).incoming_transfers(
                after=(after[0], after[1]) if after else None, limit=limit + 1),
            limit, key=lambda r: (r.moved_out_on, r.id))
        await record_accesses(session, principal=acting.principal, acting_municipality=code,
                              action="transfers.incoming.read", subject_type="transfer",
                              subject_ids=[str(r.id) for r in rows], fields=["transfer"],
                              purpose=purpose, grant_id=acting.grant_id)
    return Page(items=[IncomingTransfer.model_validate(dict(r._mapping)) for r in rows],
                next=next_cursor)


@router.get("/transfers/incoming/{transfer_id}", response_model=IncomingTransfer)
async def incoming_transfer(code: MunicipalityCode, transfer_id: UUID, acting: Reader,
                            purpose: Purpose, db: Db) -> IncomingTransfer:
    """One 転出証明書情報 addressed to this municipality: what a partner's notification of an
    incoming transfer names (docs/webhooks.md)."""
    async with db.tenant_transaction(code) as session:
        row = await RegisterViews(session).incoming_transfer(transfer_id)
        if row is None:
            raise NotFound("the transfer")
        await record_accesses(session, principal=acting.principal, acting_municipality=code,
                              action="transfers.incoming.read", subject_type="transfer",
                              subject_ids=[str(row.id)], fields=["transfer"],
                              purpose=purpose, grant_id=acting.grant_id)
    return IncomingTransfer.model_validate(dict(row._mapping))


def _require_protection_officer(acting: Acting) -> None:
    """Only who may see a protected person may protect one: they see the record it hides."""
    if not privacy.may_see_protected(acting):
        raise Forbidden(f"starting or extending a 支援措置 needs the scope "
                        f"{privacy.PROTECTED_SCOPE}, as staff of the person's own "
                        "municipality")


@router.post("/{resident_id}/protection-measures", status_code=201,
             response_model=MeasurePublic)
async def protect(code: MunicipalityCode, resident_id: UUID, body: ProtectionCreate,
                  acting: Writer, pipeline: Pipeline, key: IdempotencyKey = None
                  ) -> JSONResponse:
    """支援措置: from now on the person is hidden from other parties for one year."""
    idempotency.validate_key(key)
    _require_protection_officer(acting)
    command = StartProtection(resident_id=resident_id, starts_on=body.starts_on)
    return await pipeline.run(command, handlers.start_protection, acting=acting, key=key,
                              fingerprint=(f"protection/{resident_id}",
                                           body.model_dump(mode="json")))


@router.post("/{resident_id}/protection-measures/{measure_id}/extension",
             response_model=MeasurePublic)
async def extend(code: MunicipalityCode, resident_id: UUID, measure_id: UUID, acting: Writer,
                 pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """Extends the measure by a year from the day after its end (from a month before it)."""
    idempotency.validate_key(key)
    _require_protection_officer(acting)
    command = ExtendProtection(resident_id=resident_id, measure_id=measure_id)
    return await pipeline.run(command, handlers.extend_protection, acting=acting, key=key,
                              fingerprint=(f"protection-extension/{measure_id}", None))


@router.get("/{resident_id}/access-log", response_model=Page[AccessEntry])
async def who_looked(code: MunicipalityCode, resident_id: UUID, acting: Reader,
                     purpose: Purpose, db: Db, limit: Limit = DEFAULT_LIMIT,
                     cursor: Cursor = None) -> Page[AccessEntry]:
    """Who read or changed this resident's data, and when (what a resident may be told), in
    the order the entries were made."""
    after = ACCESS_BY_ID.decode(cursor)
    async with db.tenant_transaction(code) as session:
        views = RegisterViews(session)
        if await views.resident(resident_id) is None:
            raise NotFound("resident")
        rows, next_cursor = ACCESS_BY_ID.page(
            await views.access_log(resident_id, after=after[0] if after else None,
                                   limit=limit + 1), limit, key=lambda r: (r.id,))
        await record_accesses(session, principal=acting.principal, acting_municipality=code,
                              action="access_log.read", subject_type="resident",
                              subject_ids=[str(resident_id)], fields=["access_log"],
                              purpose=purpose, grant_id=acting.grant_id)
    return Page(items=[AccessEntry.model_validate(dict(r._mapping)) for r in rows],
                next=next_cursor)


@router.get("/access-log/verification")
async def verify_access_log(code: MunicipalityCode, acting: Auditor, db: Db
                            ) -> dict[str, object]:
    """Re-computes the municipality's hash chain; says where it breaks, if it does."""
    async with db.tenant_transaction(code) as session:
        check = await verify_chain(session)
    return {"entries": check.entries, "valid": check.valid,
            "first_broken_seq": check.first_broken_seq}
