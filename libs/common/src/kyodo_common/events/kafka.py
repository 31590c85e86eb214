"""Kafka clients configured for Kyodo (and for the embedded Tansu broker's known gaps)."""

from __future__ import annotations

from collections.abc import Mapping

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from kyodo_common.events.kafka_security import client_options

# Tansu holds JoinGroup for session_timeout/2, so keep the session short and requests longer.
SESSION_TIMEOUT_MS = 6000
HEARTBEAT_INTERVAL_MS = 2000
REQUEST_TIMEOUT_MS = 30000
# aiokafka prefetches up to 50 MB per fetch by default: after a broker rotation republishes
# thousands of events, every worker's heap grew by that burst and kept it (the soak's
# +10 % per worker). 1 MB still carries hundreds of events per fetch (the relay's batches
# are at most 16 KB, so one always fits).
FETCH_MAX_BYTES = 1024 * 1024
MAX_PARTITION_FETCH_BYTES = 256 * 1024


def make_producer(bootstrap_servers: str, **overrides: object) -> AIOKafkaProducer:
    # No idempotent producer: Tansu lacks it, and the consumers' inbox makes redelivery harmless.
    options: dict[str, object] = {
        "bootstrap_servers": bootstrap_servers,
        "acks": "all",
        "enable_idempotence": False,
        "linger_ms": 1,
        "request_timeout_ms": REQUEST_TIMEOUT_MS,
        **client_options(),
    }
    options.update(overrides)
    return AIOKafkaProducer(**options)


def make_consumer(bootstrap_servers: str, group_id: str, *topics: str,
                  fetch_max_wait_ms: int = 10) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=SESSION_TIMEOUT_MS,
        heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
        request_timeout_ms=REQUEST_TIMEOUT_MS,
        fetch_max_wait_ms=fetch_max_wait_ms,
        fetch_max_bytes=FETCH_MAX_BYTES,
        max_partition_fetch_bytes=MAX_PARTITION_FETCH_BYTES,
        **client_options(),
    )


async def ensure_topics(bootstrap_servers: str, partitions: Mapping[str, int]) -> None:
    """Create topics explicitly with their partition counts (existing ones are kept)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers,
                                **client_options())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, n, 1) for t, n in partitions.items() if t not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()


async def consumer_lag(bootstrap_servers: str, group_id: str, topics: list[str]) -> int:
    """Messages on the topics that the group has not committed yet (all partitions)."""
    from aiokafka import TopicPartition

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers,
                                **client_options())
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False,
                             **client_options())
    await admin.start()
    await probe.start()
    try:
        partitions = [TopicPartition(t, p) for t in topics
                      for p in (probe.partitions_for_topic(t) or set())]
        if not partitions:
            await probe.topics()  # refresh metadata once
            partitions = [TopicPartition(t, p) for t in topics
                          for p in (probe.partitions_for_topic(t) or set())]
        ends = await probe.end_offsets(partitions)
        committed = await admin.list_consumer_group_offsets(group_id, partitions=partitions)
        return sum(max(0, ends[tp] - (committed[tp].offset if tp in committed and
                                      committed[tp].offset >= 0 else 0))
                   for tp in partitions)
    finally:
        await probe.stop()
        await admin.close()
