"""Self-healing on one machine: the embedded broker keeps its log in memory. Killed, or gone
with a restart of the platform, it loses what consumers had not read; the launcher restarts it
and every service publishes those events again from its outbox, with no one's help."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from kyodo_common.db import asyncpg_dsn

from .conftest import RunningPlatform, running_platform
from .delivery import delivery_of

pytestmark = pytest.mark.e2e
NAGAOKA = "152021"
FIVE = 5


def _register(platform: RunningPlatform, token: str, tag: str, block: int = 2) -> list[str]:
    """Five residents, at addresses of their own in ``block`` (the register refuses likely
    duplicates)."""
    ids = []
    with httpx.Client(base_url=platform.gateway, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        for n in range(FIVE):
            response = client.post(
                f"/v1/municipalities/{NAGAOKA}/residents",
                headers={"Idempotency-Key": uuid.uuid4().hex},
                json={"family_name": "長岡", "given_name": f"{tag}{n}",
                      "family_name_kana": "ナガオカ", "given_name_kana": "シミン",
                      "birth_date": "1970-01-01", "sex": "male", "postal_code": "9408501",
                      "address": f"新潟県長岡市大手通{block}丁目{n}番"})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
    return ids


def _until(check: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _published(platform: RunningPlatform) -> bool:
    async def pending() -> int:
        conn = await asyncpg.connect(asyncpg_dsn(platform.state()["databases"]["residents"]))
        try:
            count: int = await conn.fetchval("SELECT count(*) FROM outbox_pending")
            return count
        finally:
            await conn.close()

    return asyncio.run(pending()) == 0


def _points_taken_after(platform: RunningPlatform, moment: float) -> None:
    """A round of republish points that began after ``moment`` (two rounds end after it)."""
    def taken() -> str | None:
        recovery = platform.state().get("recovery") or {}
        return recovery.get("points_taken_at")

    for _ in range(2):
        before = taken()
        _until(lambda before=before: taken() != before, 60, "a round of republish points")
    assert time.time() > moment


def _registered_and_unread(platform: RunningPlatform, tag: str) -> list[str]:
    """Five residents registered and published while certificates' worker is paused."""
    token = platform.login(NAGAOKA)
    os.kill(platform.pid("certificates-worker"), signal.SIGSTOP)
    ids = _register(platform, token, tag)
    _until(lambda: _published(platform), 60, "residents' relay")
    _points_taken_after(platform, time.time())
    return ids


def _arrived_once(platform: RunningPlatform, ids: list[str]) -> None:
    databases = platform.state()["databases"]
    _until(lambda: asyncio.run(delivery_of(databases, ids)).exactly_once(FIVE), 120,
           "every event applied once by every reader")
    # And once more, a while later: nothing applied twice.
    time.sleep(2)
    delivery = asyncio.run(delivery_of(databases, ids))
    assert delivery.exactly_once(FIVE), delivery


def _kyodo_elsewhere(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kyodo …` from another directory, without --var-dir or KYODO_VAR_DIR."""
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path / "runtime"), "COLUMNS": "200"}
    env.pop("KYODO_VAR_DIR", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "kyodo_launcher", *args], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=60, check=False)


def test_a_killed_broker_is_restarted_and_nothing_it_lost_is_lost(tmp_path: Path) -> None:
    with running_platform(tmp_path / "var",
                          XDG_RUNTIME_DIR=str(tmp_path / "runtime")) as platform:
        _until(lambda: (platform.state().get("recovery") or {}).get("points_taken_at"), 60,
               "the first republish points")
        ids = _registered_and_unread(platform, "壊")
        worker = platform.pid("certificates-worker")
        broker = platform.pid("broker")
        os.kill(broker, signal.SIGKILL)
        _until(lambda: platform.state()["processes"]["broker"]["pid"] != broker, 30,
               "the broker restarted")
        _until(lambda: ((platform.state()["recovery"] or {}).get("last") or {}).get("reason")
               == "broker restarted", 60, "the republication")
        # The paused worker had read the old broker: replaced, not resumed (it would carry
        # its positions into the new one; kyodo_launcher.broker.start_empty).
        assert platform.pid("certificates-worker") != worker
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGCONT)
        _arrived_once(platform, ids)
        status = _kyodo_elsewhere(tmp_path, "status")  # found from any directory
        assert status.returncode == 0, status.stdout + status.stderr
        assert "Broker restarts: 1" in status.stdout
        assert "Recovered (broker restarted" in status.stdout
        logs = _kyodo_elsewhere(tmp_path, "logs", "gateway", "residents", "--json", "-n", "20")
        assert logs.returncode == 0, logs.stdout + logs.stderr
        entries = [json.loads(line) for line in logs.stdout.splitlines()]
        assert {e["component"] for e in entries} <= {"gateway", "residents"} and entries
        traced = [e["trace_id"] for e in entries if e.get("trace_id")]
        if traced:
            waterfall = _kyodo_elsewhere(tmp_path, "trace", traced[-1])
            assert waterfall.returncode == 0, waterfall.stdout + waterfall.stderr


def test_a_restart_of_the_platform_loses_nothing_either(tmp_path: Path) -> None:
    """The broker's memory goes with the platform: `kyodo up` publishes it all again."""
    with running_platform(tmp_path / "var") as platform:
        _until(lambda: (platform.state().get("recovery") or {}).get("points_taken_at"), 60,
               "the first republish points")
        ids = _registered_and_unread(platform, "再")
        # SIGTERM waits while it is stopped: the launcher kills it after its grace period.
    with running_platform(tmp_path / "var") as platform:
        _arrived_once(platform, ids)
        status = platform.kyodo("status")
        assert "Recovered (platform started" in status.stdout
