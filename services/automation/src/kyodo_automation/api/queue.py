"""人の判断待ち: the items a person must decide (rows that failed, refused calls, approvals)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from kyodo_automation.adapters import stores as views
from kyodo_automation.api.deps import Author, Db, Pipeline, Reader
from kyodo_automation.service_layer import handlers
from kyodo_automation.service_layer.commands import DecideItem
from kyodo_automation.service_layer.handlers import item_public
from kyodo_common.audit import record_accesses
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.text import MULTILINE
from kyodo_common.web import ApiModel, IdempotencyKey, MunicipalityCode, Purpose

router = APIRouter(prefix="/v1/municipalities/{code}/automation/human-queue",
                   tags=["automation"])


class Decision(ApiModel):
    decision: Literal["approved", "rejected", "resolved", "dismissed"] = Field(
        description="approvals: approved | rejected; other items: resolved | dismissed")
    note: Annotated[str | None, MULTILINE] = Field(default=None, max_length=1000,
                                                   description="the clerk's note on the decision")


OLDEST_FIRST = Keyset("automation.human-queue", (datetime, UUID))


@router.get("", response_model=Page[dict[str, Any]])
async def items(code: MunicipalityCode, reader: Reader, purpose: Purpose, db: Db,
                state: Annotated[Literal["open", "decided"], Query()] = "open",
                run_id: UUID | None = None, limit: Limit = DEFAULT_LIMIT,
                cursor: Cursor = None) -> Page[dict[str, Any]]:
    """The items with their data (a row of a file holds personal data: the read is logged)."""
    after = OLDEST_FIRST.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows, next_cursor = OLDEST_FIRST.page(
            await views.queue_items(session, state=state, run_id=run_id, after=after,
                                    limit=limit + 1),
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
                 pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """An approval resumes (or ends) its run; approvals need the automation:approve scope."""
    command = DecideItem(item_id=item_id, decision=body.decision, note=body.note,
                         by=author.principal.subject,
                         may_approve=author.has_scope("automation:approve"))
    return await pipeline.run(command, handlers.decide_item, acting=author, key=key,
                              fingerprint=("automation.queue.decide",
                                           [str(item_id), body.model_dump(mode="json")]))
