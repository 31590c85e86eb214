"""The consumer's store: every statement the event handlers (service_layer/when_*.py) make,
in the inbox's transaction (the inbox row commits with the effect). The handlers take it from
their unit of work (``CertificatesInboxUnitOfWork``, ``uow.read_models``), which the worker's
subscriptions build with kyodo_common.events.stores.with_unit_of_work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters import read_models
from kyodo_certificates.adapters.store import SOURCE, void_copies
from kyodo_certificates.adapters.tables import (
    certificates,
    damage_assessments,
    declared_disasters,
    municipalities,
    tax_assessments,
)
from kyodo_certificates.adapters.tables import damage_issuances as requests
from kyodo_certificates.domain.kinds import Kind, RequestStatus, Status
from kyodo_certificates.domain.people import Registered
from kyodo_common.audit import record_accesses
from kyodo_common.auth import Principal
from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import upsert
from kyodo_common.events.model import DomainEvent
from kyodo_common.events.outbox import write_to_outbox
from kyodo_common.events.stores import InboxUnitOfWork


async def _newer_wins(session: AsyncSession, table: sa.Table, values: dict[str, Any],
                      key: Sequence[str]) -> None:
    """Upsert by ``key``; an older version never overwrites a newer one."""
    statement = insert(table).values(**values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[table.c[k] for k in key],
        set_={k: statement.excluded[k] for k in values if k not in key},
        where=table.c.version < statement.excluded.version))


class ReadModelStore:
    """The read models (register, towns, tax, houses, disasters) and the 罹災証明書 requests
    of one inbox transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_residents(self, rows: list[dict[str, Any]]) -> None:
        """asyncpg directly, all of a run's residents in one statement: this runs for every
        register event, and SQLAlchemy compiled the upsert anew for each resident."""
        await upsert(await raw_connection(self.session), "resident_snapshots", rows,
                     conflict=("resident_id",), newer_by="version",
                     also_set={"previous_address": "CASE WHEN t.address <> excluded.address "
                                                   "THEN t.address ELSE t.previous_address END"})

    async def resident(self, resident_id: UUID) -> Registered | None:
        return await read_models.resident(self.session, resident_id)

    async def keep_municipality(self, values: dict[str, Any]) -> None:
        await _newer_wins(self.session, municipalities, values, ("municipality_code",))

    async def keep_disaster(self, values: dict[str, Any]) -> None:
        await _newer_wins(self.session, declared_disasters, values,
                          ("municipality_code", "disaster_id"))

    async def keep_tax_assessment(self, values: dict[str, Any]) -> None:
        await _newer_wins(self.session, tax_assessments, values, ("assessment_id",))

    async def drop_undeclared(self, *, dependant_of: UUID, fiscal_year: int, older_than: int,
                              keep: Sequence[UUID]) -> None:
        """The ＊ records of an earlier version that the newer one no longer names."""
        t = tax_assessments
        await self.session.execute(sa.delete(t).where(
            t.c.dependant_of == dependant_of, t.c.fiscal_year == fiscal_year,
            t.c.version < older_than, t.c.assessment_id.not_in(list(keep))))

    async def keep_damage_assessment(self, values: dict[str, Any]) -> None:
        await _newer_wins(self.session, damage_assessments, values, ("assessment_id",))

    async def house(self, assessment_id: UUID) -> tuple[int, str] | None:
        """The house's version and grade as kept, locked until the transaction ends."""
        row = (await self.session.execute(
            sa.select(damage_assessments.c.version,
                      damage_assessments.c.facts["grade"].astext)
            .where(damage_assessments.c.assessment_id == assessment_id)
            .with_for_update())).first()
        return None if row is None else (int(row[0]), str(row[1]))

    async def void_damage_certificates(self, assessment_id: UUID, *, code: str, reason: str,
                                       now: datetime, principal: Principal
                                       ) -> list[tuple[UUID, str]]:
        """Voids the house's 罹災証明書 still valid (access-logged as ``principal``); returns
        their ids and kinds."""
        c = certificates.c
        issued = [(row.id, row.kind) for row in (await self.session.execute(
            sa.select(c.id, c.kind).where(
                c.assessment_id == assessment_id, c.kind == Kind.DAMAGE.value,
                c.status == Status.ISSUED.value)
            .order_by(c.issued_at).with_for_update())).all()]
        if issued:
            await void_copies(self.session, [i for i, _ in issued], reason=reason, now=now)
            await record_accesses(self.session, principal=principal, acting_municipality=code,
                                  action="certificate.voided", subject_type="certificate",
                                  subject_ids=[str(i) for i, _ in issued], fields=["status"],
                                  purpose=None)
        return issued

    async def standing_applications(self, house_id: UUID, survey_version: int,
                                    standing: Sequence[str]) -> set[UUID]:
        """Applications of the house holding a certificate of an earlier survey."""
        r = requests.c
        return set((await self.session.execute(sa.select(r.application_id).where(
            r.assessment_id == house_id, r.survey_version < survey_version,
            r.status.in_(list(standing))))).scalars())

    async def add_requests(self, rows: list[dict[str, Any]]) -> None:
        """The requests not recorded yet (a redelivered event records nothing twice)."""
        await self.session.execute(insert(requests).values(rows).on_conflict_do_nothing())

    async def close_pending(self, house_id: UUID, survey_version: int, *, status: str,
                            reason: str) -> None:
        """The house's requests of an earlier survey, not issued yet."""
        r = requests.c
        await self.session.execute(sa.update(requests).where(
            r.assessment_id == house_id, r.survey_version < survey_version,
            r.status == RequestStatus.PENDING.value).values(status=status, reason=reason))

    async def mark_requests(self, house_id: UUID, *, among: Sequence[str], status: str,
                            reason: str) -> None:
        r = requests.c
        await self.session.execute(sa.update(requests).where(
            r.assessment_id == house_id, r.status.in_(list(among)),
        ).values(status=status, reason=reason))

    async def publish(self, events: Sequence[DomainEvent], *, code: str) -> None:
        """Events of the handler's change, to the outbox in the same transaction."""
        await write_to_outbox(self.session, list(events), source=SOURCE,
                              municipality_code=code)


class CertificatesInboxUnitOfWork(InboxUnitOfWork):
    """An event handler's: ``uow.read_models`` in the inbox's transaction (one store for
    the handler's whole run of events)."""

    @cached_property
    def read_models(self) -> ReadModelStore:
        return ReadModelStore(self.session)
