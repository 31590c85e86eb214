"""`kyodo migrate`: the migration job against external servers is idempotent."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kyodo_launcher.config import role_password_variable
from kyodo_testing import Infrastructure

pytestmark = pytest.mark.integration


def _migrate(infrastructure: Infrastructure, **extra: str) -> subprocess.CompletedProcess[str]:
    passwords = {role_password_variable(role): password
                 for role, password in infrastructure.passwords.items()}
    env = {**os.environ, "DATABASE_URL": infrastructure.admin_url,
           "KAFKA_BOOTSTRAP_SERVERS": infrastructure.bootstrap_servers, **passwords, **extra}
    return subprocess.run([sys.executable, "-m", "kyodo_launcher", "migrate", "--seed-demo"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_migrate_runs_twice_without_change_or_error(infrastructure: Infrastructure) -> None:
    first = _migrate(infrastructure)
    second = _migrate(infrastructure)
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "up to date" in second.stdout


def test_migrate_names_what_is_missing(infrastructure: Infrastructure) -> None:
    result = _migrate(infrastructure, KYODO_DB_PASSWORD_RESIDENTS_OWNER="")
    assert result.returncode == 2
    assert "KYODO_DB_PASSWORD_RESIDENTS_OWNER" in result.stdout


def test_migrate_refuses_two_roles_with_one_password(infrastructure: Infrastructure) -> None:
    shared = infrastructure.passwords["kyodo_tax_app"]
    result = _migrate(infrastructure, KYODO_DB_PASSWORD_TAX_RELAY=shared)
    assert result.returncode == 2
    assert "kyodo_tax_app and kyodo_tax_relay" in " ".join(result.stdout.split())  # wrapped
    assert shared not in result.stdout + result.stderr


async def test_seeding_announces_each_demo_municipality_once(
    infrastructure: Infrastructure,
) -> None:
    import asyncpg

    from kyodo_common.db import asyncpg_dsn
    from kyodo_identity.domain.demo import DEMO_MUNICIPALITIES

    assert _migrate(infrastructure).returncode == 0
    assert _migrate(infrastructure).returncode == 0
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url("identity")))
    try:
        rows = await conn.fetch(
            "SELECT municipality_code, count(*) AS n FROM outbox "
            "WHERE type = 'jp.kyodo.identity.municipality_configured.v1' "
            "GROUP BY municipality_code")
    finally:
        await conn.close()
    announced = {r["municipality_code"]: r["n"] for r in rows}
    for m in DEMO_MUNICIPALITIES:
        assert announced.get(m.code) == 1, m.code
