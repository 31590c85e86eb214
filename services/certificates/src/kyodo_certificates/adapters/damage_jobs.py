"""The 罹災証明書 job's store (service_layer/damage_issuing.py): its requests, houses, serials
and copies, in the job's two transactions per chunk."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.store import CertificatesStore, CertificatesUnitOfWork
from kyodo_certificates.adapters.tables import (
    certificates,
    damage_assessments,
    resident_snapshots,
)
from kyodo_certificates.adapters.tables import damage_issuances as requests
from kyodo_certificates.domain.kinds import RequestStatus
from kyodo_common.db import Database
from kyodo_common.db.staged import StagedWrites

# The job queue's (kyodo_common.jobs): a disaster with pending requests, per municipality.
RUNNABLE = "SELECT job_id, municipality_code FROM runnable_damage_issuances()"
KEY = (requests.c.application_id, requests.c.survey_version)
Key = tuple[uuid.UUID, int]


def pending_requests(disaster_id: uuid.UUID, *, max_attempts: int,
                     busy: Sequence[Key], limit: int) -> sa.Select[Any]:
    """The disaster's next pending requests that may be tried now, oldest first, but those
    ``busy`` (drawn by a chunk in flight, not stored yet)."""
    statement = sa.select(requests).where(
        requests.c.disaster_id == disaster_id,
        requests.c.status == RequestStatus.PENDING.value,
        requests.c.attempts < max_attempts,
        sa.or_(requests.c.retry_at.is_(None), requests.c.retry_at <= sa.func.now()))
    if busy:
        statement = statement.where(sa.tuple_(*KEY).not_in(list(busy)))
    return statement.order_by(requests.c.recorded_at, requests.c.application_id).limit(limit)


class DamageJobStore(CertificatesStore):
    """The read models a 罹災証明書's draft reads (CertificatesStore) and the job's own rows."""

    def __init__(self, session: AsyncSession, staged: StagedWrites | None = None) -> None:
        super().__init__(session, staged)

    async def pending(self, disaster_id: uuid.UUID, *, max_attempts: int, busy: Sequence[Key],
                      limit: int) -> list[Any]:
        return list((await self.session.execute(pending_requests(
            disaster_id, max_attempts=max_attempts, busy=busy, limit=limit))).all())

    async def houses(self, houses: set[uuid.UUID]) -> dict[uuid.UUID, tuple[int, bool]]:
        """Per house: the survey its read model holds now (events before the field count as
        1), and whether its 世帯主 is known to the register read model (or there is none)."""
        d, r = damage_assessments.c, resident_snapshots.c
        version = sa.func.coalesce(d.facts["survey_version"].astext.cast(sa.Integer), 1)
        named = sa.or_(d.resident_id.is_(None),
                       sa.exists().where(r.resident_id == d.resident_id))
        rows = (await self.session.execute(sa.select(d.assessment_id, version, named).where(
            d.assessment_id.in_(houses)))).all()
        return {house: (int(survey), bool(known)) for house, survey, known in rows}

    async def close(self, key: Key, *, status: str, reason: str) -> None:
        """A request still pending, closed (superseded, refused)."""
        await self.session.execute(sa.update(requests).where(
            sa.tuple_(*KEY) == key, requests.c.status == RequestStatus.PENDING.value,
        ).values(status=status, reason=reason[:500]))

    async def spend_attempt(self, keys: Sequence[Key], reason: str, *, max_attempts: int,
                            defer_seconds: int | None) -> None:
        """One more attempt spent by these pending requests; failed after the last. With
        ``defer_seconds``, each waits that many seconds more at each attempt."""
        attempts = requests.c.attempts + 1
        await self.session.execute(sa.update(requests).where(
            sa.tuple_(*KEY).in_(list(keys)), requests.c.status == RequestStatus.PENDING.value,
        ).values(attempts=attempts, reason=reason[:500],
                 retry_at=(sa.func.now() + sa.func.make_interval(
                     0, 0, 0, 0, 0, 0, attempts * defer_seconds))
                 if defer_seconds is not None else None,
                 status=sa.case((attempts >= max_attempts, RequestStatus.FAILED.value),
                                else_=requests.c.status)))

    async def still_pending(self, keys: Sequence[Key]) -> set[Key]:
        """Those of these requests still pending, locked (one another transaction is changing
        is skipped, for the next chunk)."""
        return set((await self.session.execute(
            sa.select(*KEY).where(sa.tuple_(*KEY).in_(list(keys)),
                                  requests.c.status == RequestStatus.PENDING.value)
            .order_by(*KEY).with_for_update(skip_locked=True))).tuples())

    async def store_copies(self, rows: list[dict[str, Any]], issued: list[dict[str, Any]]
                           ) -> None:
        """The copies (one executemany) and the requests issued (staged, at commit)."""
        assert self.staged is not None
        await self.session.execute(sa.insert(certificates), rows)
        self.staged.update("damage_issuances", issued,
                           key=("municipality_code", "application_id", "survey_version"))


@asynccontextmanager
async def planning(db: Database, code: str) -> AsyncIterator[DamageJobStore]:
    """A chunk's first transaction (commits when the block ends)."""
    async with db.tenant_transaction(code) as session:
        yield DamageJobStore(session)


class DamageJobUnitOfWork(CertificatesUnitOfWork):
    """A chunk's storing transaction: ``uow.jobs`` on its session and staged rows."""

    @property
    def jobs(self) -> DamageJobStore:
        return DamageJobStore(self.session, self.staged)
