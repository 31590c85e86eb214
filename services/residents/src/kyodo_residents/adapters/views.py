"""The register's reads: now or as of a date, households, search, transfers, the access log.

Every statement the read routes make lives here, run in the caller's tenant transaction
(row-level security hides what the caller may not see, 支援措置 included).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kyodo_residents_events import ResidentState
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.assertion import Acting
from kyodo_common.audit import access_log, record_accesses
from kyodo_common.db.engine import raw_connection
from kyodo_jp.household_order import member_order
from kyodo_residents.adapters.repository import person_from_row
from kyodo_residents.adapters.tables import (
    household_history,
    households,
    incoming_transfers,
    resident_history,
    residents,
)
from kyodo_residents.domain.model import Person

_RESIDENT_BY_ID = "SELECT * FROM residents WHERE id = $1"

# The access-log field that flags a read of a person under 支援措置, for the auditors.
PROTECTED_FIELD = "支援措置"

# The log's bigserial id: the order the entries were made, and a unique keyset.
_ACCESS_ID: sa.ColumnClause[int] = sa.literal_column("access_log.id", sa.BigInteger)


class RegisterViews:
    """``RegisterViews(session)``: the reads of one tenant transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def log_reads(self, acting: Acting, code: str, purpose: str,
                        resident_ids: list[UUID], fields: list[str], action: str = "read",
                        protected: set[UUID] | frozenset[UUID] = frozenset()) -> None:
        """One access-log entry per person read, in the read's transaction; reads of protected
        people are flagged (one statement per group, kyodo_common.audit)."""
        for ids, logged_fields in (([i for i in resident_ids if i not in protected], fields),
                                   ([i for i in resident_ids if i in protected],
                                    [*fields, PROTECTED_FIELD])):
            if ids:
                await record_accesses(self.session, principal=acting.principal,
                                      acting_municipality=code, action=action,
                                      subject_type="resident",
                                      subject_ids=[str(i) for i in ids], fields=logged_fields,
                                      purpose=purpose, grant_id=acting.grant_id)

    async def resident(self, resident_id: UUID) -> Any:
        """The resident's row (an asyncpg record), or None.

        asyncpg directly, in the session's transaction: the read behind every counter look-up
        (ADR 0010's rule for hot statements; ADR 0020 measured where a GET's CPU went).
        """
        connection = await raw_connection(self.session)
        return await connection.fetchrow(_RESIDENT_BY_ID, resident_id)

    async def resident_as_of(self, resident_id: UUID, as_of: date) -> Any:
        """The resident's state as registered at the end of that day (None before)."""
        h = resident_history.c
        return (await self.session.execute(
            sa.select(h.state).where(h.resident_id == resident_id, h.effective_date <= as_of)
            .order_by(h.effective_date.desc(), h.id.desc()).limit(1))).scalar()

    async def protection_now(self, resident_id: UUID) -> sa.Row[Any] | None:
        """The resident's measure dates (protected_from, protected_until) as they are now."""
        return (await self.session.execute(sa.select(
            residents.c.protected_from, residents.c.protected_until).where(
            residents.c.id == resident_id))).first()

    async def my_number_cipher(self, resident_id: UUID) -> sa.Row[Any] | None:
        return (await self.session.execute(sa.select(residents.c.my_number_cipher).where(
            residents.c.id == resident_id))).first()

    async def household(self, household_id: UUID) -> sa.Row[Any] | None:
        return (await self.session.execute(
            sa.select(households).where(households.c.id == household_id))).first()

    async def current_members(self, household_id: UUID) -> list[Person]:
        rows = await self.session.execute(sa.select(residents).where(
            residents.c.household_id == household_id, residents.c.status == "resident"))
        return [person_from_row(r) for r in rows]

    async def household_as_of(self, household_id: UUID, as_of: date) -> Any:
        h = household_history.c
        return (await self.session.execute(
            sa.select(h.state).where(h.household_id == household_id, h.effective_date <= as_of)
            .order_by(h.effective_date.desc(), h.id.desc()).limit(1))).scalar()

    async def members_as_of(self, household_id: UUID, as_of: date) -> list[ResidentState]:
        """Everyone whose latest state on that day puts them, as a resident, in the
        household, in certificate order."""
        h = resident_history.c
        ever = sa.select(h.resident_id).where(h.household_id == household_id).distinct()
        latest = (
            sa.select(h.state)
            .where(h.resident_id.in_(ever), h.effective_date <= as_of)
            .order_by(h.resident_id, h.effective_date.desc(), h.id.desc())
            .distinct(h.resident_id))
        states = [ResidentState.model_validate(s)
                  for s in (await self.session.execute(latest)).scalars()]
        members = [s for s in states
                   if s.household_id == household_id and s.status == "resident"]
        return sorted(members, key=member_order)

    async def search(self, *, municipality_code: str, kana_prefix: str | None,
                     name_prefix: str | None, birth_date: date | None,
                     address_contains: str | None,
                     resident_number: str | None, include_former: bool,
                     after: tuple[str, UUID] | None, limit: int) -> list[sa.Row[Any]]:
        """By フリガナ prefix (full-width, readings joined by a space), 氏名 prefix (as
        registered, 氏 and 名 joined by a space), birth date, address or 宛名番号, in
        (kana_full, id) order, at most ``limit`` rows after ``after``."""
        # The municipality is named although row-level security filters it too: the policy
        # alone cannot steer the (municipality_code, kana_full, id) index, and LIKE is not
        # leakproof under forced RLS, so starts_with is what lets PostgreSQL range-scan it.
        r = residents.c
        conditions = [r.municipality_code == municipality_code]
        if kana_prefix:
            conditions.append(sa.func.starts_with(r.kana_full, kana_prefix))
        if name_prefix:  # the same, on the (municipality_code, name_full) index (0013)
            conditions.append(sa.func.starts_with(r.name_full, name_prefix))
        if birth_date:
            conditions.append(r.birth_date == birth_date)
        if address_contains:
            conditions.append(r.address.contains(address_contains, autoescape=True))
        if resident_number:
            conditions.append(r.resident_number == resident_number)
        if not include_former:  # an announced 転出 is still registered here
            conditions.append(r.status.in_(("resident", "announced")))
        if after is not None:
            conditions.append(sa.tuple_(r.kana_full, r.id) > after)
        return list((await self.session.execute(
            sa.select(residents).where(*conditions)
            .order_by(r.kana_full, r.id).limit(limit))).all())

    async def incoming_transfers(self, *, after: tuple[date, UUID] | None,
                                 limit: int) -> list[sa.Row[Any]]:
        """Transfer notices addressed here and not yet used, by move-out date."""
        t = incoming_transfers.c
        query = sa.select(incoming_transfers).where(t.completed_resident_id.is_(None))
        if after is not None:
            query = query.where(sa.tuple_(t.moved_out_on, t.id)
                                > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
        return list((await self.session.execute(
            query.order_by(t.moved_out_on, t.id).limit(limit))).all())

    async def incoming_transfer(self, transfer_id: UUID) -> sa.Row[Any] | None:
        return (await self.session.execute(sa.select(incoming_transfers).where(
            incoming_transfers.c.id == transfer_id))).first()

    async def access_log(self, resident_id: UUID, *, after: int | None,
                         limit: int) -> list[sa.Row[Any]]:
        """Who read or changed the resident's data, in the order the entries were made."""
        query = sa.select(access_log, _ACCESS_ID.label("id")).where(
            access_log.c.subject_id == str(resident_id))
        if after is not None:
            query = query.where(_ACCESS_ID > after)
        return list((await self.session.execute(
            query.order_by(_ACCESS_ID).limit(limit))).all())
