"""`kyodo backup` of a running platform, `kyodo restore` into a fresh one: every resident,
certificate and access-log chain is there, the chains verify, and the certificates too."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx
import pytest

from kyodo_common.audit import GENESIS, SELECT_COLUMNS, entry_hash
from kyodo_common.db import asyncpg_dsn
from kyodo_testing import free_port

from .conftest import running_platform

pytestmark = pytest.mark.e2e
SANJO = "152048"
CHAINED = ("identity", "residents", "certificates")


def _until(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


async def _chains(url: str) -> dict[str, tuple[int, bool]]:
    """Per municipality: sealed entries, and whether the chain re-computes (the same
    computation as the services' verification endpoints)."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        result = {}
        for tenant in await conn.fetch("SELECT DISTINCT municipality_code FROM access_log"):
            code = tenant["municipality_code"]
            rows = await conn.fetch(
                f"SELECT {SELECT_COLUMNS}, seq, prev_hash, hash FROM access_log "  # noqa: S608
                "WHERE municipality_code = $1 AND hash IS NOT NULL ORDER BY seq", code)
            prev, valid = GENESIS, True
            for expected, row in enumerate(rows, start=1):
                valid = valid and row["seq"] == expected and row["prev_hash"] == prev \
                    and entry_hash(prev, row) == row["hash"]
                prev = row["hash"]
            result[code] = (len(rows), valid)
        return result
    finally:
        await conn.close()


async def _unsealed(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM access_log WHERE hash IS NULL")
        return count
    finally:
        await conn.close()


def _restore(var_dir: Path, backup: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KYODO_POSTGRES_PORT": str(free_port())}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "kyodo_launcher", "restore", str(backup),
                           "--yes", "--var-dir", str(var_dir)], capture_output=True, text=True,
                          timeout=300, check=False, env=env)


def test_a_backup_restored_into_a_fresh_platform_has_everything(tmp_path: Path) -> None:
    backup_dir = tmp_path / "backup"
    with running_platform(tmp_path / "a") as platform:
        gateway = platform.gateway
        headers = {"Authorization": f"Bearer {platform.login(SANJO)}",
                   "X-Kyodo-Purpose": "residence-certificate"}
        residents, certificates = [], []
        for n in range(3):
            created = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/residents", json={
                "family_name": "控え", "given_name": f"花子{n}", "family_name_kana": "ヒカエ",
                "given_name_kana": "ハナコ", "birth_date": "1980-03-03", "sex": "female",
                "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号",
                "confirm_not_duplicate": True},  # the same kana, birth date and address
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
            assert created.status_code == 201, created.text
            residents.append(created.json()["id"])
        snapshot = f"{gateway}/v1/municipalities/{SANJO}/certificates/residents/{{}}"
        _until(lambda: all(httpx.get(snapshot.format(i), headers=headers,
                                     timeout=10).status_code == 200 for i in residents))
        for resident in residents:
            issued = httpx.post(
                f"{gateway}/v1/municipalities/{SANJO}/certificates/residence",
                json={"resident_id": resident, "terminal": "本庁1", "printer": "P1"},
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex,
                         "Accept": "application/pdf"}, timeout=10)
            assert issued.status_code == 201, issued.text
            certificates.append((issued.headers["X-Kyodo-Certificate-Id"],
                                 issued.headers["X-Kyodo-Verification-Code"]))
        databases = platform.state()["databases"]
        _until(lambda: all(asyncio.run(_unsealed(databases[s])) == 0 for s in CHAINED))
        before = {s: asyncio.run(_chains(databases[s])) for s in CHAINED}
        backed_up = platform.kyodo("backup", "--to", str(backup_dir))
        assert backed_up.returncode == 0, backed_up.stdout + backed_up.stderr

    assert all(valid for chains in before.values() for _, valid in chains.values())
    assert before["residents"][SANJO][0] >= 3 and before["certificates"][SANJO][0] >= 3
    fresh = tmp_path / "b"
    restored = _restore(fresh, backup_dir)
    assert restored.returncode == 0, restored.stdout + restored.stderr

    with running_platform(fresh) as platform:
        gateway = platform.gateway
        headers = {"Authorization": f"Bearer {platform.login(SANJO)}",
                   "X-Kyodo-Purpose": "residence-certificate"}
        for resident in residents:
            found = httpx.get(f"{gateway}/v1/municipalities/{SANJO}/residents/{resident}",
                              headers=headers, timeout=10)
            assert found.status_code == 200, found.text
        for certificate, code in certificates:
            shown = httpx.get(f"{gateway}/v1/municipalities/{SANJO}/certificates/{certificate}",
                              headers=headers, timeout=10)
            assert shown.status_code == 200, shown.text
            verdict = httpx.get(f"{gateway}/v1/certificates/verify/{code}", timeout=10)
            assert verdict.json()["result"] == "genuine", verdict.text
        databases = platform.state()["databases"]
        after = {s: asyncio.run(_chains(databases[s])) for s in CHAINED}
        for service, chains in before.items():
            for code, (entries, _) in chains.items():
                count, valid = after[service][code]
                assert valid and count >= entries, (service, code, after[service][code])
