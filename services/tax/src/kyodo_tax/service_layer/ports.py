"""What the tax use cases ask of storage: small protocols. `adapters/` implements them over
PostgreSQL (SQLAlchemy for single rows, asyncpg where a bulk run needs it); the unit tests
implement them with dictionaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from kyodo_tax.adapters.assessment_store import Assessed
from kyodo_tax.domain.facts import MunicipalTaxConfig
from kyodo_tax.domain.inputs import Declaration, FiledReport
from kyodo_tax.domain.instalments import CollectionPlan, SwitchReason
from kyodo_tax.domain.residence import DependantOnJanuaryFirst, RegisterEntry, Taxpayer
from kyodo_tax.domain.versions import PreviousAssessment


class AssessedMeanwhile(Exception):
    """Another transaction wrote the same person's next version first."""


@dataclass(frozen=True, slots=True)
class RegisteredVersion:
    """One version of a resident record, with what an assessment needs beyond the rule."""

    entry: RegisterEntry
    resident_number: str
    birth_date: date | None


@dataclass(frozen=True, slots=True)
class RegisteredPerson:
    """A person's latest register entry, as a salary report is matched against it."""

    resident_id: UUID
    platform_person_id: UUID
    family_name_kana: str
    given_name_kana: str
    birth_date: date | None


@dataclass(frozen=True, slots=True)
class CollectedAssessment:
    """An assessment as a collection switch sees it (its row is locked until commit)."""

    fiscal_year: int
    platform_person_id: UUID
    version: int
    collection: str
    instalments: str  # the plan as stored (JSON)


class Inputs(Protocol):
    """What many persons' assessments are computed from, a few statements per chunk."""

    async def reports_of(self, fiscal_year: int, persons: Sequence[UUID]
                         ) -> Mapping[UUID, Sequence[FiledReport]]: ...

    async def declarations_of(self, fiscal_year: int, persons: Sequence[UUID]
                              ) -> Mapping[UUID, Declaration]: ...

    async def previous_of(self, fiscal_year: int, persons: Sequence[UUID]
                          ) -> Mapping[UUID, PreviousAssessment]: ...

    async def dependants_on_january_first(self, fiscal_year: int, persons: Sequence[UUID]
                                          ) -> Mapping[UUID, DependantOnJanuaryFirst]: ...


class RegisterView(Protocol):
    """The read models kept from other services' events: the register history and the
    tenant's tax amounts."""

    async def tax_config(self) -> MunicipalTaxConfig | None: ...

    async def history_of(self, persons: Sequence[UUID]) -> list[RegisteredVersion]: ...

    async def knows(self, platform_person_id: UUID) -> bool: ...

    async def latest_by_resident_number(self, numbers: Sequence[str]
                                        ) -> Mapping[str, RegisteredPerson]: ...

    async def latest_by_person(self, persons: Sequence[UUID]
                               ) -> Mapping[UUID, RegisteredPerson]: ...


class AssessmentStore(Protocol):
    """Assessments: every version kept; a new one is written with its event."""

    async def inputs(self) -> Inputs: ...

    async def write(self, items: Sequence[Assessed], *, municipality_code: str,
                    assessed_on: date, source: str) -> None:
        """Raises AssessedMeanwhile when a version was taken by another transaction."""

    async def latest_id(self, fiscal_year: int, platform_person_id: UUID) -> UUID: ...

    async def latest_version(self, fiscal_year: int, platform_person_id: UUID) -> int: ...

    async def for_switch(self, assessment_id: UUID) -> CollectedAssessment | None: ...

    async def switch(self, assessment_id: UUID, *, plan: CollectionPlan, collection: str,
                     on: date, reason: SwitchReason) -> None: ...


class DeclarationStore(Protocol):
    """住民税申告: every version kept."""

    async def lock_person_year(self, code: str, fiscal_year: int,
                               platform_person_id: UUID) -> None:
        """Until commit, another declaration of the person for the year waits here."""

    async def latest_version(self, fiscal_year: int, platform_person_id: UUID) -> int | None: ...

    async def add(self, *, declaration_id: UUID, code: str, fiscal_year: int,
                  platform_person_id: UUID, version: int, declaration: Declaration,
                  actor: str) -> None: ...


class BulkJobStore(Protocol):
    """Bulk assessment jobs (one row each; the worker runs them)."""

    async def add(self, *, job_id: UUID, code: str, fiscal_year: int, actor: str) -> bool:
        """False, and nothing added, while a job of the same year is queued or running."""

    async def active(self, fiscal_year: int) -> UUID | None: ...

    async def status(self, job_id: UUID) -> Any: ...


class BulkRun(Protocol):
    """One transaction of a bulk job's run."""

    register: RegisterView

    async def inputs(self) -> Inputs: ...

    async def position(self, job_id: UUID) -> Any: ...

    async def snapshot(self, job_id: UUID, *, code: str, day: date, fiscal_year: int) -> int:
        """Fixes the job's persons (numbered in order) and marks it running; their count."""

    async def chunk(self, job_id: UUID, start: int, end: int) -> list[Taxpayer]: ...

    async def cursor_for_update(self, job_id: UUID) -> int | None: ...

    async def write(self, items: Sequence[Assessed], *, municipality_code: str, job_id: UUID,
                    assessed_on: date, source: str, lap: Any) -> None: ...

    async def refuse(self, job_id: UUID, code: str,
                     refused: Sequence[tuple[UUID, str]]) -> None: ...

    async def progress(self, job_id: UUID, *, cursor: int, assessed: int, corrected: int,
                       unchanged: int, refused: int) -> None: ...

    async def finish(self, job_id: UUID, total: int) -> None: ...


class SalaryImportStore(Protocol):
    """Imports of 給与支払報告書 files and the reports they keep."""

    async def earlier(self, fiscal_year: int, digest: str) -> Any: ...

    async def get(self, import_id: UUID, *, for_update: bool = False) -> Any: ...

    async def add(self, *, import_id: UUID, code: str, fiscal_year: int, digest: str,
                  file_format: str, received: int, rejected: int,
                  problems: list[dict[str, Any]], actor: str, content: bytes | None) -> None: ...

    async def start(self, import_id: UUID) -> None: ...

    async def finish(self, import_id: UUID) -> None: ...

    async def stored_reports(self, fiscal_year: int, row_keys: Sequence[str]) -> list[Any]:
        """(id, row_key, content_hash, superseded_by) of the reports stored under the keys."""

    async def count_chunk(self, import_id: UUID, *, accepted: int, unchanged: int,
                          superseding: int, rejected: int, problems: list[dict[str, Any]],
                          rows: int) -> None: ...

    async def add_reports(self, values: list[dict[str, Any]]) -> dict[str, UUID]:
        """The new reports' ids by row key."""

    async def revive(self, report_ids: Sequence[UUID]) -> dict[str, UUID]:
        """Makes the reports current again; their ids by row key."""

    async def supersede(self, report_id: UUID, by: UUID) -> None: ...



class ReadModels(Protocol):
    """What the event handlers keep of other services' events."""

    async def keep_tax_config(self, values: dict[str, Any]) -> None:
        """Inserts the municipality's amounts, or replaces an older version of them."""

    async def add_register_history(self, versions: Sequence[dict[str, Any]],
                                   protections: Sequence[dict[str, Any]]) -> None:
        """Versions not stored yet, and each person's 支援措置 by its newest version."""


class ReadModelsUnitOfWork(Protocol):
    """An event handler's unit of work (TaxInboxUnitOfWork, or a fake)."""

    @property
    def read_models(self) -> ReadModels: ...
