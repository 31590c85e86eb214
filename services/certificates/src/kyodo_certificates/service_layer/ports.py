"""What the handlers need of their stores (adapters/; fakes in kyodo_certificates.testing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from kyodo_certificates.domain.damage_report import DeclaredDisaster
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.upstream.disaster import DamageAssessed
from kyodo_certificates.upstream.tax import TaxAssessed
from kyodo_common.auth import Principal
from kyodo_common.events.model import DomainEvent


class ReadModels(Protocol):
    async def keep_residents(self, rows: list[dict[str, Any]]) -> None: ...

    async def resident(self, resident_id: UUID) -> Registered | None: ...

    async def keep_municipality(self, values: dict[str, Any]) -> None: ...

    async def keep_disaster(self, values: dict[str, Any]) -> None: ...

    async def keep_tax_assessment(self, values: dict[str, Any]) -> None: ...

    async def drop_undeclared(self, *, dependant_of: UUID, fiscal_year: int, older_than: int,
                              keep: Sequence[UUID]) -> None: ...

    async def keep_damage_assessment(self, values: dict[str, Any]) -> None: ...

    async def house(self, assessment_id: UUID) -> tuple[int, str] | None: ...

    async def void_damage_certificates(self, assessment_id: UUID, *, code: str, reason: str,
                                       now: datetime, principal: Principal
                                       ) -> list[tuple[UUID, str]]: ...

    async def standing_applications(self, house_id: UUID, survey_version: int,
                                    standing: Sequence[str]) -> set[UUID]: ...

    async def add_requests(self, rows: list[dict[str, Any]]) -> None: ...

    async def close_pending(self, house_id: UUID, survey_version: int, *, status: str,
                            reason: str) -> None: ...

    async def mark_requests(self, house_id: UUID, *, among: Sequence[str], status: str,
                            reason: str) -> None: ...

    async def publish(self, events: Sequence[DomainEvent], *, code: str) -> None: ...


class ReadModelsUnitOfWork(Protocol):
    """An event handler's unit of work (CertificatesInboxUnitOfWork, or a fake)."""

    @property
    def read_models(self) -> ReadModels: ...


class DraftReads(Protocol):
    """What a draft reads (adapters/store.CertificatesStore in the drafting transaction)."""

    async def municipality(self, code: str) -> Municipality | None: ...

    async def resident(self, resident_id: UUID) -> Registered | None: ...

    async def with_household(self, resident_id: UUID
                             ) -> tuple[Registered | None, list[Registered]]: ...

    async def household_has_protected_member(self, household_id: UUID) -> bool: ...

    async def tax_assessment(self, resident_id: UUID, fiscal_year: int
                             ) -> TaxAssessed | None: ...

    async def damage_assessment(self, assessment_id: UUID) -> DamageAssessed | None: ...

    async def declared_disaster(self, disaster_id: UUID) -> DeclaredDisaster | None: ...
