"""`kyodo migrate`: the migration job against external servers is idempotent."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kyodo_launcher.testing import Infrastructure

pytestmark = pytest.mark.integration


def _migrate(infrastructure: Infrastructure, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": infrastructure.admin_url,
           "KAFKA_BOOTSTRAP_SERVERS": infrastructure.bootstrap_servers,
           "KYODO_DB_ROLE_PASSWORD": infrastructure.role_password, **extra}
    return subprocess.run([sys.executable, "-m", "kyodo_launcher", "migrate", "--seed-demo"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_migrate_runs_twice_without_change_or_error(infrastructure: Infrastructure) -> None:
    first = _migrate(infrastructure)
    second = _migrate(infrastructure)
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "up to date" in second.stdout


def test_migrate_names_what_is_missing(infrastructure: Infrastructure) -> None:
    result = _migrate(infrastructure, KYODO_DB_ROLE_PASSWORD="")
    assert result.returncode == 2
    assert "KYODO_DB_ROLE_PASSWORD" in result.stdout
