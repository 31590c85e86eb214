"""人の判断待ち as the decision writes it: the item, its decision, and the run it resumes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_automation.adapters.tables import human_queue, run_steps, runs


async def item_for_update(session: AsyncSession, item_id: UUID) -> Any:
    return (await session.execute(sa.select(human_queue).where(
        human_queue.c.id == item_id).with_for_update())).first()


async def item(session: AsyncSession, item_id: UUID) -> Any:
    return (await session.execute(sa.select(human_queue).where(
        human_queue.c.id == item_id))).one()


async def decide(session: AsyncSession, item_id: UUID, *, decision: str, note: str | None,
                 by: str) -> None:
    await session.execute(sa.update(human_queue).where(human_queue.c.id == item_id).values(
        state="decided", decision=decision, note=note, decided_by=by,
        decided_at=datetime.now(UTC)))


async def resume(session: AsyncSession, row: Any, *, municipality_code: str, decision: str,
                 note: str | None, by: str) -> None:
    """The decision joins the run's journal, and the run is queued to go on from there."""
    await session.execute(sa.insert(run_steps).values(
        run_id=row.run_id, municipality_code=municipality_code, key=row.key,
        kind="approval", status=decision, step=row.step, item=row.item,
        input={"question": row.reason},
        output={"decision": decision, "by": by, "note": note}))
    await session.execute(sa.update(runs).where(
        runs.c.id == row.run_id, runs.c.state == "waiting").values(state="queued"))
