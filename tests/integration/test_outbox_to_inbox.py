"""Outbox relay → broker → inbox consumer: every event once, in the request's trace."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from kyodo_residents_events import (
    TOPIC,
    ResidentRegisterChanged,
    ResidentRegistered,
    ResidentRelocated,
)
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.worker import SUBSCRIPTIONS
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events import Envelope
from kyodo_common.events.inbox import DEAD_LETTER_SUFFIX, InboxConsumer, Subscription, for_runs
from kyodo_common.events.kafka import consumer_lag, make_consumer
from kyodo_common.events.redrive import redrive
from kyodo_common.events.relay import OutboxRelay
from kyodo_launcher.replay import replay_outbox
from kyodo_residents.service_layer.register import register_resident
from kyodo_testing import Infrastructure

from .conftest import NAGAOKA, SANJO
from .factories import kafka_record, new_resident, registered_event

pytestmark = pytest.mark.integration

spans = InMemorySpanExporter()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(spans))
trace.set_tracer_provider(_provider)
tracer = trace.get_tracer("test")


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _register_many(db: Database, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        async with UnitOfWork(db, source="kyodo/residents", municipality_code=SANJO) as uow:
            event = await register_resident(uow=uow, **new_resident(), today=today_in_japan())
            await uow.commit()
        ids.append(str(event.resident_id))
    return ids


async def _snapshots(db: Database, ids: list[str]) -> int:
    async with db.tenant_transaction(SANJO) as session:
        return int((await session.execute(
            sa.text("SELECT count(*) FROM resident_snapshots WHERE resident_id = ANY(:ids)"),
            {"ids": [uuid.UUID(i) for i in ids]})).scalar_one())


async def test_each_event_takes_effect_once_even_when_delivered_twice(
    infrastructure: Infrastructure, residents_db: Database, certificates_db: Database,
    producer: object,
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    with tracer.start_as_current_span("counter request") as request_span:
        ids = await _register_many(residents_db, 40)
    request_trace = request_span.get_span_context().trace_id

    stop = asyncio.Event()
    relay = OutboxRelay(infrastructure.urls("residents")["RELAY_DATABASE_URL"], producer,
                        poll_interval=0.2)  # type: ignore[arg-type]
    consumer = InboxConsumer(
        name=f"test-{uuid.uuid4().hex[:8]}", db=certificates_db,
        bootstrap_servers=infrastructure.bootstrap_servers, subscriptions=SUBSCRIPTIONS,
        dead_letters=producer,  # type: ignore[arg-type]
    )
    tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
    try:
        await _until(lambda: _count_is(certificates_db, ids))
        # The new group also reads what earlier tests left on the topic, other tenants' runs
        # after this one's: wait until it has applied all of that before counting.
        applied_first = await _settled(lambda: consumer.applied)
        # Deliver every event a second time: the outbox publishes the range again.
        replayed = await replay_outbox(infrastructure.relay_url("residents"), started, None)
        assert replayed >= len(ids)
        await _until(lambda: _at_least(lambda: consumer.duplicates, len(ids)))
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)

    assert await _snapshots(certificates_db, ids) == len(ids)
    assert consumer.applied == applied_first  # the second delivery changed nothing
    consumer_spans = [s for s in spans.get_finished_spans()
                      if s.name == f"{TOPIC} process" and s.context.trace_id == request_trace]
    assert len(consumer_spans) >= len(ids)


async def _dead_letter_headers_after_redrive(infrastructure: Infrastructure,
                                             event_id: str) -> set[str]:
    """The re-driven copy on the original topic carries no dead-letter headers."""
    reader = make_consumer(infrastructure.bootstrap_servers, f"peek-{uuid.uuid4().hex[:8]}",
                           TOPIC)
    await reader.start()
    try:
        deadline = asyncio.get_running_loop().time() + 20
        while asyncio.get_running_loop().time() < deadline:
            batches = await reader.getmany(timeout_ms=500)
            for message in (m for ms in batches.values() for m in ms):
                headers = dict(message.headers)
                if headers.get("ce_id") == event_id.encode():
                    return set(headers)
    finally:
        await reader.stop()
    raise AssertionError("the re-driven event is not on the original topic")


async def _count_is(db: Database, ids: list[str]) -> bool:
    return await _snapshots(db, ids) == len(ids)


async def _at_least(value: Callable[[], int], minimum: int) -> bool:
    return value() >= minimum


async def _settled(value: Callable[[], int], quiet: float = 1.0, timeout: float = 30.0) -> int:
    """The value once it has not changed for ``quiet`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    last, since = value(), asyncio.get_running_loop().time()
    while asyncio.get_running_loop().time() - since < quiet:
        assert asyncio.get_running_loop().time() < deadline, "never settled"
        await asyncio.sleep(0.1)
        if value() != last:
            last, since = value(), asyncio.get_running_loop().time()
    return last


async def test_a_failing_handler_sends_the_event_to_the_dead_letter_topic(
    infrastructure: Infrastructure, certificates_db: Database, producer: object,
) -> None:
    async def always_fails(session: AsyncSession, event: ResidentRegistered,
                           envelope: Envelope) -> None:
        await session.execute(sa.text("SELECT 1"))
        raise RuntimeError("read model is broken")

    record = kafka_record(registered_event("次郎", family_name="三条"))
    envelope = record.envelope
    name = f"failing-{uuid.uuid4().hex[:8]}"
    consumer = InboxConsumer(
        name=name, db=certificates_db, bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=[Subscription(ResidentRegistered, always_fails)],
        dead_letters=producer, max_attempts=3, retry_delay=0.01,  # type: ignore[arg-type]
    )

    await consumer.handle(record)  # type: ignore[arg-type]
    assert consumer.dead_lettered == 1 and consumer.applied == 0

    dlq = make_consumer(infrastructure.bootstrap_servers, f"dlq-{name}", TOPIC + DEAD_LETTER_SUFFIX)
    await dlq.start()
    try:
        found = None
        deadline = asyncio.get_running_loop().time() + 20
        while found is None and asyncio.get_running_loop().time() < deadline:
            batches = await dlq.getmany(timeout_ms=500)
            for message in (m for ms in batches.values() for m in ms):
                headers = dict(message.headers)
                if headers.get("ce_id") == envelope.id.encode():
                    found = headers
    finally:
        await dlq.stop()
    assert found is not None
    assert found["kyodo_consumer"] == name.encode()
    assert b"read model is broken" in found["kyodo_error"]
    # Nothing of the failed attempts was kept, not even the inbox row.
    async with certificates_db.tenant_transaction(SANJO) as session:
        kept = (await session.execute(sa.text(
            "SELECT count(*) FROM inbox WHERE consumer = :c"), {"c": name})).scalar_one()
    assert kept == 0

    # The fault is fixed; re-driving the dead letters delivers the event to a working consumer.
    redriven = await redrive(infrastructure.bootstrap_servers, TOPIC, producer,  # type: ignore[arg-type]
                             idle_seconds=1.0)
    assert redriven >= 1
    fixed = InboxConsumer(
        name=name, db=certificates_db, bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=SUBSCRIPTIONS, dead_letters=producer,  # type: ignore[arg-type]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(fixed.run(stop))
    try:
        await _until(lambda: _count_is(certificates_db, [envelope.subject or '']))
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
    headers_seen = await _dead_letter_headers_after_redrive(infrastructure, envelope.id)
    assert "kyodo_error" not in headers_seen


async def test_a_batch_commits_together_and_one_bad_event_does_not_sink_the_others(
    infrastructure: Infrastructure, certificates_db: Database, producer: object,
) -> None:
    from kyodo_certificates.adapters.read_model_store import CertificatesInboxUnitOfWork
    from kyodo_certificates.service_layer.when_register_changes_update_residents import (
        when_register_changes_update_residents,
    )

    async def fails_for_the_poisoned(session: AsyncSession, event: ResidentRegistered,
                                     envelope: Envelope) -> None:
        if event.residents[0].given_name == "毒":
            raise RuntimeError("poisoned event")
        await when_register_changes_update_residents(CertificatesInboxUnitOfWork(session),
                                                     [(event, envelope)])

    consumer = InboxConsumer(
        name=f"batch-{uuid.uuid4().hex[:8]}", db=certificates_db,
        bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=[Subscription(ResidentRegistered, fails_for_the_poisoned)],
        dead_letters=producer, max_attempts=2, retry_delay=0.01,  # type: ignore[arg-type]
    )
    good = [registered_event("一"), registered_event("二"), registered_event("三")]
    poisoned = registered_event("毒")
    first = kafka_record(good[0])
    batch = [first, kafka_record(good[1]), kafka_record(poisoned), kafka_record(good[2]),
             first]  # the last one is a redelivery of the first
    await consumer.handle_batch(batch)  # type: ignore[arg-type]
    assert consumer.applied == 3 and consumer.dead_lettered == 1
    assert await _snapshots(certificates_db, [e.subject for e in good]) == 3
    assert await _snapshots(certificates_db, [poisoned.subject]) == 0

    clean = [kafka_record(registered_event("四")), kafka_record(registered_event("五"))]
    await consumer.handle_batch(clean * 2)  # type: ignore[arg-type]
    assert consumer.applied == 5 and consumer.duplicates >= 2
    assert consumer.dead_lettered == 1


async def test_a_fetch_is_applied_in_one_transaction_per_tenant_in_each_tenants_order(
    infrastructure: Infrastructure, certificates_db: Database, producer: object,
) -> None:
    seen: list[tuple[str, str, int]] = []

    async def note(session: AsyncSession, event: ResidentRegistered, envelope: Envelope) -> None:
        transaction = (await session.execute(sa.text("SELECT txid_current()"))).scalar_one()
        seen.append((envelope.municipality, event.residents[0].given_name, transaction))

    consumer = InboxConsumer(
        name=f"tenants-{uuid.uuid4().hex[:8]}", db=certificates_db,
        bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=[Subscription(ResidentRegistered, note)],
        dead_letters=producer,  # type: ignore[arg-type]
    )
    # As one fetch over several partitions hands them over: tenants interleaved.
    batch = [kafka_record(registered_event(name), tenant) for name, tenant in (
        ("一", SANJO), ("甲", NAGAOKA), ("二", SANJO), ("乙", NAGAOKA), ("三", SANJO))]
    await consumer.handle_batch(batch)  # type: ignore[arg-type]
    assert [(t, n) for t, n, _ in seen] == [(SANJO, "一"), (SANJO, "二"), (SANJO, "三"),
                                            (NAGAOKA, "甲"), (NAGAOKA, "乙")]
    transactions = {t: {x for tenant, _, x in seen if tenant == t} for t in (SANJO, NAGAOKA)}
    assert all(len(ids) == 1 for ids in transactions.values())
    assert transactions[SANJO] != transactions[NAGAOKA]


async def test_a_run_handler_takes_the_new_events_of_a_run_in_one_call_with_a_span_each(
    infrastructure: Infrastructure, certificates_db: Database, producer: object,
) -> None:
    calls: list[list[str]] = []

    async def note_run(session: AsyncSession,
                       delivered: Sequence[tuple[ResidentRegistered, Envelope]]) -> None:
        calls.append([event.residents[0].given_name for event, _ in delivered])

    consumer = InboxConsumer(
        name=f"runs-{uuid.uuid4().hex[:8]}", db=certificates_db,
        bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=[for_runs(ResidentRegistered, note_run)],
        dead_letters=producer,  # type: ignore[arg-type]
    )
    events = [registered_event(name) for name in ("一", "二", "三")]
    traces = [uuid.uuid4().hex for _ in events]
    records = [kafka_record(event, traceparent=f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01")
               for event, trace_id in zip(events, traces, strict=True)]
    await consumer.handle_batch([*records, records[0]])  # type: ignore[list-item]
    assert calls == [["一", "二", "三"]]  # one call, in order; the redelivery left out
    assert consumer.applied == 3 and consumer.duplicates == 1
    finished = {format(s.context.trace_id, "032x") for s in spans.get_finished_spans()
                if s.name == f"{TOPIC} process"}
    assert set(traces) <= finished  # each event's span in the trace it came with

    await consumer.handle_batch([records[1]])  # type: ignore[list-item]
    assert calls == [["一", "二", "三"]] and consumer.duplicates == 2  # alone, same inbox


async def test_three_versions_of_one_resident_in_one_run_keep_the_newest_and_the_address_before_it(
    certificates_db: Database,
) -> None:
    """The certificates' run handler writes a run in one upsert; a resident who changed twice
    within the run must end as if the events had come one by one (PostgreSQL would refuse to
    update a row twice in one statement)."""
    from kyodo_certificates.adapters.read_model_store import CertificatesInboxUnitOfWork
    from kyodo_certificates.service_layer.when_register_changes_update_residents import (
        when_register_changes_update_residents,
    )

    first = registered_event("版")
    state = first.residents[0]
    moves: list[ResidentRegisterChanged] = [first]
    for version, address in ((2, "三条市旭町"), (3, "三条市新保")):
        moved = state.model_copy(update={"version": version, "address": address})
        moves.append(ResidentRelocated(
            municipality_code=SANJO, effective_date=today_in_japan(), reason="転居",
            residents=(moved,), subject_id=state.resident_id))
    delivered = [(event, kafka_record(event).envelope) for event in moves]
    async with certificates_db.tenant_transaction(SANJO) as session:
        await when_register_changes_update_residents(CertificatesInboxUnitOfWork(session),
                                                     delivered)
        row = (await session.execute(sa.text(
            "SELECT version, address, previous_address FROM resident_snapshots "
            "WHERE resident_id = :id"), {"id": state.resident_id})).one()
    assert tuple(row) == (3, "三条市新保", "三条市旭町")


async def test_offsets_are_committed_when_the_flow_pauses_even_with_a_long_interval(
    infrastructure: Infrastructure, residents_db: Database, certificates_db: Database,
    producer: object,
) -> None:
    name = f"pause-{uuid.uuid4().hex[:8]}"
    consumer = InboxConsumer(
        name=name, db=certificates_db, bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=SUBSCRIPTIONS, dead_letters=producer,  # type: ignore[arg-type]
        commit_interval_ms=600_000,
    )
    relay = OutboxRelay(infrastructure.urls("residents")["RELAY_DATABASE_URL"], producer,
                        poll_interval=0.2)  # type: ignore[arg-type]
    ids = await _register_many(residents_db, 5)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
    try:
        await _until(lambda: _count_is(certificates_db, ids))
        await _settled(lambda: consumer.applied)

        async def nothing_left() -> bool:
            return await consumer_lag(infrastructure.bootstrap_servers, name, [TOPIC]) == 0

        await _until(nothing_left, timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)


async def test_the_staged_writes_of_a_change_are_one_span_naming_tables_not_values(
    residents_db: Database,
) -> None:
    person = new_resident()
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        state = await register_resident(uow=uow, **person, today=today_in_japan())
        await uow.commit()
    flushes = [s for s in spans.get_finished_spans() if s.name == "staged writes"
               and "resident_history" in (s.attributes or {}).get("kyodo.tables", ())]
    assert flushes, "the registration's write has a span"
    attributes = dict(flushes[-1].attributes or {})
    assert {"households", "residents", "resident_history", "outbox"} <= set(
        attributes["kyodo.tables"])
    text = repr(attributes)
    details = person["details"]
    assert details.given_name not in text and str(state.resident_id) not in text  # type: ignore[attr-defined]
