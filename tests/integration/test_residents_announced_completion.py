"""Announced 転出 take effect on their day by themselves: the residents worker's loop completes
them without anyone calling the route, once each though two workers look at the same time,
protected people's too, in the platform's name (docs/operations.md, register rules)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, asyncpg_dsn
from kyodo_residents.service_layer import scheduled_completion
from kyodo_residents.service_layer.scheduled_completion import (
    SCHEDULED_COMPLETION,
    complete_every_due_move_out,
    municipalities_with_due_move_outs,
    run_completion_loop,
)
from kyodo_testing import Infrastructure, TokenMinter

from .conftest import NAGAOKA, SANJO
from .db_roles import as_owner
from .residents_client import Clerk, residents_app
from .test_residents_household_moves import _etag, _outbox

pytestmark = pytest.mark.integration
MOVED_OUT = "jp.kyodo.resident.moved_out.v1"
# The loop's clock, two days on: a 転出 filed for tomorrow is then due since yesterday.
LATER = today_in_japan() + timedelta(days=2)


def day(offset: int) -> str:
    return (today_in_japan() + timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
async def clerks(infrastructure: Infrastructure, tokens: TokenMinter,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Clerk, Clerk]]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Clerk(client, SANJO, tokens), Clerk(client, NAGAOKA, tokens)


async def _announced(clerk: Clerk, *, on: str, destination: dict[str, str],
                     protected: bool = False) -> str:
    """A resident whose 転出 is filed for ``on`` (a later day): announced."""
    town = "三条市" if clerk.code == SANJO else "長岡市"
    rid: str = (await clerk.move_in(effective=day(-90), household={"new_household": {
        "postal_code": "955-0072",
        "address": f"新潟県{town}予定町{uuid.uuid4().int % 10_000}番地"}}))["residents"][0][
        "resident_id"]
    if protected:
        measure = await clerk.post(f"/{rid}/protection-measures", {"starts_on": day(0)})
        assert measure.status_code == 201, measure.text
    moved = await clerk.post(f"/{rid}/move-out", {"effective_date": on,
                                                  "destination": destination},
                             version=await _etag(clerk, f"/{rid}"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["residents"][0]["status"] == "announced"
    return rid


async def _status(infrastructure: Infrastructure, code: str, rid: str) -> str:
    [row] = await as_owner(infrastructure, "residents", code,
                           "SELECT status FROM residents WHERE id = $1", uuid.UUID(rid))
    return str(row["status"])


async def _door_as_app_blind_to_protected(infrastructure: Infrastructure
                                          ) -> tuple[str | None, str]:
    """The app role, in a transaction that may not see protected people, without tenant."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("residents")["DATABASE_URL"]))
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('kyodo.sees_protected', 'off', true)")
            codes = [r[0] for r in await conn.fetch(
                "SELECT municipality_code FROM municipalities_with_due_move_outs($1)", LATER)]
            after = await conn.fetchval("SELECT current_setting('kyodo.sees_protected')")
    finally:
        await conn.close()
    return (NAGAOKA if NAGAOKA in codes else None), after


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_the_worker_completes_due_announced_move_outs_once_and_leaves_later_ones(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    sanjo, nagaoka = clerks
    to_nagaoka = {"address": "新潟県長岡市大手通1丁目4番地10", "municipality_code": NAGAOKA,
                  "postal_code": "940-0062"}
    to_sanjo = {"address": "新潟県三条市旭町二丁目3番1号", "municipality_code": SANJO,
                "postal_code": "955-8686"}
    due = await _announced(sanjo, on=day(1), destination=to_nagaoka)
    later = await _announced(sanjo, on=day(3), destination=to_nagaoka)
    # Alone in Nagaoka's due list (支援措置): the look finds the town through her.
    protected = await _announced(nagaoka, on=day(1), destination=to_sanjo, protected=True)
    assert {SANJO, NAGAOKA} <= set(await municipalities_with_due_move_outs(residents_db, LATER))
    assert NAGAOKA not in await municipalities_with_due_move_outs(
        residents_db, today_in_japan() - timedelta(days=3650))
    # Whoever calls the door, it sees protected people, and gives the caller's setting back.
    assert await _door_as_app_blind_to_protected(infrastructure) == (NAGAOKA, "off")
    # Outside the function the owner, without a tenant, still sees no resident at all.
    owner = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("residents")))
    try:
        assert await owner.fetchval("SELECT count(*) FROM residents WHERE status = 'announced'"
                                    ) == 0
    finally:
        await owner.close()

    url = infrastructure.urls("residents")["DATABASE_URL"]
    stop = asyncio.Event()
    workers = [asyncio.create_task(run_completion_loop(url, stop, interval_seconds=0.2,
                                                       today=lambda: LATER))
               for _ in range(2)]
    try:
        async def completed() -> bool:
            return (await _status(infrastructure, SANJO, due) == "moved_out"
                    and await _status(infrastructure, NAGAOKA, protected) == "moved_out")

        await _until(completed)
        await asyncio.sleep(1.0)  # a few more looks by both: nothing more happens
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*workers), 30)

    assert await _status(infrastructure, SANJO, later) == "announced"
    events: dict[str, list[Any]] = {}
    for row in await _outbox(infrastructure, MOVED_OUT, [due, protected, later]):
        state = json.loads(row["data"])["residents"][0]
        events.setdefault(row["subject"], []).append((state["status"], state["left_on"]))
    # The filing's event (announced), then exactly one of the completion (moved out).
    assert sorted(events[due]) == [("announced", day(1)), ("moved_out", day(1))]
    assert sorted(events[protected]) == [("announced", day(1)), ("moved_out", day(1))]
    assert events[later] == [("announced", day(3))]
    for code, rid in ((SANJO, due), (NAGAOKA, protected)):
        entries = await as_owner(infrastructure, "residents", code,
                                 "SELECT actor, actor_home, action FROM access_log "
                                 "WHERE subject_id = $1 AND actor = $2", rid,
                                 SCHEDULED_COMPLETION)
        assert [(e["actor_home"], e["action"]) for e in entries] == [(code, "転出")]


async def test_a_completion_cut_short_leaves_nothing_behind_and_the_next_look_completes_it(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sanjo, _ = clerks
    rid = await _announced(sanjo, on=day(1), destination={
        "address": "新潟県長岡市大手通1丁目4番地10", "municipality_code": NAGAOKA,
        "postal_code": "940-0062"})
    complete = scheduled_completion.complete_announced_move_outs

    async def crashing(**arguments: Any) -> Any:
        await complete(**arguments)  # the persons changed in the transaction, then a crash
        raise ConnectionResetError

    monkeypatch.setattr(scheduled_completion, "complete_announced_move_outs", crashing)
    assert await complete_every_due_move_out(residents_db, today=LATER) == 0
    assert await _status(infrastructure, SANJO, rid) == "announced"
    assert [json.loads(r["data"])["residents"][0]["status"]
            for r in await _outbox(infrastructure, MOVED_OUT, [rid])] == ["announced"]

    monkeypatch.undo()
    assert await complete_every_due_move_out(residents_db, today=LATER) >= 1
    assert await _status(infrastructure, SANJO, rid) == "moved_out"
    assert sorted(json.loads(r["data"])["residents"][0]["status"]
                  for r in await _outbox(infrastructure, MOVED_OUT, [rid])) == [
        "announced", "moved_out"]
