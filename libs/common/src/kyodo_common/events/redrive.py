"""Re-drive dead letters: publish them to their original topic again, once each.

Consumers whose handler succeeded the first time skip the redelivered event (inbox); the one
that dead-lettered it gets another chance, now that its cause is fixed.
"""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from kyodo_common.events.inbox import DEAD_LETTER_SUFFIX
from kyodo_common.events.kafka import make_consumer

REDRIVE_GROUP = "kyodo.redrive"
_DEAD_LETTER_HEADERS = {"kyodo_error", "kyodo_consumer", "kyodo_original_topic"}


async def redrive(bootstrap_servers: str, topic: str, producer: AIOKafkaProducer,
                  *, idle_seconds: float = 2.0) -> int:
    """Re-publish every dead letter of ``topic`` not re-driven before; returns the count."""
    consumer = make_consumer(bootstrap_servers, REDRIVE_GROUP, topic + DEAD_LETTER_SUFFIX)
    await consumer.start()
    count = 0
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=int(idle_seconds * 1000))
            if not batches:
                return count
            for messages in batches.values():
                for message in messages:
                    headers = [(k, v) for k, v in message.headers
                               if k not in _DEAD_LETTER_HEADERS]
                    await producer.send_and_wait(topic, value=message.value, key=message.key,
                                                 headers=headers)
                    count += 1
            await consumer.commit()
    finally:
        await consumer.stop()
