"""What the disaster use cases ask of storage, as small protocols: `adapters/stores.py`
implements them over the unit of work's transaction, the unit tests with dictionaries."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from kyodo_disaster_events import CertificateRequest

from kyodo_common.events import DomainEvent
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.house import House, SurveyRecord


class DisasterStore(Protocol):
    async def get(self, disaster_id: uuid.UUID, *, for_update: bool = False
                  ) -> Disaster | None: ...

    async def add(self, disaster: Disaster, *, declared_by: str, declared_by_home: str
                  ) -> None: ...

    async def save(self, disaster: Disaster) -> None: ...


class HouseStore(Protocol):
    """被災住家台帳: the houses and the surveys recorded on them."""

    async def get(self, house_id: uuid.UUID, *, for_update: bool = False) -> House | None: ...

    async def locked(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, House]:
        """These houses, locked for the change (in id order, so two jobs never deadlock)."""

    async def at(self, disaster_id: uuid.UUID, keys: Collection[str]) -> dict[str, House]:
        """The disaster's houses at these address keys, locked for the change."""

    async def add(self, new: Sequence[House], *, code: str) -> None: ...

    async def save(self, changed: Sequence[House]) -> None: ...

    async def add_surveys(self, records: Sequence[tuple[SurveyRecord, str]], *, code: str,
                          disaster_id: uuid.UUID) -> None: ...

    async def recorded_refs(self, disaster_id: uuid.UUID,
                            refs: Collection[str]) -> dict[str, str]:
        """survey_ref → fingerprint of the surveys already recorded under these references."""

    async def surveyed(self, disaster_id: uuid.UUID, *, after: uuid.UUID | None,
                       limit: int) -> list[House]:
        """The disaster's surveyed houses in id order, after a previous page's last."""


class ApplicationStore(Protocol):
    """罹災証明書の交付申請."""

    async def applied(self, house_ids: Collection[uuid.UUID]
                      ) -> set[tuple[uuid.UUID, uuid.UUID]]:
        """(house, applicant) of the applications already made for these houses."""

    async def add(self, new: Sequence[dict[str, Any]], *, code: str, disaster_id: uuid.UUID,
                  applied_on: date) -> None: ...

    async def locked(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]: ...

    async def mark_ready(self, ids: Collection[uuid.UUID], *, job_id: uuid.UUID,
                         actor: Actor) -> None: ...

    async def ready_requests(self, house_ids: Sequence[uuid.UUID]
                             ) -> dict[uuid.UUID, list[CertificateRequest]]: ...


class ResidentView(Protocol):
    """The residents read model (kept from residents' events). A resident is a record with
    resident_id, resident_number, status, household_id, relationship and the names."""

    async def occupants_at(self, address_keys: Collection[str]) -> dict[str, list[uuid.UUID]]:
        """Residents registered (now) at each address, in 宛名番号 order."""

    async def by_id(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]: ...

    async def ids_by_number(self, numbers: Collection[str]) -> dict[str, uuid.UUID]:
        """宛名番号 → resident id, for residents still registered."""

    async def household_heads(self, household_ids: Collection[uuid.UUID]
                              ) -> dict[uuid.UUID, uuid.UUID]: ...

    async def household_sizes(self, household_ids: Collection[uuid.UUID]
                              ) -> dict[uuid.UUID, tuple[int, uuid.UUID | None]]:
        """Members and 世帯主 of each household, counting members living elsewhere too."""


class AccessLog(Protocol):
    """Entries written outside a request (the certificate-job worker names the job's
    requester); a request's writes name theirs in the pipeline's Outcome."""

    async def record(self, actor: Actor, *, action: str, subject_type: str,
                     subject_ids: Iterable[str], fields: Sequence[str] = (),
                     purpose: str | None = None) -> None: ...


class CertificateJobStore(Protocol):
    """交付準備 jobs: a list of applications marked ready, chunk by chunk."""

    async def add(self, *, job_id: uuid.UUID, code: str, application_ids: Sequence[uuid.UUID],
                  actor: Actor) -> None: ...

    async def status(self, job_id: uuid.UUID) -> Any: ...

    async def locked(self, job_id: uuid.UUID) -> Any: ...

    async def progress(self, job_id: uuid.UUID, *, state: str, processed: int, ready: int,
                       already: int, refused: int, refusals: list[dict[str, str]],
                       started_at: datetime, finished_at: datetime | None) -> None:
        """The chunk's counts are added to the job's."""


class SurveyImportStore(Protocol):
    """現地調査票 files imported as jobs: the file, the cursor and the counts so far."""

    async def add(self, *, import_id: uuid.UUID, code: str, disaster_id: uuid.UUID,
                  content: str, total: int, done: int, errors: Sequence[dict[str, Any]],
                  actor: Actor) -> None:
        """Queued; ``errors`` are the rows refused before it was queued (``done`` of them)."""

    async def status(self, import_id: uuid.UUID) -> Any: ...

    async def locked(self, import_id: uuid.UUID) -> Any: ...

    async def progress(self, import_id: uuid.UUID, *, state: str, cursor: int, done: int,
                       houses_created: int, surveys_recorded: int, unchanged: int,
                       applications_created: int, errors: Sequence[dict[str, Any]],
                       started_at: datetime, finished_at: datetime | None) -> None:
        """The chunk's counts and errors are added to the import's; the cursor is set; the
        file is dropped once finished."""


class Stores(Protocol):
    """One transaction's stores, and the events that commit with it."""

    @property
    def municipality_code(self) -> str: ...

    @property
    def disasters(self) -> DisasterStore: ...

    @property
    def houses(self) -> HouseStore: ...

    @property
    def applications(self) -> ApplicationStore: ...

    @property
    def residents(self) -> ResidentView: ...

    @property
    def access_log(self) -> AccessLog: ...

    @property
    def certificate_jobs(self) -> CertificateJobStore: ...

    @property
    def survey_imports(self) -> SurveyImportStore: ...


    def record(self, event: DomainEvent) -> None: ...


class ResidentsModel(Protocol):
    """The residents read model, as the register events keep it."""

    async def keep_latest(self, rows: Sequence[dict[str, Any]]) -> None:
        """Upsert by resident; an older version never overwrites a newer one."""


class ResidentsModelUnitOfWork(Protocol):
    """An event handler's unit of work (DisasterInboxUnitOfWork, or a fake)."""

    @property
    def residents(self) -> ResidentsModel: ...
