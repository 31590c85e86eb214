"""The subscriptions API: /v1/municipalities/{code}/webhooks/…"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from kyodo_common.assertion import Acting
from kyodo_common.db.engine import raw_connection
from kyodo_common.errors import Problem
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import (
    DatabaseDep,
    IdempotencyKey,
    IfMatch,
    MunicipalityCode,
    acting_for_any,
    etag,
)
from kyodo_common.write_pipeline import WritePipeline
from kyodo_webhooks.api import use_cases as use
from kyodo_webhooks.api.schemas import (
    DeliveryPublic,
    EventTypePublic,
    NewSubscription,
    Queued,
    Rotation,
    SubscriptionPublic,
    SubscriptionWithSecret,
)
from kyodo_webhooks.domain.catalogue import TYPES
from kyodo_webhooks.domain.subscription import MANAGE, SUBSCRIBE
from kyodo_webhooks.service_layer import handlers
from kyodo_webhooks.service_layer.commands import (
    ChangeState,
    Ping,
    Redeliver,
    RotateSecret,
    Subscribe,
)
from kyodo_webhooks.service_layer.context import SOURCE, WebhooksContext
from kyodo_webhooks.service_layer.handlers import WebhooksHandlers
from kyodo_webhooks.service_layer.unit_of_work import WebhooksUnitOfWork

router = APIRouter(prefix="/v1/municipalities/{code}/webhooks", tags=["webhooks"])
Caller = Annotated[Acting, Depends(acting_for_any(SUBSCRIBE, MANAGE))]
STATES = ("pending_approval", "active", "paused", "ended")
DELIVERY_STATES = ("pending", "delivered", "dead")


def _context(request: Request) -> WebhooksContext:
    context: WebhooksContext = request.app.state.webhooks
    return context


Context = Annotated[WebhooksContext, Depends(_context)]


def _state(value: str | None, allowed: tuple[str, ...], name: str = "state") -> str | None:
    if value is not None and value not in allowed:
        raise Problem(422, "Invalid input", kind="invalid-input",
                      detail=f"{name} is one of {', '.join(allowed)}",
                      invalid_params=[{"name": name, "reason": "unknown state"}])
    return value


SUBSCRIPTIONS = Keyset("webhooks.subscriptions", (datetime, uuid.UUID))
DELIVERIES = Keyset("webhooks.deliveries", (int,))
EVENT_TYPES = Keyset("webhooks.event-types", (str,))


@router.get("/event-types", response_model=Page[EventTypePublic])
async def event_types(code: MunicipalityCode, caller: Caller, limit: Limit = DEFAULT_LIMIT,
                      cursor: Cursor = None) -> dict[str, Any]:
    """What may be subscribed to, and the read scope each needs (a short list, by name)."""
    after = EVENT_TYPES.decode(cursor)
    names = sorted(n for n in TYPES if after is None or n > after[0])[:limit + 1]
    shown, next_cursor = EVENT_TYPES.page(names, limit, lambda n: (n,))
    return {"items": [{"type": TYPES[n].name, "service": TYPES[n].service,
                       "scope": TYPES[n].scope, "summary": TYPES[n].summary} for n in shown],
            "next": next_cursor}


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE, unit_of_work=lambda code: WebhooksUnitOfWork(
        db, municipality_code=code))


async def _handlers(context: Context) -> WebhooksHandlers:
    return WebhooksHandlers(context)


Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
Handlers = Annotated[WebhooksHandlers, Depends(_handlers)]


@router.post("/subscriptions", status_code=201, response_model=SubscriptionWithSecret,
             responses={403: {"description": "outside the caller's rights"},
                        422: {"description": "invalid callback, event type or filter"}})
async def subscribe(code: MunicipalityCode, body: NewSubscription, caller: Caller,
                    pipeline: Pipeline, bound: Handlers, key: IdempotencyKey = None
                    ) -> JSONResponse:
    """Subscribe to event types of this municipality. Active at once for the town's admin
    and under a support grant; otherwise pending until the town's admin approves it. The
    signing secret is in this answer only."""
    command = Subscribe(caller=caller, callback_url=body.callback_url,
                        event_types=body.event_types, filters=body.filters,
                        description=body.description)
    return await pipeline.run(command, bound.subscribe, acting=caller, key=key,
                              fingerprint=("subscriptions.create", body.model_dump()))


@router.get("/subscriptions", response_model=Page[SubscriptionPublic])
async def list_subscriptions(
    code: MunicipalityCode, caller: Caller, db: DatabaseDep,
    state: Annotated[str | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
) -> dict[str, Any]:
    """The town's admin sees every subscription to its data; a client sees its own."""
    _state(state, STATES)
    after = SUBSCRIPTIONS.decode(cursor)
    async with db.tenant_transaction(code) as session:
        items = await use.list_(await raw_connection(session), caller, state=state,
                                after=after, limit=limit + 1)
    shown, next_cursor = SUBSCRIPTIONS.page(
        items, limit, lambda i: (datetime.fromisoformat(str(i["created_at"])),
                                 uuid.UUID(str(i["id"]))))
    return {"items": shown, "next": next_cursor}


async def _read(db: DatabaseDep, code: str,
                action: Callable[[Any], Awaitable[Any]]) -> Any:
    async with db.tenant_transaction(code) as session:
        return await action(await raw_connection(session))


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionPublic)
async def get_subscription(code: MunicipalityCode, subscription_id: uuid.UUID, caller: Caller,
                           db: DatabaseDep) -> JSONResponse:
    body = await _read(db, code, lambda c: use.get(c, caller, subscription_id))
    return JSONResponse(body, headers={"ETag": etag(body["version"])})


@router.delete("/subscriptions/{subscription_id}", response_model=SubscriptionPublic,
               responses={409: {"description": "the subscription is ended already"}})
async def end_subscription(code: MunicipalityCode, subscription_id: uuid.UUID, caller: Caller,
                           pipeline: Pipeline, version: IfMatch = None) -> JSONResponse:
    """Ends it (its client, or the town's admin): nothing more is sent."""
    command = ChangeState(caller=caller, subscription_id=subscription_id,
                          expected_version=version, change="end")
    return await pipeline.update(command, handlers.change_state, acting=caller)


def _transition(name: Literal["approve", "pause", "resume"], summary: str) -> None:
    async def route(code: MunicipalityCode, subscription_id: uuid.UUID, caller: Caller,
                    pipeline: Pipeline, version: IfMatch = None, key: IdempotencyKey = None
                    ) -> JSONResponse:
        command = ChangeState(caller=caller, subscription_id=subscription_id,
                              expected_version=version, change=name)
        return await pipeline.run(command, handlers.change_state, acting=caller, key=key,
                                  fingerprint=(f"subscriptions.{name}",
                                               {"id": str(subscription_id), "version": version}))

    route.__name__ = f"{name}_subscription"
    router.add_api_route(f"/subscriptions/{{subscription_id}}/{name}", route, methods=["POST"],
                         response_model=SubscriptionPublic, summary=summary,
                         responses={409: {"description": "the subscription's state does not "
                                          "allow it (e.g. approving an active one)"}})


_transition("approve", "The town's admin consents: deliveries start")
_transition("pause", "Stop sending; messages are still queued, in order")
_transition("resume", "Send again, the queued messages first")


@router.post("/subscriptions/{subscription_id}/secret/rotate",
             response_model=SubscriptionWithSecret,
             responses={409: {"description": "the subscription is ended"}})
async def rotate_secret(code: MunicipalityCode, subscription_id: uuid.UUID, body: Rotation,
                        caller: Caller, pipeline: Pipeline, bound: Handlers,
                        key: IdempotencyKey = None) -> JSONResponse:
    """A new signing secret; the previous one also signs until the overlap ends."""
    command = RotateSecret(caller=caller, subscription_id=subscription_id,
                           overlap_seconds=body.overlap_seconds)
    return await pipeline.run(command, bound.rotate_secret, acting=caller, key=key,
                              fingerprint=("subscriptions.rotate",
                                           {"id": str(subscription_id), **body.model_dump()}))


@router.post("/subscriptions/{subscription_id}/ping", status_code=202, response_model=Queued,
             responses={409: {"description": "the subscription is not active"}})
async def ping(code: MunicipalityCode, subscription_id: uuid.UUID, caller: Caller,
               pipeline: Pipeline, bound: Handlers, key: IdempotencyKey = None
               ) -> JSONResponse:
    """Queues a test notification (type jp.kyodo.webhooks.ping.v1)."""
    command = Ping(caller=caller, subscription_id=subscription_id)
    return await pipeline.run(command, bound.ping, acting=caller, key=key,
                              fingerprint=("subscriptions.ping", {"id": str(subscription_id)}))


@router.get("/subscriptions/{subscription_id}/deliveries",
            response_model=Page[DeliveryPublic])
async def deliveries(
    code: MunicipalityCode, subscription_id: uuid.UUID, caller: Caller, db: DatabaseDep,
    context: Context,
    state: Annotated[str | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
) -> dict[str, Any]:
    """The delivery log, newest first: each message with every attempt and its reason."""
    _state(state, DELIVERY_STATES)
    position = DELIVERIES.decode(cursor)
    before = position[0] if position is not None else None
    rows = await _read(db, code, lambda c: use.deliveries(
        c, context, caller, subscription_id, state=state, before=before, limit=limit + 1))
    shown, next_cursor = DELIVERIES.page(rows, limit, lambda pair: (pair[0],))
    return {"items": [item for _, item in shown], "next": next_cursor}


@router.post("/subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver",
             status_code=202, response_model=Queued,
             responses={409: {"description": "the subscription is ended, or the delivery is "
                              "queued already"}})
async def redeliver(code: MunicipalityCode, subscription_id: uuid.UUID, delivery_id: uuid.UUID,
                    caller: Caller, pipeline: Pipeline, key: IdempotencyKey = None
                    ) -> JSONResponse:
    """Queues a delivered or dead-lettered message again, with the same webhook-id."""
    command = Redeliver(caller=caller, subscription_id=subscription_id,
                        delivery_id=delivery_id)
    return await pipeline.run(command, handlers.redeliver, acting=caller, key=key,
                              fingerprint=("deliveries.redeliver",
                                           {"id": str(subscription_id),
                                            "delivery": str(delivery_id)}))
