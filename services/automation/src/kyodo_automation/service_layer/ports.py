"""What the automation use cases ask of storage: small protocols (`adapters/stores.py`
implements them over PostgreSQL). Rows read like records (attribute access)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol


class ScenarioStore(Protocol):
    async def account(self, scenario: str) -> Any:
        """(client_id, client_secret as stored, scopes), or None."""

    async def put_account(self, *, code: str, scenario: str, client_id: str,
                          client_secret: bytes, scopes: list[str], granted_by: str) -> None: ...

    async def lock(self, code: str, scenario: str) -> None:
        """Until commit, another save of the scenario waits here."""

    async def latest_number(self, scenario: str) -> int | None: ...

    async def add_version(self, row: dict[str, Any]) -> None: ...

    async def version(self, scenario: str, version: int | None = None) -> Any:
        """That version, or the latest; None if there is none."""


class RunStore(Protocol):
    async def add(self, **values: Any) -> None: ...

    async def get(self, run_id: uuid.UUID) -> Any: ...

    async def update(self, run_id: uuid.UUID, **values: Any) -> None: ...


class TriggerStore(Protocol):
    """What an event that scenarios may wait for finds, and the runs it starts."""

    @property
    def runs(self) -> RunStore: ...

    async def any_waits(self, event_type: str) -> bool: ...

    async def latest_waiting(self, event_type: str) -> list[Any]: ...


class ScheduleStore(Protocol):
    @property
    def scenarios(self) -> ScenarioStore: ...

    @property
    def runs(self) -> RunStore: ...

    async def claim_slot(self, *, code: str, scenario: str, slot: str,
                         run_id: uuid.UUID) -> bool:
        """False if the slot's run was started already."""


class TriggersUnitOfWork(Protocol):
    """An event handler's unit of work (AutomationInboxUnitOfWork, or a fake)."""

    @property
    def triggers(self) -> TriggerStore: ...
