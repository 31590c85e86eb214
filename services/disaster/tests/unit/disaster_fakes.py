"""Fake stores for the disaster use cases: dictionaries behind the protocols of
kyodo_disaster.service_layer.ports, so a handler runs in milliseconds without PostgreSQL."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from kyodo_disaster_events import CertificateRequest

from kyodo_common.events import DomainEvent
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.addresses import address_key
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.house import House, SurveyRecord

CODE = "152021"
CLERK = Actor(subject="clerk-1", home=CODE, municipality=CODE, grant_id=None)


@dataclass
class Resident:
    """A row of the residents read model, as the handlers read it."""

    resident_id: uuid.UUID
    resident_number: str
    address: str
    status: str = "resident"
    household_id: uuid.UUID | None = None
    relationship: str | None = None


class FakeDisasters:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Disaster] = {}

    async def get(self, disaster_id: uuid.UUID, *, for_update: bool = False
                  ) -> Disaster | None:
        found = self.rows.get(disaster_id)
        return copy.deepcopy(found)  # a loaded object, not the stored one

    async def add(self, disaster: Disaster, *, declared_by: str, declared_by_home: str
                  ) -> None:
        self.rows[disaster.id] = copy.deepcopy(disaster)

    async def save(self, disaster: Disaster) -> None:
        self.rows[disaster.id] = copy.deepcopy(disaster)


class FakeHouses:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, House] = {}
        self.surveys: list[tuple[SurveyRecord, str, uuid.UUID]] = []

    async def get(self, house_id: uuid.UUID, *, for_update: bool = False) -> House | None:
        return copy.deepcopy(self.rows.get(house_id))

    async def locked(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, House]:
        return {i: copy.deepcopy(self.rows[i]) for i in sorted(ids) if i in self.rows}

    async def at(self, disaster_id: uuid.UUID, keys: Collection[str]) -> dict[str, House]:
        return {address_key(h.address): copy.deepcopy(h) for h in self.rows.values()
                if h.disaster_id == disaster_id and address_key(h.address) in keys}

    async def add(self, new: Sequence[House], *, code: str) -> None:
        for house in new:
            self.rows[house.id] = copy.deepcopy(house)

    async def save(self, changed: Sequence[House]) -> None:
        for house in changed:
            self.rows[house.id] = copy.deepcopy(house)

    async def add_surveys(self, records: Sequence[tuple[SurveyRecord, str]], *, code: str,
                          disaster_id: uuid.UUID) -> None:
        self.surveys.extend((record, print_, disaster_id) for record, print_ in records)

    async def recorded_refs(self, disaster_id: uuid.UUID,
                            refs: Collection[str]) -> dict[str, str]:
        return {r.input.survey_ref: p for r, p, d in self.surveys
                if d == disaster_id and r.input.survey_ref in refs}

    async def surveyed(self, disaster_id: uuid.UUID, *, after: uuid.UUID | None,
                       limit: int) -> list[House]:
        return sorted((h for h in self.rows.values() if h.disaster_id == disaster_id
                       and h.survey_version > 0 and (after is None or h.id > after)),
                      key=lambda h: h.id)[:limit]


class FakeApplications:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    async def applied(self, house_ids: Collection[uuid.UUID]
                      ) -> set[tuple[uuid.UUID, uuid.UUID]]:
        return {(a["house_id"], a["applicant_resident_id"]) for a in self.rows
                if a["house_id"] in house_ids}

    async def add(self, new: Sequence[dict[str, Any]], *, code: str, disaster_id: uuid.UUID,
                  applied_on: date) -> None:
        self.rows.extend({**a, "disaster_id": disaster_id, "status": "received"} for a in new)

    async def locked(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
        return {a["id"]: a for a in self.rows if a["id"] in ids}

    async def mark_ready(self, ids: Collection[uuid.UUID], *, job_id: uuid.UUID,
                         actor: Actor) -> None:
        for a in self.rows:
            if a["id"] in ids:
                a.update(status="ready", job_id=job_id, ready_by=actor.subject)

    async def ready_requests(self, house_ids: Sequence[uuid.UUID]
                             ) -> dict[uuid.UUID, list[CertificateRequest]]:
        found: dict[uuid.UUID, list[CertificateRequest]] = {}
        for a in self.rows:
            if a["house_id"] in house_ids and a["status"] == "ready":
                found.setdefault(a["house_id"], []).append(CertificateRequest(
                    application_id=a["id"], applicant_resident_id=a["applicant_resident_id"],
                    copies=a["copies"], job_id=a["job_id"], requested_by=a["ready_by"],
                    requested_by_home=CODE, grant_id=None))
        return found


class FakeResidents:
    def __init__(self, *residents: Resident) -> None:
        self.rows = {r.resident_id: r for r in residents}

    async def occupants_at(self, address_keys: Collection[str]) -> dict[str, list[uuid.UUID]]:
        found: dict[str, list[uuid.UUID]] = {}
        for r in sorted(self.rows.values(), key=lambda r: r.resident_number):
            key = address_key(r.address)
            if key in address_keys and r.status in ("resident", "announced"):
                found.setdefault(key, []).append(r.resident_id)
        return found

    async def by_id(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
        return {i: self.rows[i] for i in ids if i in self.rows}

    async def ids_by_number(self, numbers: Collection[str]) -> dict[str, uuid.UUID]:
        return {r.resident_number: r.resident_id for r in self.rows.values()
                if r.resident_number in numbers and r.status == "resident"}

    async def household_heads(self, household_ids: Collection[uuid.UUID]
                              ) -> dict[uuid.UUID, uuid.UUID]:
        return {r.household_id: r.resident_id for r in self.rows.values()
                if r.household_id in household_ids and r.relationship == "世帯主"}

    async def household_sizes(self, household_ids: Collection[uuid.UUID]
                              ) -> dict[uuid.UUID, tuple[int, uuid.UUID | None]]:
        sizes: dict[uuid.UUID, tuple[int, uuid.UUID | None]] = {}
        for hid in household_ids:
            members = [r for r in self.rows.values() if r.household_id == hid]
            head = next((r.resident_id for r in members if r.relationship == "世帯主"), None)
            sizes[hid] = (len(members), head)
        return sizes


@dataclass
class FakeAccessLog:
    entries: list[tuple[str, str, list[str]]] = field(default_factory=list)

    async def record(self, actor: Actor, *, action: str, subject_type: str,
                     subject_ids: Iterable[str], fields: Sequence[str] = (),
                     purpose: str | None = None) -> None:
        self.entries.append((action, subject_type, list(subject_ids)))


class FakeCertificateJobs:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, dict[str, Any]] = {}

    async def add(self, *, job_id: uuid.UUID, code: str, application_ids: Sequence[uuid.UUID],
                  actor: Actor) -> None:
        self.rows[job_id] = {"application_ids": list(application_ids), "state": "queued"}

    async def status(self, job_id: uuid.UUID) -> Any:
        return self.rows.get(job_id)

    async def locked(self, job_id: uuid.UUID) -> Any:
        return self.rows.get(job_id)

    async def progress(self, job_id: uuid.UUID, *, state: str, processed: int, ready: int,
                       already: int, refused: int, refusals: list[dict[str, str]],
                       started_at: datetime, finished_at: datetime | None) -> None:
        self.rows[job_id].update(state=state, processed=processed)


class FakeSurveyImports:
    """Import rows as attribute objects, as the SQL store's rows are read."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, SimpleNamespace] = {}

    async def add(self, *, import_id: uuid.UUID, code: str, disaster_id: uuid.UUID,
                  content: str, total: int, done: int, errors: Sequence[dict[str, Any]],
                  actor: Actor) -> None:
        self.rows[import_id] = SimpleNamespace(
            id=import_id, disaster_id=disaster_id, content=content, state="queued",
            total=total, cursor=0, done=done, houses_created=0, surveys_recorded=0,
            unchanged=0, applications_created=0, errors=list(errors), attempts=0, error=None,
            requested_by=actor.subject, requested_by_home=actor.home, grant_id=actor.grant_id,
            created_at=None, started_at=None, finished_at=None)

    async def status(self, import_id: uuid.UUID) -> Any:
        return copy.deepcopy(self.rows.get(import_id))

    async def locked(self, import_id: uuid.UUID) -> Any:
        return copy.deepcopy(self.rows.get(import_id))

    async def progress(self, import_id: uuid.UUID, *, state: str, cursor: int, done: int,
                       houses_created: int, surveys_recorded: int, unchanged: int,
                       applications_created: int, errors: Sequence[dict[str, Any]],
                       started_at: datetime, finished_at: datetime | None) -> None:
        row = self.rows[import_id]
        row.state, row.cursor, row.done = state, cursor, row.done + done
        row.houses_created += houses_created
        row.surveys_recorded += surveys_recorded
        row.unchanged += unchanged
        row.applications_created += applications_created
        row.errors = row.errors + list(errors)
        row.started_at, row.finished_at = started_at, finished_at
        if state == "finished":
            row.content = None


@dataclass
class FakeStores:
    """One transaction's stores; ``events`` are what would commit to the outbox."""

    residents: FakeResidents = field(default_factory=FakeResidents)
    municipality_code: str = CODE
    disasters: FakeDisasters = field(default_factory=FakeDisasters)
    houses: FakeHouses = field(default_factory=FakeHouses)
    applications: FakeApplications = field(default_factory=FakeApplications)
    access_log: FakeAccessLog = field(default_factory=FakeAccessLog)
    certificate_jobs: FakeCertificateJobs = field(default_factory=FakeCertificateJobs)
    survey_imports: FakeSurveyImports = field(default_factory=FakeSurveyImports)
    events: list[DomainEvent] = field(default_factory=list)

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)
