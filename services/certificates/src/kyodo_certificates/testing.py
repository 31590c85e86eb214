"""The certificates service's tables in memory, for handler tests without PostgreSQL
(dev-only: nothing in the service imports it). ``FakeCertificates`` is the database;
``FakeStore`` the store of a transaction on it (its writes kept until commit);
``FakeCertificatesUnitOfWork`` the write pipeline's unit of work; ``FakeReadModels`` the
consumer's store, which the event handlers take from ``FakeCertificatesInboxUnitOfWork``
(``uow.read_models``). The integration tests keep the real stores (adapters/) honest.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from kyodo_certificates.adapters.store import SOURCE, CertificatesStore
from kyodo_certificates.domain.damage_report import DeclaredDisaster
from kyodo_certificates.domain.kinds import Kind, RequestStatus, Status
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.upstream.disaster import DamageAssessed
from kyodo_certificates.upstream.tax import TaxAssessed
from kyodo_common.auth import Principal
from kyodo_common.events.model import DomainEvent
from kyodo_common.idempotency import StoredResponse, reused
from kyodo_common.testing import FakeUnitOfWork, MemoryKeys

SANJO = "152048"


@dataclass
class FakeCertificates:
    """What the tables hold, committed (one municipality's rows)."""

    towns: dict[str, Municipality] = field(default_factory=dict)
    residents: dict[uuid.UUID, Registered] = field(default_factory=dict)
    # Households with a member the caller may not see (row-level security hides them).
    hidden_protected: set[uuid.UUID] = field(default_factory=set)
    tax: dict[tuple[uuid.UUID, int], TaxAssessed] = field(default_factory=dict)
    houses: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)  # damage_assessments
    disasters: dict[uuid.UUID, DeclaredDisaster] = field(default_factory=dict)
    serials: dict[tuple[str, date], int] = field(default_factory=dict)
    certificates: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    requests: dict[tuple[uuid.UUID, int], dict[str, Any]] = field(default_factory=dict)
    keys: MemoryKeys = field(default_factory=MemoryKeys)
    outbox: list[DomainEvent] = field(default_factory=list)
    accesses: list[Any] = field(default_factory=list)

    def unit_of_work(self, municipality_code: str = SANJO) -> FakeCertificatesUnitOfWork:
        return FakeCertificatesUnitOfWork(self, municipality_code)

    def inbox_unit_of_work(self) -> FakeCertificatesInboxUnitOfWork:
        return FakeCertificatesInboxUnitOfWork(self)

    def drafting(self, code: str) -> Any:
        """The drafting transaction of an issuance (Issuing.drafting): commits at its end."""
        return _drafting(self)

    def add_house(self, facts: DamageAssessed) -> None:
        self.houses[facts.assessment_id] = {
            "version": facts.version, "facts": facts.model_dump(mode="json"),
            "resident_id": facts.householder_resident_id}


@asynccontextmanager
async def _drafting(data: FakeCertificates) -> AsyncIterator[FakeStore]:
    store = FakeStore(data)
    yield store
    store.apply()


class FakeStore(CertificatesStore):
    """CertificatesStore's contract on FakeCertificates; every method of the real one is
    here, so a forgotten one fails (no session) instead of passing by accident."""

    def __init__(self, data: FakeCertificates) -> None:
        self.data = data
        self.session = None  # type: ignore[assignment]
        self.staged = None
        self._writes: list[Callable[[], None]] = []

    def apply(self) -> None:
        for write in self._writes:
            write()
        self._writes.clear()

    async def municipality(self, code: str) -> Municipality | None:
        return self.data.towns.get(code)

    async def resident(self, resident_id: uuid.UUID) -> Registered | None:
        return self.data.residents.get(resident_id)

    async def with_household(self, resident_id: uuid.UUID
                             ) -> tuple[Registered | None, list[Registered]]:
        person = self.data.residents.get(resident_id)
        if person is None or person.household_id is None:
            return person, []
        return person, [r for r in self.data.residents.values()
                        if r.household_id == person.household_id and r.status == "resident"]

    async def household_has_protected_member(self, household_id: uuid.UUID) -> bool:
        return household_id in self.data.hidden_protected or any(
            r.protected for r in self.data.residents.values() if r.household_id == household_id)

    async def tax_assessment(self, resident_id: uuid.UUID, fiscal_year: int
                             ) -> TaxAssessed | None:
        return self.data.tax.get((resident_id, fiscal_year))

    async def damage_assessment(self, assessment_id: uuid.UUID) -> DamageAssessed | None:
        house = self.data.houses.get(assessment_id)
        return DamageAssessed.model_validate(house["facts"]) if house else None

    async def declared_disaster(self, disaster_id: uuid.UUID) -> DeclaredDisaster | None:
        return self.data.disasters.get(disaster_id)

    async def answered(self, *, code: str, caller: str, key: str,
                       fingerprint: str) -> StoredResponse | None:
        found = self.data.keys.answers.get((caller, key))
        if found is None:
            return None
        if found[0] != fingerprint:
            raise reused()
        return found[1]

    async def take_serials(self, code: str, day: date, count: int) -> int:
        last = self.data.serials.get((code, day), 0) + count
        self._writes.append(lambda: self.data.serials.__setitem__((code, day), last))
        return last - count + 1

    def add_copies(self, rows: list[dict[str, Any]]) -> None:
        self._writes.append(lambda: self.data.certificates.update(
            {row["id"]: copy.copy(row) for row in rows}))

    async def certificate_to_void(self, certificate_id: uuid.UUID) -> Any:
        row = self.data.certificates.get(certificate_id)
        return SimpleNamespace(**row) if row is not None else None

    async def void(self, certificate_id: uuid.UUID, *, reason: str, now: datetime) -> None:
        self._writes.append(lambda: self.data.certificates[certificate_id].update(
            status=Status.VOIDED.value, voided_at=now, void_reason=reason))


class FakeCertificatesUnitOfWork(FakeUnitOfWork):
    """The write pipeline's unit of work on FakeCertificates: ``uow.store`` as the real one's;
    at commit the store's writes, the events (outbox) and the access log are kept."""

    def __init__(self, data: FakeCertificates, municipality_code: str = SANJO) -> None:
        super().__init__(municipality_code, source=SOURCE)
        self.data = data
        self.store = FakeStore(data)

    async def __aexit__(self, *exc: Any) -> None:
        self.store = FakeStore(self.data)  # what was not committed is gone
        await super().__aexit__(*exc)

    async def commit(self) -> None:
        self.store.apply()
        self.data.outbox.extend(self._events)
        self.data.accesses.extend(self.staged.rows("access_log"))
        await super().commit()


class FakeReadModels:
    """The consumer's store (service_layer.ports.ReadModels) on FakeCertificates; the inbox's
    transaction is the test itself, so writes are kept at once."""

    def __init__(self, data: FakeCertificates) -> None:
        self.data = data

    async def keep_residents(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            found = self.data.residents.get(row["resident_id"])
            if found is None or getattr(found, "version", 0) < row["version"]:
                self.data.residents[row["resident_id"]] = Registered.from_state(row["state"])

    async def resident(self, resident_id: uuid.UUID) -> Registered | None:
        return self.data.residents.get(resident_id)

    async def keep_municipality(self, values: dict[str, Any]) -> None:
        self.data.towns[values["municipality_code"]] = Municipality(
            code=values["municipality_code"], name=values["name"],
            prefecture=values["prefecture"], mayor_name=values["mayor_name"],
            certificate_fee_yen=values["certificate_fee_yen"])

    async def keep_disaster(self, values: dict[str, Any]) -> None:
        self.data.disasters[values["disaster_id"]] = DeclaredDisaster(
            str(values["disaster_id"]), values["name"], values["occurred_on"],
            values["application_opens_on"], values["application_closes_on"])

    async def keep_tax_assessment(self, values: dict[str, Any]) -> None:
        facts = TaxAssessed.model_validate(values["facts"])
        self.data.tax[(facts.resident_id, facts.fiscal_year)] = facts

    async def drop_undeclared(self, *, dependant_of: uuid.UUID, fiscal_year: int,
                              older_than: int, keep: Sequence[uuid.UUID]) -> None:
        return None

    async def keep_damage_assessment(self, values: dict[str, Any]) -> None:
        found = self.data.houses.get(values["assessment_id"])
        if found is None or found["version"] < values["version"]:
            self.data.houses[values["assessment_id"]] = {
                "version": values["version"], "facts": values["facts"],
                "resident_id": values["resident_id"]}

    async def house(self, assessment_id: uuid.UUID) -> tuple[int, str] | None:
        found = self.data.houses.get(assessment_id)
        return None if found is None else (found["version"], found["facts"]["grade"])

    async def void_damage_certificates(self, assessment_id: uuid.UUID, *, code: str,
                                       reason: str, now: datetime, principal: Principal
                                       ) -> list[tuple[uuid.UUID, str]]:
        voided = []
        for row in sorted(self.data.certificates.values(), key=lambda r: r["issued_at"]):
            if (row.get("assessment_id") == assessment_id and row["kind"] == Kind.DAMAGE.value
                    and row["status"] == Status.ISSUED.value):
                row.update(status=Status.VOIDED.value, voided_at=now, void_reason=reason)
                self.data.accesses.append({"actor": principal.subject,
                                           "action": "certificate.voided",
                                           "subject_id": str(row["id"])})
                voided.append((row["id"], row["kind"]))
        return voided

    async def standing_applications(self, house_id: uuid.UUID, survey_version: int,
                                    standing: Sequence[str]) -> set[uuid.UUID]:
        return {r["application_id"] for r in self.data.requests.values()
                if r["assessment_id"] == house_id and r["survey_version"] < survey_version
                and r["status"] in standing}

    async def add_requests(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.data.requests.setdefault((row["application_id"], row["survey_version"]),
                                          dict(row))

    async def close_pending(self, house_id: uuid.UUID, survey_version: int, *, status: str,
                            reason: str) -> None:
        for r in self.data.requests.values():
            if (r["assessment_id"] == house_id and r["survey_version"] < survey_version
                    and r["status"] == RequestStatus.PENDING.value):
                r.update(status=status, reason=reason)

    async def mark_requests(self, house_id: uuid.UUID, *, among: Sequence[str], status: str,
                            reason: str) -> None:
        for r in self.data.requests.values():
            if r["assessment_id"] == house_id and r["status"] in among:
                r.update(status=status, reason=reason)

    async def publish(self, events: Sequence[DomainEvent], *, code: str) -> None:
        self.data.outbox.extend(events)


class FakeCertificatesInboxUnitOfWork:
    """An event handler's (CertificatesInboxUnitOfWork's): ``uow.read_models``, whose writes
    are kept at once."""

    def __init__(self, data: FakeCertificates) -> None:
        self.read_models = FakeReadModels(data)
