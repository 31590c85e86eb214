"""The whole platform for a benchmark: started by the launcher in a temporary directory on free
loopback ports (as tests/e2e/conftest.py does), stopped by SIGINT, its processes checked by PID."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo_launcher.platform import METRICS_OFFSET
from kyodo_launcher.ports import free_port
from kyodo_launcher.processes import pid_alive, wait_gone

# A busy shared machine can take longer (startup took over 240 s under load):
# KYODO_BENCH_STARTUP_SECONDS changes the limit.
STARTUP_LIMIT_SECONDS = int(os.environ.get("KYODO_BENCH_STARTUP_SECONDS", "420"))
LOCALHOST = "127.0.0.1"


class PlatformFailed(RuntimeError):
    pass


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

    def database(self, service: str) -> str:
        """The owner/admin URL of a service's database (bypasses row-level security)."""
        url: str = self.state()["databases"][service]
        return url

    @property
    def bootstrap_servers(self) -> str:
        servers: str = self.state()["bootstrap_servers"]
        return servers

    @property
    def traces_dir(self) -> Path:
        return self.var_dir / "traces"


def _free_block(size: int) -> int:
    """A port whose next ``size - 1`` ports are free too (free_port checks only one)."""
    for _ in range(50):
        base: int = free_port()
        if base + size > 65535:
            continue
        try:
            for offset in range(1, size):
                with socket.socket() as s:
                    s.bind((LOCALHOST, base + offset))
        except OSError:
            continue
        return base
    raise PlatformFailed(f"no block of {size} free loopback ports")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextmanager
def running_platform() -> Iterator[RunningPlatform]:
    """`kyodo up` on free loopback ports; on exit SIGINT, then every PID is checked gone."""
    with tempfile.TemporaryDirectory(prefix="kyodo-bench-") as tmp:
        var_dir = Path(tmp) / "var"
        # The gateway, then each service at its catalogue offset (+1 identity … +5 disaster).
        port = _free_block(2 * METRICS_OFFSET)  # APIs, then the metrics ports
        env = {**os.environ, "KYODO_VAR_DIR": str(var_dir), "KYODO_BASE_PORT": str(port),
               "KYODO_POSTGRES_PORT": str(free_port()), "KYODO_BROKER_PORT": str(free_port()),
               # each process's own start: a shared machine took over the default 60 s
               "KYODO_READY_TIMEOUT": os.environ.get("KYODO_READY_TIMEOUT", "300")}
        for name in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "OTEL_EXPORTER_OTLP_ENDPOINT"):
            env.pop(name, None)
        log_path = Path(tmp) / "launcher.log"
        state_path = var_dir / "run" / "platform.json"
        started = time.monotonic()
        with log_path.open("wb") as log:
            launcher = subprocess.Popen([sys.executable, "-m", "kyodo_launcher", "up"], env=env,
                                        stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        running = RunningPlatform(var_dir, f"http://{LOCALHOST}:{port}", launcher, 0.0)
        pids: list[int] = []
        try:
            while True:
                if launcher.poll() is not None:
                    raise PlatformFailed(f"launcher exited:\n{_tail(log_path)}")
                if time.monotonic() - started > STARTUP_LIMIT_SECONDS:
                    raise PlatformFailed(f"platform not ready in {STARTUP_LIMIT_SECONDS} s:\n"
                                         f"{_tail(log_path)}")
                if state_path.exists():
                    try:
                        ready = json.loads(state_path.read_text() or "{}").get("ready")
                    except ValueError:
                        ready = False  # written atomically, but be safe
                    if ready:
                        break
                time.sleep(0.1)
            running.startup_seconds = time.monotonic() - started
            pids = [p["pid"] for p in running.state()["processes"].values() if p["pid"]]
            yield running
            if os.environ.get("KYODO_BENCH_KEEP_LOGS"):  # to read a run that did not fail
                _keep_logs(var_dir, log_path)
        except BaseException:
            _keep_logs(var_dir, log_path)
            raise
        finally:
            _stop(running, state_path, pids, log_path)


def _keep_logs(var_dir: Path, launcher_log: Path) -> None:
    """The temporary directory goes away: keep the logs of a failed benchmark for reading."""
    kept = Path(tempfile.mkdtemp(prefix="kyodo-bench-logs-"))
    for path in [launcher_log, *(var_dir / "log").glob("*.log")]:
        if path.exists():
            shutil.copy2(path, kept / path.name)
    print(f"logs of the failed benchmark kept in {kept}", file=sys.stderr)


def _stop(running: RunningPlatform, state_path: Path, pids: list[int], log_path: Path) -> None:
    if state_path.exists():  # children restarted by the launcher have new PIDs
        try:
            pids = sorted({*pids, *(p["pid"] for p in running.state()["processes"].values()
                                    if p["pid"])})
        except (OSError, ValueError, KeyError):
            pass
    launcher = running.launcher
    if launcher.poll() is None:
        launcher.send_signal(signal.SIGINT)
        try:
            launcher.wait(60)
        except subprocess.TimeoutExpired:
            launcher.kill()
            launcher.wait(5)
    left = [pid for pid in pids if not wait_gone(pid, 5)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)  # a child of the launcher this benchmark started
    still = [pid for pid in pids if pid_alive(pid)]
    if left:
        raise PlatformFailed(f"processes left after SIGINT (killed): {left}, "
                             f"alive now: {still}\n{_tail(log_path)}")
