"""The register's store: every statement a register procedure makes, in its unit of work.

Reads go to asyncpg on the transaction's own connection; writes are staged in the unit of work
and go out in one statement at commit (adapters.repository, ADR 0010). Handlers see only these
methods, so a fake store (kyodo_residents.testing) runs them without PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from kyodo_residents_events import ResidentState, TransferNoticeIssued
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.audit import record_accesses
from kyodo_common.auth import Principal
from kyodo_common.db import UnitOfWork
from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_residents.adapters import repository
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.adapters.tables import incoming_transfers, protection_measures, residents
from kyodo_residents.domain.model import Household, Person


class RegisterStore:
    """Persons, households, transfer notices, numbers and 支援措置 of one tenant transaction."""

    def __init__(self, uow: UnitOfWork | InboxUnitOfWork) -> None:
        # An event handler's (the inbox's transaction) has no municipality of its own: only
        # offer_transfer and log_access serve it.
        self.uow = cast(UnitOfWork, uow)

    async def person(self, person_id: uuid.UUID) -> Person | None:
        """The person, locked for the rest of the transaction."""
        return await repository.load_person(await self.uow.connection(), person_id)

    async def household(self, household_id: uuid.UUID) -> Household | None:
        """The household with its current members, locked."""
        return await repository.load_household(await self.uow.connection(), household_id)

    async def next_resident_number(self) -> str:
        return await repository.next_resident_number(self.uow.session,
                                                     await self.uow.connection())

    async def next_household_number(self) -> str:
        return await repository.next_household_number(self.uow.session,
                                                      await self.uow.connection())

    async def same_person(self, person: Person) -> list[uuid.UUID]:
        return await repository.same_person(await self.uow.connection(),
                                            self.uow.municipality_code, person)

    async def due_announced(self, today: date, *, limit: int) -> list[Person]:
        return await repository.due_announced(await self.uow.connection(), today, limit=limit)

    async def save(self, changes: Changes, *, effective_date: date, reason: str,
                   late_filing: bool, today: date) -> list[ResidentState]:
        """Stages the changed rows and their history; returns the new states."""
        return await changes.save(self.uow, effective_date=effective_date, reason=reason,
                                  late_filing=late_filing, today=today)

    async def transfers(self, transfer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """The incoming transfer notices named (locked, in id order to avoid deadlocks)."""
        t = incoming_transfers.c
        rows = (await self.uow.session.execute(
            sa.select(incoming_transfers).where(t.id.in_(list(transfer_ids)))
            .order_by(t.id).with_for_update())).all()
        return {row.id: row for row in rows}

    async def use_transfers(self, used: dict[uuid.UUID, uuid.UUID]) -> None:
        """Marks each notice used by the move-in of the resident it maps to."""
        for transfer_id, resident_id in used.items():
            await self.uow.session.execute(sa.update(incoming_transfers).where(
                incoming_transfers.c.id == transfer_id).values(
                completed_resident_id=resident_id))

    async def my_number_holder(self, lookup_hashes: Sequence[bytes],
                               other_than: uuid.UUID) -> uuid.UUID | None:
        """Another resident with this number (under any key in use), if there is one."""
        return (await self.uow.session.execute(sa.select(residents.c.id).where(
            residents.c.my_number_hash.in_(list(lookup_hashes)),
            residents.c.id != other_than))).scalar()

    async def measure_not_ended(self, resident_id: uuid.UUID, on: date) -> uuid.UUID | None:
        """A 支援措置 of the resident in force on that day or starting later."""
        m = protection_measures.c
        return (await self.uow.session.execute(sa.select(m.id).where(
            m.resident_id == resident_id, m.ends_on >= on).limit(1))).scalar()

    async def measure(self, resident_id: uuid.UUID, measure_id: uuid.UUID) -> Any:
        """The resident's measure (id, starts_on, ends_on, extensions), locked; or None."""
        m = protection_measures.c
        return (await self.uow.session.execute(sa.select(protection_measures).where(
            m.id == measure_id, m.resident_id == resident_id).with_for_update())).first()

    async def add_measure(self, *, measure_id: uuid.UUID, resident_id: uuid.UUID,
                          starts_on: date, ends_on: date) -> None:
        await self.uow.session.execute(sa.insert(protection_measures).values(
            id=measure_id, municipality_code=self.uow.municipality_code,
            resident_id=resident_id, starts_on=starts_on, ends_on=ends_on, extensions=0,
            version=1))

    async def extend_measure(self, measure_id: uuid.UUID, *, ends_on: date,
                             extensions: int) -> None:
        m = protection_measures.c
        await self.uow.session.execute(sa.update(protection_measures).where(
            m.id == measure_id).values(ends_on=ends_on, extensions=extensions,
                                       version=m.version + 1))

    def carry_measures(self, persons: Sequence[Person]) -> None:
        """The measures that came with moved-in persons: staged after the persons' rows
        (which they refer to), so call it after ``save``."""
        self.uow.staged.insert("protection_measures", [{
            "id": uuid.uuid4(), "municipality_code": self.uow.municipality_code,
            "resident_id": p.id, "starts_on": p.protected_from, "ends_on": p.protected_until,
            "extensions": 0, "version": 1} for p in persons])


    async def offer_transfer(self, event: TransferNoticeIssued) -> None:
        """A transfer notice addressed here, kept until a move-in uses it (once per notice: a
        redelivered event adds nothing)."""
        await self.uow.session.execute(insert(incoming_transfers).values(
            id=event.transfer_id, municipality_code=event.destination_municipality,
            origin_municipality=event.origin_municipality,
            origin_resident_id=event.resident.resident_id,
            planned_move_date=event.planned_move_date, moved_out_on=event.moved_out_on,
            destination_address=event.destination_address,
            destination_postal_code=event.destination_postal_code,
            resident=event.resident.model_dump(mode="json"),
            residence_status=event.residence_status,
            residence_card_number=event.residence_card_number, stay_until=event.stay_until,
        ).on_conflict_do_nothing())

    async def log_access(self, *, principal: Principal, acting_municipality: str, action: str,
                         subject_ids: Sequence[uuid.UUID], fields: Sequence[str],
                         purpose: str | None, grant_id: str | None,
                         occurred_at: datetime) -> None:
        """Entries of the access log written now, in this transaction (one statement), for
        what happened elsewhere: a certificate another service issued."""
        await record_accesses(self.uow.session, principal=principal,
                              acting_municipality=acting_municipality, action=action,
                              subject_type="resident", subject_ids=[str(i) for i in subject_ids],
                              fields=fields, purpose=purpose, grant_id=grant_id,
                              occurred_at=occurred_at)


async def sealed_my_numbers(session: AsyncSession, *, after: uuid.UUID | None,
                            limit: int) -> list[Any]:
    """The next residents with a stored number (id, my_number_cipher), locked, in id order."""
    r = residents.c
    query = (sa.select(r.id, r.my_number_cipher).where(r.my_number_cipher.is_not(None))
             .order_by(r.id).limit(limit).with_for_update())
    if after is not None:
        query = query.where(r.id > after)
    return list((await session.execute(query)).all())


async def reseal_my_number(session: AsyncSession, resident_id: uuid.UUID, *, cipher: bytes,
                           lookup_hash: bytes) -> None:
    await session.execute(sa.update(residents).where(residents.c.id == resident_id).values(
        my_number_cipher=cipher, my_number_hash=lookup_hash))


_DUE = sa.text("SELECT municipality_code FROM municipalities_with_due_move_outs(:today)")


async def municipalities_with_due_move_outs(session: AsyncSession, today: date) -> list[str]:
    """Through the narrow function of migration 0011, in a platform transaction."""
    return list((await session.execute(_DUE, {"today": today})).scalars())
