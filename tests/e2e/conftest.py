"""E2E tier: the launcher starts the whole platform in a temporary directory on free ports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from kyodo_launcher.platform import METRICS_OFFSET
from kyodo_launcher.processes import pid_alive, wait_gone
from kyodo_testing import free_port, free_port_block

STARTUP_LIMIT_SECONDS = 90


@dataclass
class RunningPlatform:
    var_dir: Path
    gateway: str
    launcher: subprocess.Popen[bytes]
    startup_seconds: float

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = json.loads((self.var_dir / "run" / "platform.json").read_text())
        return state

    def pid(self, process: str) -> int:
        pid: int = self.state()["processes"][process]["pid"]
        return pid

    def kyodo(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kyodo_launcher", *args,
                               "--var-dir", str(self.var_dir)],
                              capture_output=True, text=True, timeout=60, check=False,
                              env={**os.environ, "COLUMNS": "200"})

    def login(self, municipality: str, username: str = "clerk",
              password: str = "kyodo-clerk") -> str:
        response = httpx.post(f"{self.gateway}/v1/auth/token", data={
            "grant_type": "password", "municipality_code": municipality,
            "username": username, "password": password}, timeout=10)
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


def _startup_report(var_dir: Path) -> str:
    """The launcher's output and the end of every component's log: why startup failed."""
    parts = [(var_dir.parent / "launcher.log").read_text()]
    for log in sorted((var_dir / "log").glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-15:]
        parts.append(f"--- {log.name}\n" + "\n".join(tail))
    return "\n".join(parts)


@contextmanager
def running_platform(var_dir: Path, startup_limit: float = STARTUP_LIMIT_SECONDS,
                     **extra_env: str) -> Iterator[RunningPlatform]:
    """`kyodo up` on free loopback ports until the block ends; then Ctrl-C, and every process
    it started must be gone."""
    # The gateway, every service after it, and the metrics ports after those.
    port = free_port_block(2 * METRICS_OFFSET)
    env = {**os.environ, "KYODO_VAR_DIR": str(var_dir), "KYODO_BASE_PORT": str(port),
           "KYODO_POSTGRES_PORT": str(free_port()), "KYODO_BROKER_PORT": str(free_port()),
           # Its pointer for `kyodo …` from any directory (kyodo_launcher.locate) stays here,
           # not where a developer's own `kyodo status` would find the test's platform.
           "XDG_RUNTIME_DIR": str(var_dir.parent / "runtime"),
           **extra_env}
    for name in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"):
        env.pop(name, None)
    started = time.monotonic()
    var_dir.mkdir(parents=True, exist_ok=True)
    log = (var_dir.parent / "launcher.log").open("wb")
    launcher = subprocess.Popen([sys.executable, "-m", "kyodo_launcher", "up"], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    state_path = var_dir / "run" / "platform.json"
    running = RunningPlatform(var_dir, f"http://127.0.0.1:{port}", launcher, 0.0)
    try:
        while True:
            assert launcher.poll() is None, _startup_report(var_dir)
            assert time.monotonic() - started < startup_limit, "platform not ready"
            if state_path.exists() and json.loads(state_path.read_text() or "{}").get("ready"):
                break
            time.sleep(0.1)
        running.startup_seconds = time.monotonic() - started
        yield running
    finally:
        pids = [p["pid"] for p in running.state()["processes"].values()] \
            if state_path.exists() else []
        launcher.send_signal(signal.SIGINT)
        launcher.wait(60)
        log.close()
        left = [pid for pid in pids if not wait_gone(pid, 5)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, f"processes left after Ctrl-C: {left}"
        assert not any(pid_alive(pid) for pid in pids)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    with running_platform(tmp_path_factory.mktemp("kyodo-e2e") / "var") as running:
        yield running
