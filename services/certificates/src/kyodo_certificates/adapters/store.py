"""The certificates store: every statement an issuance or a voiding makes, in its transaction.

The drafting transaction of an issuance (read models, rules, the day's serials) builds it on
its session; the write pipeline's unit of work (``CertificatesUnitOfWork``) carries one whose
writes are staged and go out in one statement at commit (ADR 0010). Handlers see only these
methods, so a fake store (kyodo_certificates.testing) runs them without PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters import read_models
from kyodo_certificates.adapters.tables import certificates
from kyodo_certificates.domain.damage_report import DeclaredDisaster
from kyodo_certificates.domain.kinds import Status
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.upstream.disaster import DamageAssessed
from kyodo_certificates.upstream.tax import TaxAssessed
from kyodo_common import idempotency
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import StagedWrites
from kyodo_common.idempotency import StoredResponse

SOURCE = "kyodo/certificates"


class CertificatesStore:
    """The read models an issuance reads, its serials, and the issued copies it writes."""

    def __init__(self, session: AsyncSession, staged: StagedWrites | None = None) -> None:
        self.session = session
        self.staged = staged

    # -- the read models (drafting) --
    async def municipality(self, code: str) -> Municipality | None:
        return await read_models.municipality(self.session, code)

    async def resident(self, resident_id: UUID) -> Registered | None:
        return await read_models.resident(self.session, resident_id)

    async def with_household(self, resident_id: UUID
                             ) -> tuple[Registered | None, list[Registered]]:
        return await read_models.with_household(self.session, resident_id)

    async def household_has_protected_member(self, household_id: UUID) -> bool:
        return await read_models.household_has_protected_member(self.session, household_id)

    async def tax_assessment(self, resident_id: UUID, fiscal_year: int) -> TaxAssessed | None:
        return await read_models.tax_assessment(self.session, resident_id, fiscal_year)

    async def damage_assessment(self, assessment_id: UUID) -> DamageAssessed | None:
        return await read_models.damage_assessment(self.session, assessment_id)

    async def declared_disaster(self, disaster_id: UUID) -> DeclaredDisaster | None:
        return await read_models.declared_disaster(self.session, disaster_id)

    # -- the issuance --
    async def answered(self, *, code: str, caller: str, key: str,
                       fingerprint: str) -> StoredResponse | None:
        """The answer already given for this key, without claiming it (the pipeline claims it
        in the storing transaction, after rendering)."""
        return await idempotency.answered(self.session, municipality_code=code, caller=caller,
                                          key=key, request_fingerprint=fingerprint)

    async def take_serials(self, code: str, day: date, count: int) -> int:
        return await take_serials(self.session, code, day, count)

    def add_copies(self, rows: list[dict[str, Any]]) -> None:
        """The issued copies' rows, staged: they go out with the access log, the stored
        answer and the outbox in one statement at commit."""
        assert self.staged is not None, "copies are added in a unit of work"
        self.staged.insert("certificates", rows)

    # -- voiding --
    async def certificate_to_void(self, certificate_id: UUID) -> Any:
        """The copy's status, kind and issuer, locked (None: unknown or not visible)."""
        c = certificates.c
        return (await self.session.execute(
            sa.select(c.status, c.kind, c.issued_by, c.issued_by_home)
            .where(c.id == certificate_id).with_for_update())).first()

    async def void(self, certificate_id: UUID, *, reason: str, now: datetime) -> None:
        await void_copies(self.session, [certificate_id], reason=reason, now=now)


# Every issuance takes its serials: on the transaction's own asyncpg connection, past
# SQLAlchemy's statement machinery and its span (about 0.2 ms of the API's CPU a statement).
_TAKE_SERIALS = (
    "INSERT INTO issue_serials AS s (municipality_code, day, last_serial) VALUES ($1, $2, $3) "
    "ON CONFLICT (municipality_code, day) DO UPDATE SET last_serial = s.last_serial + $3 "
    "RETURNING last_serial")


async def take_serials(session: AsyncSession, code: str, day: date, count: int) -> int:
    """The first of `count` consecutive serials of the municipality's day (row-locked)."""
    last = await (await raw_connection(session)).fetchval(_TAKE_SERIALS, code, day, count)
    return int(last) - count + 1


async def void_copies(session: AsyncSession, certificate_ids: list[UUID], *, reason: str,
                      now: datetime) -> None:
    await session.execute(sa.update(certificates).where(
        certificates.c.id.in_(certificate_ids)).values(
        status=Status.VOIDED.value, voided_at=now, void_reason=reason))


class CertificatesUnitOfWork(UnitOfWork):
    """``uow.store``: the certificates store on this unit of work's session and staged rows."""

    def __init__(self, db: Database, *, municipality_code: str) -> None:
        super().__init__(db, source=SOURCE, municipality_code=municipality_code)
        self._store: CertificatesStore | None = None

    @property
    def store(self) -> CertificatesStore:
        if self._store is None or self._store.session is not self.session:
            self._store = CertificatesStore(self.session, self.staged)
        self._store.staged = self.staged
        return self._store
