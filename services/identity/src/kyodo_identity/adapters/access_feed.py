"""Wakes the gateways' long-polls when grants or revocations change (LISTEN kyodo_access).

Every identity API process holds one LISTEN connection; the migration's triggers NOTIFY in
the changing transaction, so the notification arrives once it has committed, whichever
process made the change. The version is this process's count of notifications (prefixed with
a per-process id, so that a gateway talking to another process simply reads the snapshot
again). While the connection is down nothing proves that nothing changed: ``listening`` says
so, and the gateway reads the snapshot rather than trusting the version.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

import asyncpg

from kyodo_common.db import asyncpg_dsn

logger = logging.getLogger("kyodo.identity")

CHANNEL = "kyodo_access"
# How often the LISTEN connection is proven alive, and how soon a lost one is replaced.
_CHECK_SECONDS = 2.0
_RETRY_SECONDS = 1.0


class AccessFeed:
    def __init__(self, database_url: str) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._boot = uuid.uuid4().hex[:12]
        self._count = 0
        self._changed = asyncio.Event()
        self.listening = False

    @property
    def version(self) -> str:
        return f"{self._boot}.{self._count}"

    def _bump(self, *_: object) -> None:
        self._count += 1
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait(self, after: str, seconds: float) -> str:
        """The version once it differs from ``after``, or after ``seconds`` if it does not
        (or if nothing is listening: then the caller must not trust an unchanged version)."""
        if self.listening and after != self.version:
            return self.version
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await changed.wait()
        return self.version

    async def run(self) -> None:
        """Until cancelled: listen, prove the connection alive now and then, reconnect."""
        failing = False
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(self._dsn, timeout=5)
                await connection.add_listener(CHANNEL, self._bump)
                self.listening = True
                self._bump()  # whatever changed while nobody listened: read it again
                if failing:
                    logger.info("listening for grant and revocation changes again")
                failing = False
                while True:
                    await asyncio.sleep(_CHECK_SECONDS)
                    await connection.fetchval("SELECT 1", timeout=_CHECK_SECONDS)
            except (OSError, TimeoutError, asyncpg.PostgresError,
                    asyncpg.InterfaceError) as exc:
                if not failing:
                    logger.warning("not listening for grant and revocation changes (%s); "
                                   "retrying", type(exc).__name__)
                failing = True
            finally:
                self.listening = False
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.shield(connection.close(timeout=1))
            await asyncio.sleep(_RETRY_SECONDS)
