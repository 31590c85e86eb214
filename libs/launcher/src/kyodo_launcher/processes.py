"""Child processes the launcher starts, each with its log file, stopped by PID."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from kyodo_common.worker_pause import PAUSE_SIGNAL, PAUSED_FILE_ENV, RESUME_SIGNAL


@dataclass
class Child:
    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    stop_signal: int = signal.SIGTERM
    restart: bool = False
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    # Stopped on purpose for a moment (the workers while an empty broker gets its topics,
    # kyodo_launcher.broker.start_empty): the supervisor does not start it again itself.
    held: bool = False
    # Where a worker acknowledges a pause (kyodo_common.worker_pause); None: it cannot pause.
    paused_file: Path | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env}
        if self.paused_file is not None:
            self.paused_file.parent.mkdir(parents=True, exist_ok=True)
            self.paused_file.unlink(missing_ok=True)
            env[PAUSED_FILE_ENV] = str(self.paused_file)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, user=self.user,
            start_new_session=True,  # Ctrl-C reaches the launcher only; it stops us in order
        )
        log.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.process is not None
        self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def pause(self) -> bool:
        """Ask a worker to pause (its acknowledgement: ``paused``); False if it cannot."""
        if self.paused_file is None or not self.alive():
            return False
        assert self.process is not None
        self.paused_file.unlink(missing_ok=True)
        self.process.send_signal(PAUSE_SIGNAL)
        return True

    def paused(self) -> bool:
        """Alive and paused: its file names this very process."""
        if self.paused_file is None or not self.alive():
            return False
        try:
            return self.paused_file.read_text().strip() == str(self.pid)
        except OSError:
            return False

    def resume(self) -> None:
        """Resume a paused worker. Its file goes first: until the worker has handled the
        signal it would still read as paused, and a restart right after this one would keep
        it alive instead of killing it."""
        if self.paused_file is not None:
            self.paused_file.unlink(missing_ok=True)
        if self.alive():
            assert self.process is not None
            self.process.send_signal(RESUME_SIGNAL)

    def kill(self) -> None:
        """SIGKILL (even a stopped process), and wait until it is gone."""
        if not self.alive():
            return
        assert self.process is not None
        self.process.kill()
        self.process.wait(5)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return not pid_alive(pid)
