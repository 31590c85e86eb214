"""The short fault suite (the full one is `make chaos`, bench/chaos.py): clerks of two towns
register residents through the gateway for ~20 s while residents' worker (the relay), then
certificates' worker, then PostgreSQL's postmaster are killed (SIGKILL; the launcher's
supervisor starts each again, PostgreSQL recovering from its WAL). Afterwards every 2xx
registration's event is applied exactly once by every reader, counted per event id, and every
key asked again answers the same."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import pytest

from kyodo_launcher.faults import TOWNS, Clerk, Ledger, ask_again, login, quiet, verdict

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
LOAD_SECONDS = 20.0
INTERVAL = 0.25  # per clerk: with two clerks per town about 8 registrations a second
QUIET_TIMEOUT = 90.0


async def _load_with_kills(platform: RunningPlatform) -> tuple[Ledger, dict[str, Clerk]]:
    ledger = Ledger()
    stop = asyncio.Event()
    killed: dict[str, int] = {}

    async def saboteur() -> None:
        for name, at in (("residents-worker", 4.0), ("certificates-worker", 8.0),
                         ("postgres", 12.0)):
            await asyncio.sleep(at - (time.monotonic() - started))
            killed[name] = platform.pid(name)
            os.kill(killed[name], signal.SIGKILL)
        await asyncio.sleep(LOAD_SECONDS - (time.monotonic() - started))
        stop.set()

    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
        clerks = {town: Clerk(town, await login(platform.gateway, town), client, ledger, [])
                  for town in TOWNS}
        started = time.monotonic()
        await asyncio.gather(saboteur(), *(clerk.work(stop, INTERVAL, 0)
                                           for clerk in clerks.values() for _ in range(2)))
        for name, pid in killed.items():
            assert platform.pid(name) != pid, f"{name} was not restarted"
        state = platform.state()
        deadline = time.monotonic() + QUIET_TIMEOUT
        while not await quiet(state["databases"], state["bootstrap_servers"]):
            assert time.monotonic() < deadline, "outboxes or consumer lag not drained"
            await asyncio.sleep(0.5)
        # Every key that was retried, and some others, sent once more with the same body.
        again = sorted(ledger.retried & set(ledger.registered)) + list(ledger.registered)[:20]
        await ask_again(clerks, ledger, again)
    return ledger, clerks


def test_every_2xx_registration_arrives_once_through_worker_kills(
    platform: RunningPlatform,
) -> None:
    ledger, _ = asyncio.run(_load_with_kills(platform))
    assert ledger.ok >= 50, ledger  # the load really ran
    assert not ledger.given_up, ledger.given_up
    found = asyncio.run(verdict(ledger, platform.state()["databases"]))
    assert found.clean, found
    assert found.lost == found.duplicated == found.answered_differently == 0
