"""The certificates service's reads: every statement its read routes and verification make,
run in the caller's tenant transaction (row-level security hides what the caller may not see,
支援措置 included)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters import read_models
from kyodo_certificates.adapters.tables import (
    certificates,
    damage_assessments,
    resident_snapshots,
)
from kyodo_certificates.adapters.tables import damage_issuances as requests
from kyodo_certificates.domain.kinds import Kind, RequestStatus, Status
from kyodo_certificates.domain.people import Municipality

MAX_LISTED = 100  # refused or failed requests listed in a disaster's progress


class CertificatesViews:
    """``CertificatesViews(session)``: the reads of one tenant transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def resident_snapshot(self, resident_id: UUID) -> Any:
        return (await self.session.execute(sa.select(resident_snapshots).where(
            resident_snapshots.c.resident_id == resident_id))).first()

    async def certificate(self, certificate_id: UUID, columns: Sequence[str]) -> Any:
        """The copy's record, these columns only (None: unknown or not visible)."""
        return (await self.session.execute(sa.select(*(certificates.c[name] for name in columns))
                                           .where(certificates.c.id == certificate_id))).first()

    async def sealed_pdf(self, certificate_id: UUID) -> bytes:
        found: bytes = (await self.session.execute(sa.select(certificates.c.pdf).where(
            certificates.c.id == certificate_id))).scalar_one()
        return found

    async def all_visible(self, resident_ids: list[UUID]) -> bool:
        return await read_models.all_visible(self.session, resident_ids)

    async def municipality(self, code: str) -> Municipality | None:
        return await read_models.municipality(self.session, code)

    async def by_verification_code(self, code: str) -> Any:
        """What verification checks of a copy: its clear columns, sealed content, hashes and
        signatures."""
        c = certificates.c
        return (await self.session.execute(sa.select(
            c.id, c.kind, c.title, c.issued_on, c.municipality_code, c.status, c.voided_at,
            c.content, c.content_signature, c.pdf_sha256, c.pdf_signature, c.key_id,
            c.verification_code).where(c.verification_code == code))).first()

    async def damage_progress(self, disaster_id: UUID
                              ) -> tuple[dict[str, int], int, int, list[Any]]:
        """The disaster's requests by status, its houses, its copies issued and the first
        MAX_LISTED requests refused or failed."""
        session = self.session
        counts = dict((await session.execute(
            sa.select(requests.c.status, sa.func.count())
            .where(requests.c.disaster_id == disaster_id)
            .group_by(requests.c.status))).tuples().all())
        houses = (await session.execute(sa.select(sa.func.count()).where(
            damage_assessments.c.disaster_id == disaster_id))).scalar_one()
        copies = (await session.execute(sa.select(sa.func.count()).select_from(
            certificates.join(requests, sa.and_(
                certificates.c.application_id == requests.c.application_id,
                certificates.c.survey_version == requests.c.survey_version))).where(
            requests.c.disaster_id == disaster_id, certificates.c.kind == Kind.DAMAGE.value,
            certificates.c.status == Status.ISSUED.value))).scalar_one()
        problems = (await session.execute(
            sa.select(requests.c.application_id, requests.c.survey_version,
                      requests.c.status, requests.c.reason)
            .where(requests.c.disaster_id == disaster_id,
                   requests.c.status.in_([RequestStatus.REFUSED.value,
                                          RequestStatus.FAILED.value]))
            .order_by(requests.c.recorded_at, requests.c.application_id)
            .limit(MAX_LISTED))).all()
        return counts, houses, copies, list(problems)

    async def damage_requests(self, disaster_id: UUID, *, status: RequestStatus | None,
                              application_id: UUID | None, after: UUID | None, limit: int
                              ) -> list[UUID]:
        """Up to ``limit`` ids of the disaster's applications (with a request in ``status``),
        in id order after ``after``."""
        r = requests.c
        found = sa.select(r.application_id).where(r.disaster_id == disaster_id)
        if status is not None:
            found = found.where(r.status == status.value)
        if application_id is not None:
            found = found.where(r.application_id == application_id)
        if after is not None:
            found = found.where(r.application_id > after)
        return list((await self.session.execute(
            found.group_by(r.application_id).order_by(r.application_id).limit(limit)
        )).scalars())

    async def requests_of(self, disaster_id: UUID, applications: list[UUID], *,
                          status: RequestStatus | None) -> tuple[list[Any], list[Any]]:
        """These applications' requests (in ``status``) and their copies."""
        r = requests.c
        rows = (await self.session.execute(sa.select(requests).where(
            r.application_id.in_(applications), r.disaster_id == disaster_id,
            *([r.status == status.value] if status is not None else []))
            .order_by(r.application_id, r.survey_version))).all()
        copies = (await self.session.execute(sa.select(
            certificates.c.id, certificates.c.application_id, certificates.c.survey_version,
            certificates.c.copy_number, certificates.c.verification_code,
            certificates.c.status).where(certificates.c.application_id.in_(applications))
            .order_by(certificates.c.copy_number))).all()
        return list(rows), list(copies)
