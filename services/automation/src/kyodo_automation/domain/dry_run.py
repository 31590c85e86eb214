"""試行 (dry run): the scenario's logic over a journal in memory; reads go to the platform,
every mutating call is listed instead of made, approvals count as given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kyodo_automation.domain.engine import Platform, Record, Response


@dataclass
class PlannedCall:
    method: str
    path: str
    body: Any
    idempotency_key: str
    performed: bool  # reads are made, so that what follows them is realistic

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body,
                "idempotency_key": self.idempotency_key, "performed": self.performed}


class DryRunPlatform:
    """Mutating calls are recorded and answered 200 with an empty body; GETs go through."""

    def __init__(self, reads: Platform | None) -> None:
        self.reads = reads
        self.calls: list[PlannedCall] = []

    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response:
        if method == "GET" and self.reads is not None:
            self.calls.append(PlannedCall(method, path, None, idempotency_key, True))
            return await self.reads.call(method, path, None, idempotency_key=idempotency_key,
                                         purpose=purpose)
        self.calls.append(PlannedCall(method, path, body, idempotency_key, False))
        return Response(200, {})


@dataclass
class MemoryJournal:
    """A journal that forgets: the dry run's, and the unit tests'."""

    approve_all: bool = False
    records: dict[str, Record] = field(default_factory=dict)
    human: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, str]] = field(default_factory=list)

    def recorded(self, key: str) -> Record | None:
        found = self.records.get(key)
        if found is None and self.approve_all and any(
                h["key"] == key and h["kind"] == "approval" for h in self.human):
            return Record(key, "approval", "approved", {"decision": "approved"})
        return found

    async def record(self, key: str, *, kind: str, status: str, step: str, item: int | None,
                     input: Any, output: Any = None, error: str | None = None) -> None:
        self.records[key] = Record(key, kind, status, output)

    async def to_human(self, key: str, *, kind: str, step: str, item: int | None,
                       reason: str, data: Any) -> None:
        self.human.append({"key": key, "kind": kind, "step": step, "item": item,
                           "reason": reason, "data": data})

    async def notify(self, key: str, *, to: str, message: str) -> None:
        self.notifications.append({"to": to, "message": message})
