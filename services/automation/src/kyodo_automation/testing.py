"""Automation's stores in memory for handler tests without PostgreSQL (dev-only: nothing in
the service imports it). ``FakeAutomation`` is the database; a unit of work is a transaction
on a copy of it, which sees its own writes and replaces the database's state on ``commit``
(the event handler's on ``flush``, as the inbox commits when the handler returns). The
integration tests keep the real stores honest.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from kyodo_common.testing import FakeUnitOfWork

SANJO = "152048"


@dataclass
class FakeAutomation:
    """What the tables hold, committed."""

    versions: list[SimpleNamespace] = field(default_factory=list)
    accounts: dict[str, SimpleNamespace] = field(default_factory=dict)
    runs: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    queue: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    journal: list[SimpleNamespace] = field(default_factory=list)

    def unit_of_work(self, municipality_code: str = SANJO) -> FakeAutomationUnitOfWork:
        return FakeAutomationUnitOfWork(self, municipality_code)

    def inbox_unit_of_work(self) -> FakeAutomationInboxUnitOfWork:
        return FakeAutomationInboxUnitOfWork(self)

    def latest(self, scenario: str) -> SimpleNamespace | None:
        found = [v for v in self.versions if v.scenario == scenario]
        return max(found, key=lambda v: v.version) if found else None


class _Store:
    def __init__(self, db: FakeAutomation) -> None:
        self.db = db  # the transaction's copy


class FakeScenarios(_Store):
    """kyodo_automation.service_layer.ports.ScenarioStore."""

    async def account(self, scenario: str) -> Any:
        return copy.copy(self.db.accounts.get(scenario))

    async def put_account(self, *, code: str, scenario: str, client_id: str,
                          client_secret: bytes, scopes: list[str], granted_by: str) -> None:
        account = SimpleNamespace(client_id=client_id, client_secret=client_secret,
                                  scopes=scopes, granted_by=granted_by)
        self.db.accounts[scenario] = account

    async def lock(self, code: str, scenario: str) -> None:
        return None  # one transaction at a time here

    async def latest_number(self, scenario: str) -> int | None:
        latest = self.db.latest(scenario)
        return latest.version if latest else None

    async def add_version(self, row: dict[str, Any]) -> None:
        version = SimpleNamespace(**row, created_at=datetime.now(UTC))
        self.db.versions.append(version)

    async def version(self, scenario: str, version: int | None = None) -> Any:
        if version is None:
            return self.db.latest(scenario)
        return next((v for v in self.db.versions
                     if v.scenario == scenario and v.version == version), None)


class FakeRuns(_Store):
    """kyodo_automation.service_layer.ports.RunStore."""

    async def add(self, **values: Any) -> None:
        run = SimpleNamespace(**values)
        self.db.runs[run.id] = run

    async def get(self, run_id: uuid.UUID) -> Any:
        return copy.copy(self.db.runs.get(run_id))

    async def update(self, run_id: uuid.UUID, **values: Any) -> None:
        vars(self.db.runs[run_id]).update(values)


class FakeHumanQueue(_Store):
    """adapters.stores.SqlHumanQueue's methods."""

    async def get(self, item_id: uuid.UUID, *, lock: bool = False) -> Any:
        return copy.copy(self.db.queue.get(item_id))

    async def decide(self, item_id: uuid.UUID, *, decision: str, note: str | None, by: str,
                     at: datetime) -> None:
        vars(self.db.queue[item_id]).update(
            state="decided", decision=decision, note=note, decided_by=by, decided_at=at)

    async def resume(self, row: Any, *, code: str, decision: str, by: str,
                     note: str | None) -> None:
        self.db.journal.append(SimpleNamespace(
            run_id=row.run_id, key=row.key, kind="approval", status=decision,
            output={"decision": decision, "by": by, "note": note}))
        run = self.db.runs[row.run_id]
        if run.state == "waiting":
            run.state = "queued"


class FakeTriggers(_Store):
    """kyodo_automation.service_layer.ports.TriggerStore."""

    def __init__(self, db: FakeAutomation) -> None:
        super().__init__(db)
        self.runs = FakeRuns(db)

    async def any_waits(self, event_type: str) -> bool:
        return bool(await self.latest_waiting(event_type))

    async def latest_waiting(self, event_type: str) -> list[Any]:
        latest = {v.scenario: self.db.latest(v.scenario) for v in self.db.versions}
        return [v for v in latest.values() if v and event_type in v.event_types]


class FakeAutomationUnitOfWork(FakeUnitOfWork):
    """A request's transaction (AutomationUnitOfWork's stores)."""

    def __init__(self, db: FakeAutomation, municipality_code: str = SANJO) -> None:
        super().__init__(municipality_code, source="kyodo/automation")
        self._db, self._tx = db, copy.deepcopy(db)
        self.scenarios = FakeScenarios(self._tx)
        self.runs = FakeRuns(self._tx)
        self.queue = FakeHumanQueue(self._tx)

    async def commit(self) -> None:
        vars(self._db).update(copy.deepcopy(vars(self._tx)))
        await super().commit()


class FakeAutomationInboxUnitOfWork:
    """An event handler's (AutomationInboxUnitOfWork's store); ``flush`` is the inbox's
    commit of what the handler did."""

    def __init__(self, db: FakeAutomation) -> None:
        self._db, self._tx = db, copy.deepcopy(db)
        self.triggers = FakeTriggers(self._tx)

    def flush(self) -> None:
        vars(self._db).update(copy.deepcopy(vars(self._tx)))
