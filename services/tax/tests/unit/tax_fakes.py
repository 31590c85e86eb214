"""Fake stores for the tax use cases: dictionaries behind the protocols of
kyodo_tax.service_layer.ports, so a handler runs in milliseconds without PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

from kyodo_tax.adapters.assessment_store import Assessed
from kyodo_tax.adapters.inputs_store import plan_from_json, plan_to_json
from kyodo_tax.domain.facts import MunicipalTaxConfig
from kyodo_tax.domain.inputs import Declaration, FiledReport
from kyodo_tax.domain.instalments import CollectionPlan, SwitchReason
from kyodo_tax.domain.residence import DependantOnJanuaryFirst, RegisterEntry
from kyodo_tax.domain.versions import PreviousAssessment
from kyodo_tax.service_layer.ports import (
    AssessedMeanwhile,
    CollectedAssessment,
    RegisteredPerson,
    RegisteredVersion,
)


@dataclass
class FakeRegister:
    config: MunicipalTaxConfig | None = None
    versions: list[RegisteredVersion] = field(default_factory=list)

    def register(self, person: UUID, resident: UUID, *, since: date, code: str = "152021",
                 status: str = "resident", version: int = 1) -> None:
        self.versions.append(RegisteredVersion(
            RegisterEntry(code, resident, person, version, since, status, "旭町二丁目3番1号",
                          "9558686"), "000000001X", date(1980, 4, 1)))

    async def tax_config(self) -> MunicipalTaxConfig | None:
        return self.config

    async def history_of(self, persons: Sequence[UUID]) -> list[RegisteredVersion]:
        return [v for v in self.versions if v.entry.platform_person_id in persons]

    async def knows(self, platform_person_id: UUID) -> bool:
        return any(v.entry.platform_person_id == platform_person_id for v in self.versions)

    async def latest_by_resident_number(self, numbers: Sequence[str]
                                        ) -> dict[str, RegisteredPerson]:
        return {}

    async def latest_by_person(self, persons: Sequence[UUID]) -> dict[UUID, RegisteredPerson]:
        return {}


@dataclass
class StoredAssessment:
    item: Assessed
    collection: str
    plan: CollectionPlan
    switched: tuple[date, SwitchReason] | None = None


@dataclass
class FakeAssessments:
    """Every version written, and the inputs the next assessment is computed from."""

    reports: dict[UUID, list[FiledReport]] = field(default_factory=dict)
    declarations: dict[UUID, Declaration] = field(default_factory=dict)
    stored: dict[UUID, StoredAssessment] = field(default_factory=dict)
    taken_meanwhile: bool = False

    async def inputs(self) -> FakeAssessments:
        return self

    async def reports_of(self, fiscal_year: int, persons: Sequence[UUID]
                         ) -> dict[UUID, list[FiledReport]]:
        return {p: self.reports[p] for p in persons if p in self.reports}

    async def declarations_of(self, fiscal_year: int, persons: Sequence[UUID]
                              ) -> dict[UUID, Declaration]:
        return {p: self.declarations[p] for p in persons if p in self.declarations}

    async def previous_of(self, fiscal_year: int, persons: Sequence[UUID]
                          ) -> dict[UUID, PreviousAssessment]:
        found = {}
        for person in persons:
            latest = self._latest(fiscal_year, person)
            if latest is not None:
                o = latest.item.outcome
                found[person] = PreviousAssessment(
                    id=latest.item.id, version=o.version, inputs_hash=o.inputs_hash,
                    total=o.result.total, collection=o.collection,
                    plan_source=partial(plan_from_json, plan_to_json(latest.plan), None, None))
        return found

    async def dependants_on_january_first(self, fiscal_year: int, persons: Sequence[UUID]
                                          ) -> dict[UUID, DependantOnJanuaryFirst]:
        return {}

    async def write(self, items: Sequence[Assessed], *, municipality_code: str,
                    assessed_on: date, source: str) -> None:
        if self.taken_meanwhile:
            raise AssessedMeanwhile
        for item in items:
            self.stored[item.id] = StoredAssessment(item, item.outcome.collection.value,
                                                    item.outcome.plan)

    def _latest(self, fiscal_year: int, person: UUID) -> StoredAssessment | None:
        mine = [s for s in self.stored.values()
                if s.item.taxpayer.platform_person_id == person
                and s.item.outcome.facts.fiscal_year == fiscal_year]
        return max(mine, key=lambda s: s.item.outcome.version, default=None)

    async def latest_id(self, fiscal_year: int, platform_person_id: UUID) -> UUID:
        latest = self._latest(fiscal_year, platform_person_id)
        assert latest is not None
        return latest.item.id

    async def latest_version(self, fiscal_year: int, platform_person_id: UUID) -> int:
        latest = self._latest(fiscal_year, platform_person_id)
        assert latest is not None
        return latest.item.outcome.version

    async def for_switch(self, assessment_id: UUID) -> CollectedAssessment | None:
        found = self.stored.get(assessment_id)
        if found is None:
            return None
        return CollectedAssessment(found.item.outcome.facts.fiscal_year,
                                   found.item.taxpayer.platform_person_id,
                                   found.item.outcome.version, found.collection,
                                   plan_to_json(found.plan))

    async def switch(self, assessment_id: UUID, *, plan: CollectionPlan, collection: str,
                     on: date, reason: SwitchReason) -> None:
        stored = self.stored[assessment_id]
        stored.plan, stored.collection, stored.switched = plan, collection, (on, reason)


@dataclass
class FakeDeclarations:
    rows: list[dict[str, Any]] = field(default_factory=list)
    locks: list[tuple[str, int, UUID]] = field(default_factory=list)

    async def lock_person_year(self, code: str, fiscal_year: int,
                               platform_person_id: UUID) -> None:
        self.locks.append((code, fiscal_year, platform_person_id))

    async def latest_version(self, fiscal_year: int, platform_person_id: UUID) -> int | None:
        return max((r["version"] for r in self.rows if r["fiscal_year"] == fiscal_year
                    and r["platform_person_id"] == platform_person_id), default=None)

    async def add(self, **row: Any) -> None:
        self.rows.append(row)


@dataclass
class FakeBulkJobs:
    jobs: dict[UUID, dict[str, Any]] = field(default_factory=dict)

    async def add(self, *, job_id: UUID, code: str, fiscal_year: int, actor: str) -> bool:
        if await self.active(fiscal_year) is not None:
            return False
        self.jobs[job_id] = {"fiscal_year": fiscal_year, "state": "queued", "actor": actor}
        return True

    async def active(self, fiscal_year: int) -> UUID | None:
        return next((i for i, j in self.jobs.items() if j["fiscal_year"] == fiscal_year
                     and j["state"] in ("queued", "running")), None)

    async def status(self, job_id: UUID) -> Any:
        return self.jobs.get(job_id)
