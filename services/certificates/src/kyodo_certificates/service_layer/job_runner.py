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

from kyodo_certificates.rendering.fonts import register_font
from kyodo_certificates.service_layer.damage_issuing import issue_pending
from kyodo_certificates.service_layer.issuing import Issuing
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue, run_job_loop, run_pending

QUEUE = JobQueue(name="damage certificates", channel="kyodo_certificates_jobs",
                 runnable_sql="SELECT job_id, municipality_code FROM runnable_damage_issuances()")


class DamageCertificates:
    """Runs one disaster's pending requests; the keys are loaded on first use."""

    def __init__(self, settings: CertificatesSettings) -> None:
        self.settings = settings
        self._issuing: Issuing | None = None

    async def issuing(self, db: Database) -> Issuing:
        if self._issuing is None or self._issuing.db is not db:
            register_font()  # parsed once, before the first PDF
            keyring = await Keyring.load(db, self.settings.sealing_keys,
                                         self.settings.root_ca)
            self._issuing = Issuing(db=db, keyring=keyring,
                                    verify_base_url=self.settings.verify_base_url.rstrip("/"))
        return self._issuing

    async def run_one(self, db: Database, disaster_id: Any, code: str,
                      should_stop: Callable[[], bool]) -> None:
        await issue_pending(await self.issuing(db), disaster_id=disaster_id, code=code,
                            chunk_size=self.settings.job_chunk_size, should_stop=should_stop)


async def _recorded_by_the_chunk(db: Database, job_id: Any, code: str, error: str) -> None:
    return None


async def run_pending_damage_certificates(db: Database, settings: CertificatesSettings,
                                          stop: asyncio.Event) -> int:
    """One round over every runnable disaster (the loop's body; tests call it directly)."""
    return await run_pending(db, QUEUE, stop, run_one=DamageCertificates(settings).run_one,
                             record_failure=_recorded_by_the_chunk)


async def run_damage_certificates(settings: CertificatesSettings, stop: asyncio.Event) -> None:
    await run_job_loop(settings.database_url, QUEUE, stop,
                       run_one=DamageCertificates(settings).run_one,
                       record_failure=_recorded_by_the_chunk,
                       poll_seconds=settings.job_poll_seconds)
