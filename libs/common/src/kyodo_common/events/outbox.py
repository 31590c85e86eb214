"""Writing events to the outbox, in the same transaction as the change that caused them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.events.model import DomainEvent

outbox = sa.table(
    "outbox",
    sa.column("event_id", UUID),
    sa.column("municipality_code", sa.String),
    sa.column("topic", sa.String),
    sa.column("key", sa.String),
    sa.column("type", sa.String),
    sa.column("source", sa.String),
    sa.column("subject", sa.String),
    sa.column("time", sa.DateTime(timezone=True)),
    sa.column("traceparent", sa.String),
    sa.column("tracestate", sa.String),
    sa.column("data", JSONB),
)

_propagator = TraceContextTextMapPropagator()


def current_trace_headers() -> dict[str, str]:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier


def outbox_rows(events: Sequence[DomainEvent], *, source: str,
                municipality_code: str) -> list[dict[str, Any]]:
    """The outbox rows of these events, with the current trace context."""
    trace = current_trace_headers()
    now = datetime.now(UTC)
    return [
        {
            "event_id": uuid.uuid4(),
            "municipality_code": municipality_code,
            "topic": event.topic,
            "key": event.subject,
            "type": event.event_type,
            "source": source,
            "subject": event.subject,
            "time": now,
            "traceparent": trace.get("traceparent"),
            "tracestate": trace.get("tracestate"),
            "data": event.model_dump(mode="json"),
        }
        for event in events
    ]


async def write_to_outbox(
    session: AsyncSession,
    events: Sequence[DomainEvent],
    *,
    source: str,
    municipality_code: str,
) -> None:
    """Append events; they become visible to the relay only if the transaction commits."""
    if not events:
        return
    await session.execute(sa.insert(outbox), outbox_rows(
        events, source=source, municipality_code=municipality_code))
