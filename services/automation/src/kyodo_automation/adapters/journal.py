"""The engine's journal in the automation database: each record commits on its own, so a run
killed at any point resumes after the last step it recorded."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from kyodo_automation_events import AutomationNotified
from sqlalchemy.dialects.postgresql import insert

from kyodo_automation.adapters.tables import human_queue, run_steps
from kyodo_automation.domain.engine import Record
from kyodo_common.db import Database, UnitOfWork

SOURCE = "kyodo/automation"


class DbJournal:
    def __init__(self, db: Database, *, code: str, run_id: uuid.UUID, scenario: str,
                 records: dict[str, Record], trace_id: str | None) -> None:
        self.db, self.code, self.run_id, self.scenario = db, code, run_id, scenario
        self.records = records
        self.trace_id = trace_id

    @classmethod
    async def load(cls, db: Database, *, code: str, run_id: uuid.UUID, scenario: str,
                   trace_id: str | None) -> DbJournal:
        s = run_steps.c
        async with db.tenant_transaction(code) as session:
            rows = (await session.execute(sa.select(s.key, s.kind, s.status, s.output).where(
                s.run_id == run_id))).all()
        records = {r.key: Record(r.key, r.kind, r.status, r.output) for r in rows}
        return cls(db, code=code, run_id=run_id, scenario=scenario, records=records,
                   trace_id=trace_id)

    def recorded(self, key: str) -> Record | None:
        return self.records.get(key)

    def _row(self, key: str, *, kind: str, status: str, step: str, item: int | None,
             input: Any, output: Any, error: str | None) -> dict[str, Any]:
        return {"run_id": self.run_id, "municipality_code": self.code, "key": key,
                "kind": kind, "status": status, "step": step, "item": item, "input": input,
                "output": output, "error": error, "trace_id": self.trace_id}

    async def record(self, key: str, *, kind: str, status: str, step: str, item: int | None,
                     input: Any, output: Any = None, error: str | None = None) -> None:
        row = self._row(key, kind=kind, status=status, step=step, item=item, input=input,
                        output=output, error=error)
        statement = insert(run_steps).values(row)
        statement = statement.on_conflict_do_update(
            index_elements=[run_steps.c.run_id, run_steps.c.key],
            set_={c: statement.excluded[c] for c in ("status", "output", "error", "trace_id")})
        async with self.db.tenant_transaction(self.code) as session:
            await session.execute(statement)
        self.records[key] = Record(key, kind, status, output)

    async def to_human(self, key: str, *, kind: str, step: str, item: int | None,
                       reason: str, data: Any) -> None:
        async with self.db.tenant_transaction(self.code) as session:
            await session.execute(insert(human_queue).values(
                id=uuid.uuid4(), municipality_code=self.code, run_id=self.run_id,
                scenario=self.scenario, key=key, kind=kind, step=step, item=item,
                reason=reason[:2000], data=data, state="open",
            ).on_conflict_do_nothing(index_elements=[human_queue.c.run_id, human_queue.c.key]))

    async def notify(self, key: str, *, to: str, message: str) -> None:
        """The event and the step's record in one transaction: told once, even after a crash."""
        async with UnitOfWork(self.db, source=SOURCE, municipality_code=self.code) as uow:
            claimed = await uow.session.execute(insert(run_steps).values(self._row(
                key, kind="notify", status="done", step=key.split("[")[0], item=None,
                input={"to": to, "message": message}, output=None, error=None,
            )).on_conflict_do_nothing().returning(run_steps.c.key))
            if claimed.first() is not None:
                uow.record(AutomationNotified(run_id=self.run_id, municipality_code=self.code,
                                              scenario=self.scenario, to=to, message=message))
            await uow.commit()
        self.records[key] = Record(key, "notify", "done", None)
