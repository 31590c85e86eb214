"""Announced 転出 take effect on their day by themselves: the residents worker looks every few
minutes (and once when it starts) for the municipalities that have one due, through a narrow
function that returns their codes only (migration 0011), and completes them in each
municipality's own transactions, as the route does, in the platform's name.

Nothing is lost on a crash: a person's new status, history row, event (outbox) and access-log
entry commit together, and whatever a crash rolled back is still due at the next look. Two
workers at once complete each person once: the due persons are locked as they are read (FOR
UPDATE SKIP LOCKED), and a person completed by the other worker is no longer announced.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date

from kyodo_common.audit import stage_accesses
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.runtime import sleep_or_stop
from kyodo_residents.adapters import store
from kyodo_residents.service_layer.moves import complete_announced_move_outs
from kyodo_residents.service_layer.unit_of_work import RegisterUnitOfWork

log = logging.getLogger(__name__)

# Who completed them, in the access log, when no clerk called the route: the platform's
# scheduled completion (a service, not a person).
SCHEDULED_COMPLETION = "residents.scheduled-completion"


def scheduled_completion(code: str) -> Principal:
    return Principal(subject=SCHEDULED_COMPLETION, home_municipality=code, kind="service",
                     roles=frozenset(), scopes=frozenset(), expires_at=0.0, token_id="")


async def complete_due_move_outs(db: Database, code: str, *, today: date,
                                 principal: Principal, grant_id: str | None = None,
                                 batch: int = 100) -> int:
    """Every announced 転出 of the municipality due on or before ``today`` takes effect, a
    batch per transaction; returns how many. The transactions must see protected people
    (the caller's business: the route checks its caller, the worker sees every row)."""
    completed = 0
    while True:
        async with RegisterUnitOfWork(db, municipality_code=code) as uow:
            outcomes = await complete_announced_move_outs(uow=uow, today=today, limit=batch)
            stage_accesses(uow.staged, principal=principal, acting_municipality=code,
                           action="転出", subject_type="resident",
                           subject_ids=[str(o.event.subject_id) for o in outcomes],
                           fields=["register"], purpose=None, grant_id=grant_id)
            await uow.commit()
        completed += len(outcomes)
        if len(outcomes) < batch:
            return completed


async def municipalities_with_due_move_outs(db: Database, today: date) -> list[str]:
    """The codes of the municipalities with an announced 転出 due on or before ``today``."""
    async with db.platform_transaction() as session:
        return await store.municipalities_with_due_move_outs(session, today)


async def complete_every_due_move_out(db: Database, *, today: date) -> int:
    """One look: every municipality's due 転出; returns how many persons were completed. A
    municipality that fails is logged and tried again at the next look; the others go on."""
    completed = 0
    for code in await municipalities_with_due_move_outs(db, today):
        try:
            done = await complete_due_move_outs(db, code, today=today,
                                                principal=scheduled_completion(code))
        except Exception as exc:
            log.warning("announced move-outs of %s not completed (%s); next look retries",
                        code, type(exc).__name__)
            continue
        if done:
            log.info("completed %d announced move-outs of %s", done, code)
        completed += done
    return completed


async def run_completion_loop(database_url: str, stop: asyncio.Event, *,
                              interval_seconds: float,
                              today: Callable[[], date] = today_in_japan) -> None:
    """Until ``stop``: a look at once, then one every ``interval_seconds``."""
    db = Database(database_url, pool_size=2)
    try:
        while not stop.is_set():
            try:
                await complete_every_due_move_out(db, today=today())
            except Exception as exc:  # the database away: try again at the next look
                log.warning("announced move-outs completion interrupted (%s)",
                            type(exc).__name__)
            await sleep_or_stop(stop, interval_seconds)
    finally:
        await db.dispose()
