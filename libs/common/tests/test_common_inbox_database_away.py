"""A consumer while its database is away (PostgreSQL restarting): it waits, and sends nothing
to the dead-letter topic (issue #21: `make chaos` found events dead-lettered, so lost to the
read models, by every consumer while PostgreSQL restarted)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any, ClassVar

from aiokafka.structs import ConsumerRecord

from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_common.events.inbox import InboxConsumer, Subscription
from kyodo_common.events.model import DomainEvent


class _Noticed(DomainEvent):
    event_type: ClassVar[str] = "jp.kyodo.test.noticed.v1"
    topic: ClassVar[str] = "kyodo.test.v1"
    what: str

    @property
    def subject(self) -> str:
        return self.what


class _DeadLetters:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send_and_wait(self, topic: str, **kwargs: Any) -> None:
        self.sent.append((topic, kwargs))


def _nobody_listens() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port  # closed again: a connection there is refused


async def _never_called(*_: Any) -> None:
    raise AssertionError("the handler ran without a database")


async def test_no_dead_letter_while_the_database_is_away() -> None:
    db = Database(f"postgresql://nobody:nothing@127.0.0.1:{_nobody_listens()}/none", pool_size=1)
    dead_letters = _DeadLetters()
    consumer = InboxConsumer(name="test.away", db=db, bootstrap_servers="127.0.0.1:1",
                             subscriptions=[Subscription(_Noticed, _never_called)],
                             dead_letters=dead_letters,  # type: ignore[arg-type]
                             max_attempts=3, retry_delay=0.05)
    envelope = Envelope(type=_Noticed.event_type, source="kyodo/test", subject="x",
                        municipality="152048", data=b'{"what": "x"}')
    message = ConsumerRecord(topic=_Noticed.topic, partition=0, offset=0, timestamp=0,
                             timestamp_type=0, key=b"x", value=envelope.data, checksum=None,
                             serialized_key_size=1, serialized_value_size=len(envelope.data),
                             headers=envelope.kafka_headers())
    handling = asyncio.create_task(consumer.handle(message))
    try:
        await asyncio.sleep(3)  # three attempts would take 0.15 s
        assert not handling.done(), "the consumer gave up on the event"
        assert dead_letters.sent == [] and consumer.dead_lettered == 0
    finally:
        handling.cancel()
        await asyncio.gather(handling, return_exceptions=True)
        await db.dispose()
