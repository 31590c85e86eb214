"""Assessments in PostgreSQL: the store the use cases write through (a new version and its
event by binary COPY, a collection switch) and the views the routes read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_tax.adapters import inputs_store
from kyodo_tax.adapters.assessment_store import Assessed, write_assessments
from kyodo_tax.adapters.inputs_store import plan_to_json
from kyodo_tax.adapters.raw import raw_connection
from kyodo_tax.adapters.tables import assessments
from kyodo_tax.domain.inputs import Declaration, FiledReport
from kyodo_tax.domain.instalments import CollectionPlan, SwitchReason
from kyodo_tax.domain.residence import DependantOnJanuaryFirst
from kyodo_tax.domain.versions import PreviousAssessment
from kyodo_tax.service_layer.ports import AssessedMeanwhile, CollectedAssessment

_SELECT = sa.text("SELECT * FROM assessments WHERE id = :id")
_OF_PERSON = sa.text("SELECT * FROM assessments WHERE platform_person_id = :p "
                     "AND (CAST(:y AS integer) IS NULL OR fiscal_year = :y) "
                     "AND (CAST(:after_year AS integer) IS NULL "
                     "     OR (fiscal_year, version) < (:after_year, :after_version)) "
                     "ORDER BY fiscal_year DESC, version DESC LIMIT :n")


class SqlInputs:
    """The inputs of many persons' assessments over the transaction's asyncpg connection."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def reports_of(self, fiscal_year: int, persons: Sequence[UUID]
                         ) -> dict[UUID, list[FiledReport]]:
        return await inputs_store.reports_of(self.conn, fiscal_year, persons)

    async def declarations_of(self, fiscal_year: int, persons: Sequence[UUID]
                              ) -> dict[UUID, Declaration]:
        return await inputs_store.declarations_of(self.conn, fiscal_year, persons)

    async def previous_of(self, fiscal_year: int, persons: Sequence[UUID]
                          ) -> dict[UUID, PreviousAssessment]:
        return await inputs_store.previous_of(self.conn, fiscal_year, persons)

    async def dependants_on_january_first(self, fiscal_year: int, persons: Sequence[UUID]
                                          ) -> dict[UUID, DependantOnJanuaryFirst]:
        return await inputs_store.dependants_on_january_first(self.conn, fiscal_year, persons)


class SqlAssessments:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def inputs(self) -> SqlInputs:
        return SqlInputs(await raw_connection(self.session))

    async def write(self, items: Sequence[Assessed], *, municipality_code: str,
                    assessed_on: date, source: str) -> None:
        try:
            await write_assessments(await raw_connection(self.session), items,
                                    municipality_code=municipality_code, job_id=None,
                                    assessed_on=assessed_on, source=source)
        except asyncpg.UniqueViolationError:
            raise AssessedMeanwhile from None

    async def latest_id(self, fiscal_year: int, platform_person_id: UUID) -> UUID:
        latest: UUID = (await self.session.execute(
            sa.select(assessments.c.id).where(
                assessments.c.fiscal_year == fiscal_year,
                assessments.c.platform_person_id == platform_person_id)
            .order_by(assessments.c.version.desc()).limit(1))).scalar_one()
        return latest

    async def latest_version(self, fiscal_year: int, platform_person_id: UUID) -> int:
        a = assessments.c
        latest: int = (await self.session.execute(sa.select(sa.func.max(a.version)).where(
            a.fiscal_year == fiscal_year,
            a.platform_person_id == platform_person_id))).scalar_one()
        return latest

    async def for_switch(self, assessment_id: UUID) -> CollectedAssessment | None:
        a = assessments.c
        row = (await self.session.execute(sa.select(
            a.fiscal_year, a.platform_person_id, a.version, a.collection,
            sa.cast(a.instalments, sa.Text).label("instalments"))
            .where(a.id == assessment_id).with_for_update())).first()
        if row is None:
            return None
        return CollectedAssessment(row.fiscal_year, row.platform_person_id, row.version,
                                   row.collection, row.instalments)

    async def switch(self, assessment_id: UUID, *, plan: CollectionPlan, collection: str,
                     on: date, reason: SwitchReason) -> None:
        await self.session.execute(sa.update(assessments).where(
            assessments.c.id == assessment_id).values(
            instalments=json.loads(plan_to_json(plan)), collection=collection,
            switched_on=on, switch_reason=reason.value))


async def assessment(session: AsyncSession, assessment_id: UUID) -> Any:
    """The assessment's row, or None."""
    return (await session.execute(_SELECT, {"id": assessment_id})).first()


async def assessments_of_person(session: AsyncSession, platform_person_id: UUID, *,
                                fiscal_year: int | None, after: tuple[Any, Any],
                                limit: int) -> list[Any]:
    """Newest first, after the (fiscal_year, version) of a previous page; ``limit`` rows."""
    return list((await session.execute(_OF_PERSON, {
        "p": platform_person_id, "y": fiscal_year, "after_year": after[0],
        "after_version": after[1], "n": limit})).all())

