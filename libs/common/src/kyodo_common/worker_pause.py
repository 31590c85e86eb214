"""A worker paused while the launcher replaces its embedded broker (kyodo_launcher.broker).

The embedded broker keeps its log in memory, so the launcher starts it again empty (its memory
bound, or a crash). Nothing a worker learnt from the old broker may live into the new one: a
consumer's positions, kept in memory, would be committed into the new broker and skip what it
holds below them (kyodo_launcher.broker.start_empty says how). Killing the workers did that,
but starting seven Python processes again took 7-12 s of CPU at every rotation, and the
counters waited seconds meanwhile (2026-12-08's soak: p99 1.5-2.7 s in every window). Paused
instead, a worker stops its relay, consumer and metrics sampler as it does at SIGTERM, writes
the file the launcher named in ``KYODO_WORKER_PAUSED_FILE`` and waits; resumed, it removes the
file and starts them again with new clients, which know only the new broker. Its own loops
(job queues, schedules: PostgreSQL only) go on meanwhile.

PAUSE_SIGNAL asks for the pause, RESUME_SIGNAL ends it. A worker that does not write its file
in time is killed, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger(__name__)

PAUSE_SIGNAL = signal.SIGUSR1
RESUME_SIGNAL = signal.SIGUSR2
PAUSED_FILE_ENV = "KYODO_WORKER_PAUSED_FILE"


class PauseRequests:
    """The launcher's pause and resume, as this worker received them."""

    def __init__(self, paused_file: str | os.PathLike[str] | None) -> None:
        self.paused_file = Path(paused_file) if paused_file else None
        self.wanted = False
        self.acknowledged = False
        self._changed = asyncio.Event()

    @classmethod
    def from_environment(cls) -> PauseRequests:
        return cls(os.environ.get(PAUSED_FILE_ENV) or None)

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.add_signal_handler(PAUSE_SIGNAL, self.pause)
        loop.add_signal_handler(RESUME_SIGNAL, self.resume)

    def pause(self) -> None:
        self.wanted = True
        self._changed.set()
        if self.acknowledged:  # still paused (a resume and a new pause came together): the
            self.acknowledge()  # launcher removed the file when it asked again

    def resume(self) -> None:
        self.wanted = False
        self._changed.set()

    async def until(self, wanted: bool, stop: asyncio.Event) -> None:
        """Until the pause is ``wanted`` (or not), or the worker stops."""
        while self.wanted != wanted and not stop.is_set():
            self._changed.clear()
            changed = asyncio.ensure_future(self._changed.wait())
            stopped = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({changed, stopped}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                changed.cancel()
                stopped.cancel()

    def acknowledge(self) -> None:
        self.acknowledged = True
        if self.paused_file is not None:
            self.paused_file.write_text(str(os.getpid()))

    def withdraw(self) -> None:
        self.acknowledged = False
        if self.paused_file is not None:
            self.paused_file.unlink(missing_ok=True)


async def run_sessions(run_session: Callable[[asyncio.Event], Awaitable[None]],
                       stop: asyncio.Event, pauses: PauseRequests) -> None:
    """``run_session`` until ``stop``: each session is given an event that ends it at a pause
    request; paused, the worker acknowledges and waits for the resume, then starts a new
    session (its clients new). Returns when ``stop`` is set; a session's error propagates."""
    while not stop.is_set():
        ended = asyncio.Event()

        async def end_session(ended: asyncio.Event = ended) -> None:
            await pauses.until(True, stop)
            ended.set()

        ender = asyncio.ensure_future(end_session())
        try:
            await run_session(ended)
        finally:
            ender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ender
        if stop.is_set():
            return
        if pauses.wanted:
            pauses.acknowledge()
            log.info("paused while the broker is replaced")
            try:
                await pauses.until(False, stop)
            finally:
                pauses.withdraw()
            log.info("resumed")
