"""Fakes of the write path's ports for tests without PostgreSQL (dev-only: no service imports
this module). A handler's test runs in milliseconds against them; the integration tests keep
the real unit of work and stores honest."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from kyodo_common.db.staged import StagedWrites
from kyodo_common.events.model import DomainEvent
from kyodo_common.idempotency import StoredResponse, reused


class FakeUnitOfWork:
    """The unit of work's contract in memory: events and staged rows are kept only if
    ``commit`` is called before the block ends."""

    def __init__(self, municipality_code: str = "011002", *, source: str = "kyodo/test") -> None:
        self.municipality_code = municipality_code
        self.source = source
        self.staged = StagedWrites()
        self._events: list[DomainEvent] = []
        self.committed_events: list[DomainEvent] = []
        self.committed: list[StagedWrites] = []

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self.staged = StagedWrites()  # what was not committed is gone
        self._events.clear()

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        self.committed_events.extend(self._events)
        self.committed.append(self.staged)
        self.staged = StagedWrites()
        self._events.clear()

    def committed_rows(self, table: str) -> list[Any]:
        return [row for staged in self.committed for row in staged.rows(table)]


class MemoryKeys:
    """Idempotency-Keys in a dict (kyodo_common.write_pipeline.Keys)."""

    def __init__(self) -> None:
        self._pending: dict[tuple[str, str], str] = {}
        self.answers: dict[tuple[str, str], tuple[str, StoredResponse]] = {}

    async def claim(self, uow: Any, *, caller: str, key: str,
                    fingerprint: str) -> StoredResponse | None:
        found = self.answers.get((caller, key))
        if found is None:  # a claim whose transaction rolled back is no claim
            self._pending[(caller, key)] = fingerprint
            return None
        if found[0] != fingerprint:
            raise reused()
        return found[1]

    def remember(self, uow: Any, *, caller: str, key: str, answer: StoredResponse) -> None:
        self.answers[(caller, key)] = (self._pending.pop((caller, key)), answer)
