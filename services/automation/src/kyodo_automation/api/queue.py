"""人の判断待ち: the items a person must decide (rows that failed, refused calls, approvals)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from kyodo_automation.adapters.tables import human_queue, run_steps, runs
from kyodo_automation.api.deps import Author, Db, Reader, Reply, idempotent
from kyodo_common.audit import record_accesses
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, NotFound, Problem
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.text import MULTILINE
from kyodo_common.web import ApiModel, IdempotencyKey, MunicipalityCode, Purpose

router = APIRouter(prefix="/v1/municipalities/{code}/automation/human-queue",
                   tags=["automation"])
DECISIONS = {"approval": ("approved", "rejected")}
OTHER_DECISIONS = ("resolved", "dismissed")


class Decision(ApiModel):
    decision: Literal["approved", "rejected", "resolved", "dismissed"] = Field(
        description="approvals: approved | rejected; other items: resolved | dismissed")
    note: Annotated[str | None, MULTILINE] = Field(default=None, max_length=1000,
                                                   description="the clerk's note on the decision")


def item_public(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "run_id": str(row.run_id), "scenario": row.scenario,
            "kind": row.kind, "step": row.step, "item": row.item, "reason": row.reason,
            "data": row.data, "state": row.state, "decision": row.decision, "note": row.note,
            "decided_by": row.decided_by,
            "decided_at": row.decided_at.isoformat() if row.decided_at else None,
            "created_at": row.created_at.isoformat()}


OLDEST_FIRST = Keyset("automation.human-queue", (datetime, UUID))


@router.get("", response_model=Page[dict[str, Any]])
async def items(code: MunicipalityCode, reader: Reader, purpose: Purpose, db: Db,
                state: Annotated[Literal["open", "decided"], Query()] = "open",
                run_id: UUID | None = None, limit: Limit = DEFAULT_LIMIT,
                cursor: Cursor = None) -> Page[dict[str, Any]]:
    """The items with their data (a row of a file holds personal data: the read is logged)."""
    q = human_queue.c
    query = sa.select(human_queue).where(q.state == state)
    if run_id is not None:
        query = query.where(q.run_id == run_id)
    after = OLDEST_FIRST.decode(cursor)
    if after is not None:
        query = query.where(sa.tuple_(q.created_at, q.id)
                            > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    async with db.tenant_transaction(code) as session:
        rows, next_cursor = OLDEST_FIRST.page(
            (await session.execute(query.order_by(q.created_at, q.id).limit(limit + 1))).all(),
            limit, key=lambda r: (r.created_at, r.id))
        if rows:
            await record_accesses(session, principal=reader.principal, acting_municipality=code,
                                  action="automation.human_queue.read",
                                  subject_type="automation_item",
                                  subject_ids=[str(r.id) for r in rows], fields=["data"],
                                  purpose=purpose, grant_id=reader.grant_id)
    return Page(items=[item_public(r) for r in rows], next=next_cursor)


@router.post("/{item_id}/decision")
async def decide(code: MunicipalityCode, item_id: UUID, body: Decision, author: Author,
                 db: Db, key: IdempotencyKey = None) -> JSONResponse:
    """An approval resumes (or ends) its run; approvals need the automation:approve scope."""

    async def action(uow: UnitOfWork) -> Reply:
        q = human_queue.c
        row = (await uow.session.execute(sa.select(human_queue).where(
            q.id == item_id).with_for_update())).first()
        if row is None:
            raise NotFound("the item")
        if row.state != "open":
            raise Conflict("this item was decided already")
        allowed = DECISIONS.get(row.kind, OTHER_DECISIONS)
        if body.decision not in allowed:
            raise Problem(422, "Invalid input", kind="invalid-input",
                          detail=f"a {row.kind} item is decided with " + " or ".join(allowed),
                          invalid_params=[{"name": "decision", "reason": "not for this item"}])
        if row.kind == "approval" and not author.has_scope("automation:approve"):
            raise Problem(403, "Forbidden", kind="forbidden",
                          detail="the scope automation:approve is required")
        now = datetime.now(UTC)
        await uow.session.execute(sa.update(human_queue).where(q.id == item_id).values(
            state="decided", decision=body.decision, note=body.note,
            decided_by=author.principal.subject, decided_at=now))
        if row.kind == "approval":
            await _resume(uow, row, body, author.principal.subject)
        updated = (await uow.session.execute(sa.select(human_queue).where(
            q.id == item_id))).one()
        return 200, item_public(updated), {}

    return await idempotent(db=db, code=code, caller=author.principal, key=key,
                            route="automation.queue.decide",
                            payload=[str(item_id), body.model_dump(mode="json")],
                            action=action)


async def _resume(uow: UnitOfWork, row: Any, body: Decision, by: str) -> None:
    """The decision joins the run's journal, and the run is queued to go on from there."""
    await uow.session.execute(sa.insert(run_steps).values(
        run_id=row.run_id, municipality_code=uow.municipality_code, key=row.key,
        kind="approval", status=body.decision, step=row.step, item=row.item,
        input={"question": row.reason},
        output={"decision": body.decision, "by": by, "note": body.note}))
    await uow.session.execute(sa.update(runs).where(
        runs.c.id == row.run_id, runs.c.state == "waiting").values(state="queued"))
