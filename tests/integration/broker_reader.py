"""A worker that only reads (kyodo_common.worker.run_worker, no relay), run as its own process
as the launcher runs workers: the reader of test_broker_came_back_empty.py.

It applies `Numbered` events with certificates' database, where its inbox row is the proof
that an event was handled. The handler of event number HELD creates the file named by
KYODO_TEST_HOLDING, then waits in its transaction while the file named by KYODO_TEST_HOLD
exists: the test holds the worker with events applied and their offsets not yet committed.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.events import Envelope
from kyodo_common.events.inbox import Subscription
from kyodo_common.events.model import DomainEvent
from kyodo_common.settings import ServiceSettings
from kyodo_common.worker import run_process, run_worker

TOPIC = "kyodo.test-broker-came-back-empty.v1"
HELD = 49


class Numbered(DomainEvent):
    event_type: ClassVar[str] = "jp.kyodo.test.numbered.v1"
    topic: ClassVar[str] = TOPIC
    number: int

    @property
    def subject(self) -> str:
        return str(self.number)


async def _apply(session: AsyncSession, event: Numbered, envelope: Envelope) -> None:
    """Nothing but the inbox row, and the held event's wait."""
    if event.number != HELD:
        return
    await asyncio.to_thread(Path(os.environ["KYODO_TEST_HOLDING"]).touch)
    hold = Path(os.environ["KYODO_TEST_HOLD"])
    while await asyncio.to_thread(hold.exists):
        await asyncio.sleep(0.05)


if __name__ == "__main__":
    run_process(run_worker(ServiceSettings(), consumer_name=os.environ["KYODO_TEST_GROUP"],
                           subscriptions=[Subscription(Numbered, _apply)], relay=False))
