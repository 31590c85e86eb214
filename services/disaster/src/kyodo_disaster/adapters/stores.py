"""The stores of one transaction over PostgreSQL (kyodo_disaster.service_layer.ports)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from kyodo_disaster_events import CertificateRequest
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.audit import record_accesses
from kyodo_common.db import UnitOfWork
from kyodo_common.events import DomainEvent
from kyodo_disaster.adapters import applications, disasters, houses, residents
from kyodo_disaster.adapters.certificate_jobs import SqlCertificateJobs
from kyodo_disaster.adapters.survey_imports import SqlSurveyImports
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.house import House, SurveyRecord


class SqlDisasters:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, disaster_id: uuid.UUID, *, for_update: bool = False
                  ) -> Disaster | None:
        return await disasters.load_disaster(self.session, disaster_id, for_update=for_update)

    async def add(self, disaster: Disaster, *, declared_by: str, declared_by_home: str
                  ) -> None:
        await disasters.insert_disaster(self.session, disaster, declared_by=declared_by,
                                        declared_by_home=declared_by_home)

    async def save(self, disaster: Disaster) -> None:
        await disasters.update_disaster(self.session, disaster)


class SqlHouses:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, house_id: uuid.UUID, *, for_update: bool = False) -> House | None:
        return await houses.load_house(self.session, house_id, for_update=for_update)

    async def locked(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, House]:
        return await houses.houses_by_id(self.session, ids)

    async def at(self, disaster_id: uuid.UUID, keys: Collection[str]) -> dict[str, House]:
        return await houses.houses_at(self.session, disaster_id, keys)

    async def add(self, new: Sequence[House], *, code: str) -> None:
        await houses.insert_houses(self.session, new, code=code)

    async def save(self, changed: Sequence[House]) -> None:
        await houses.save_houses(self.session, changed)

    async def add_surveys(self, records: Sequence[tuple[SurveyRecord, str]], *, code: str,
                          disaster_id: uuid.UUID) -> None:
        await houses.insert_surveys(self.session, records, code=code, disaster_id=disaster_id)

    async def recorded_refs(self, disaster_id: uuid.UUID,
                            refs: Collection[str]) -> dict[str, str]:
        return await houses.recorded_refs(self.session, disaster_id, refs)

    async def surveyed(self, disaster_id: uuid.UUID, *, after: uuid.UUID | None,
                       limit: int) -> list[House]:
        return await houses.surveyed_houses(self.session, disaster_id, after=after,
                                            limit=limit)


class SqlApplications:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def applied(self, house_ids: Collection[uuid.UUID]
                      ) -> set[tuple[uuid.UUID, uuid.UUID]]:
        return await applications.applied(self.session, house_ids)

    async def add(self, new: Sequence[dict[str, Any]], *, code: str, disaster_id: uuid.UUID,
                  applied_on: date) -> None:
        await applications.insert_applications(self.session, new, code=code,
                                               disaster_id=disaster_id, applied_on=applied_on)

    async def locked(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
        return await applications.for_update(self.session, ids)

    async def mark_ready(self, ids: Collection[uuid.UUID], *, job_id: uuid.UUID,
                         actor: Actor) -> None:
        await applications.mark_ready(self.session, ids, job_id=job_id, actor=actor)

    async def ready_requests(self, house_ids: Sequence[uuid.UUID]
                             ) -> dict[uuid.UUID, list[CertificateRequest]]:
        return await applications.ready_requests(self.session, house_ids)


class SqlResidents:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def occupants_at(self, address_keys: Collection[str]) -> dict[str, list[uuid.UUID]]:
        return await residents.occupants_at(self.session, address_keys)

    async def by_id(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
        return await residents.residents_by_id(self.session, ids)

    async def ids_by_number(self, numbers: Collection[str]) -> dict[str, uuid.UUID]:
        return await residents.resident_ids_by_number(self.session, numbers)

    async def household_heads(self, household_ids: Collection[uuid.UUID]
                              ) -> dict[uuid.UUID, uuid.UUID]:
        return await residents.household_heads(self.session, household_ids)

    async def household_sizes(self, household_ids: Collection[uuid.UUID]
                              ) -> dict[uuid.UUID, tuple[int, uuid.UUID | None]]:
        return await residents.household_sizes(self.session, household_ids)


class SqlAccessLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, actor: Actor, *, action: str, subject_type: str,
                     subject_ids: Iterable[str], fields: Sequence[str] = (),
                     purpose: str | None = None) -> None:
        await record_accesses(self.session, principal=actor.principal(),
                              acting_municipality=actor.municipality, action=action,
                              subject_type=subject_type, subject_ids=list(subject_ids),
                              fields=fields, purpose=purpose, grant_id=actor.grant_id)


class SqlStores:
    """The stores over a unit of work: its session, its municipality, its outbox."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.municipality_code = uow.municipality_code
        session = uow.session
        self.disasters = SqlDisasters(session)
        self.houses = SqlHouses(session)
        self.applications = SqlApplications(session)
        self.residents = SqlResidents(session)
        self.access_log = SqlAccessLog(session)
        self.certificate_jobs = SqlCertificateJobs(session)
        self.survey_imports = SqlSurveyImports(session)

    def record(self, event: DomainEvent) -> None:
        self.uow.record(event)


class SqlReads:
    """The read-only stores over a tenant's session (the GET routes)."""

    def __init__(self, session: AsyncSession) -> None:
        self.disasters = SqlDisasters(session)
        self.houses = SqlHouses(session)
        self.residents = SqlResidents(session)
