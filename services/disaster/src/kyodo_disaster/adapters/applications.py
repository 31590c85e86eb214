"""罹災証明書 applications: stored, found, marked ready."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from kyodo_disaster_events import CertificateRequest
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_disaster.adapters.arrays import any_of
from kyodo_disaster.adapters.tables import applications
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.application import ApplicationStatus


async def applied(session: AsyncSession, house_ids: Collection[uuid.UUID]
                  ) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(house, applicant) of the applications already made for these houses."""
    if not house_ids:
        return set()
    rows = (await session.execute(
        sa.select(applications.c.house_id, applications.c.applicant_resident_id)
        .where(any_of(applications.c.house_id, house_ids)))).all()
    return {(house_id, applicant) for house_id, applicant in rows}


async def insert_applications(session: AsyncSession, new: Sequence[dict[str, Any]], *,
                              code: str, disaster_id: uuid.UUID, applied_on: date) -> None:
    if new:
        await session.execute(sa.insert(applications), [{
            "municipality_code": code, "disaster_id": disaster_id, "applied_on": applied_on,
            "status": ApplicationStatus.RECEIVED.value, "version": 1, **a} for a in new])


async def for_update(session: AsyncSession, ids: Collection[uuid.UUID]
                     ) -> dict[uuid.UUID, sa.Row[Any]]:
    rows = (await session.execute(
        sa.select(applications).where(any_of(applications.c.id, ids))
        .order_by(applications.c.id).with_for_update())).all()
    return {row.id: row for row in rows}


async def mark_ready(session: AsyncSession, ids: Collection[uuid.UUID], *,
                     job_id: uuid.UUID, actor: Actor) -> None:
    """Ready for issuance, with the job and its requester (the actor of the issuance)."""
    if ids:
        await session.execute(
            sa.update(applications).where(any_of(applications.c.id, ids))
            .values(status=ApplicationStatus.READY.value, ready_at=datetime.now(UTC),
                    version=applications.c.version + 1, ready_job_id=job_id,
                    ready_by=actor.subject, ready_by_home=actor.home,
                    ready_grant_id=actor.grant_id))


async def ready_requests(session: AsyncSession, house_ids: Sequence[uuid.UUID]
                         ) -> dict[uuid.UUID, list[CertificateRequest]]:
    """The applications marked ready for each house, oldest first (the house's event carries
    them to certificates)."""
    a = applications.c
    rows = (await session.execute(
        sa.select(a.house_id, a.id, a.applicant_resident_id, a.copies, a.ready_job_id,
                  a.ready_by, a.ready_by_home, a.ready_grant_id)
        .where(any_of(a.house_id, house_ids), a.status == ApplicationStatus.READY.value)
        .order_by(a.house_id, a.ready_at, a.id))).all()
    found: dict[uuid.UUID, list[CertificateRequest]] = {}
    for row in rows:
        found.setdefault(row.house_id, []).append(CertificateRequest(
            application_id=row.id, applicant_resident_id=row.applicant_resident_id,
            copies=row.copies, job_id=row.ready_job_id, requested_by=row.ready_by,
            requested_by_home=row.ready_by_home, grant_id=row.ready_grant_id))
    return found


async def application(session: AsyncSession, application_id: uuid.UUID) -> Any:
    """The application's row, or None."""
    return (await session.execute(
        sa.select(applications).where(applications.c.id == application_id))).first()


async def applications_of(session: AsyncSession, disaster_id: uuid.UUID, *,
                          status: ApplicationStatus | None, after: uuid.UUID | None,
                          limit: int) -> list[Any]:
    """The disaster's applications in id order (of one status, if given), after a previous
    page's last."""
    query = sa.select(applications).where(applications.c.disaster_id == disaster_id)
    if status is not None:
        query = query.where(applications.c.status == status.value)
    if after is not None:
        query = query.where(applications.c.id > after)
    return list((await session.execute(query.order_by(applications.c.id).limit(limit))).all())
