"""The worker's loop over requested 罹災証明書 (kyodo_common.jobs does the waking and retries).

A job is a disaster with pending requests in one municipality, found through
`runnable_damage_issuances()` and woken by NOTIFY when the consumer records requests. A chunk
that fails spends an attempt of its own requests (damage_issuing._record_failure), so the
queue's own failure record has nothing left to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from kyodo_certificates.adapters.damage_jobs import RUNNABLE
from kyodo_certificates.rendering.fonts import register_font
from kyodo_certificates.rendering.pool import RenderPool
from kyodo_certificates.service_layer.damage_issuing import issue_pending
from kyodo_certificates.service_layer.issuing import Issuing
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue, run_job_loop, run_pending

QUEUE = JobQueue(name="damage certificates", channel="kyodo_certificates_jobs",
                 runnable_sql=RUNNABLE)


class DamageCertificates:
    """Runs one disaster's pending requests; the keys are loaded and the render processes
    (niced: the job takes the CPU the counters leave) started on first use."""

    def __init__(self, settings: CertificatesSettings) -> None:
        self.settings = settings
        self._issuing: Issuing | None = None
        self._pool: RenderPool | None = None

    async def issuing(self, db: Database) -> Issuing:
        if self._issuing is None or self._issuing.db is not db:
            register_font()  # parsed once, before the first PDF
            keyring = await Keyring.load(db, self.settings.sealing_keys,
                                         self.settings.root_ca)
            if self._pool is None and self.settings.job_render_processes:
                self._pool = RenderPool(self.settings.job_render_processes,
                                        nice=self.settings.job_nice)
                await asyncio.to_thread(self._pool.warm)
            self._issuing = Issuing(db=db, keyring=keyring,
                                    verify_base_url=self.settings.verify_base_url.rstrip("/"),
                                    pool=self._pool)
        return self._issuing

    async def run_one(self, db: Database, disaster_id: Any, code: str,
                      should_stop: Callable[[], bool]) -> None:
        await issue_pending(await self.issuing(db), disaster_id=disaster_id, code=code,
                            chunk_size=self.settings.job_chunk_size, should_stop=should_stop,
                            in_flight=self.settings.job_chunks_in_flight)

    async def close(self) -> None:
        """Stops the render processes (the worker stopping)."""
        if self._pool is not None:
            pool, self._pool, self._issuing = self._pool, None, None
            await asyncio.to_thread(pool.close)


async def _recorded_by_the_chunk(db: Database, job_id: Any, code: str, error: str) -> None:
    return None


async def run_pending_damage_certificates(db: Database, settings: CertificatesSettings,
                                          stop: asyncio.Event) -> int:
    """One round over every runnable disaster (the loop's body; tests call it directly)."""
    jobs = DamageCertificates(settings)
    try:
        return await run_pending(db, QUEUE, stop, run_one=jobs.run_one,
                                 record_failure=_recorded_by_the_chunk)
    finally:
        await jobs.close()


async def run_damage_certificates(settings: CertificatesSettings, stop: asyncio.Event) -> None:
    jobs = DamageCertificates(settings)
    try:
        await run_job_loop(settings.database_url, QUEUE, stop, run_one=jobs.run_one,
                           record_failure=_recorded_by_the_chunk,
                           poll_seconds=settings.job_poll_seconds)
    finally:
        await jobs.close()
