"""The register through the gateway: a move between two platform municipalities, and fuzzing."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from kyodo_common.clock import today_in_japan

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO, NAGAOKA = "152048", "152021"


def _eventually(fetch: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if result is not None or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def test_a_move_from_sanjo_to_nagaoka_is_confirmed_not_rekeyed_and_seen_by_certificates(
    platform: RunningPlatform,
) -> None:
    gateway, today = platform.gateway, today_in_japan().isoformat()
    purpose = {"X-Kyodo-Purpose": "transfer-notice"}
    sanjo = {"Authorization": f"Bearer {platform.login(SANJO)}", **purpose}
    nagaoka = {"Authorization": f"Bearer {platform.login(NAGAOKA)}", **purpose}
    created = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/residents", json={
        "family_name": "移動", "given_name": "花子", "family_name_kana": "イドウ",
        "given_name_kana": "ハナコ", "birth_date": "1988-08-08", "sex": "female",
        "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号",
        "confirm_not_duplicate": True},
        headers={**sanjo, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert created.status_code == 201, created.text
    origin = created.json()

    moved_out = httpx.post(
        f"{gateway}/v1/municipalities/{SANJO}/residents/{origin['id']}/move-out",
        json={"effective_date": today, "destination": {
            "municipality_code": NAGAOKA, "postal_code": "940-8501",
            "address": "新潟県長岡市大手通1丁目4番地10"}},
        headers={**sanjo, "Idempotency-Key": uuid.uuid4().hex, "If-Match": 'W/"1"'},
        timeout=10)
    assert moved_out.status_code == 200, moved_out.text

    def notice() -> dict[str, Any] | None:
        listed = httpx.get(f"{gateway}/v1/municipalities/{NAGAOKA}/residents/transfers/incoming",
                           params={"limit": 500}, headers=nagaoka, timeout=10).json()["items"]
        return next((t for t in listed if t["resident"]["resident_id"] == origin["id"]), None)

    transfer = _eventually(notice)
    assert transfer is not None, "the transfer notice never reached Nagaoka"
    assert transfer["origin_municipality"] == SANJO
    assert transfer["resident"]["family_name"] == "移動"

    moved_in = httpx.post(
        f"{gateway}/v1/municipalities/{NAGAOKA}/residents/transfer-move-ins",
        json={"transfer_id": transfer["id"], "effective_date": today,
              "with_my_number_card": True},
        headers={**nagaoka, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert moved_in.status_code == 201, moved_in.text
    arrived = moved_in.json()["residents"][0]
    assert arrived["platform_person_id"] == origin["platform_person_id"]
    assert arrived["address"] == "新潟県長岡市大手通1丁目4番地10"
    assert arrived["family_name_kana"] == "イドウ"  # confirmed, not re-keyed

    def snapshot(code: str, headers: dict[str, str], resident_id: str,
                 status: str) -> dict[str, Any] | None:
        response = httpx.get(
            f"{gateway}/v1/municipalities/{code}/certificates/residents/{resident_id}",
            headers=headers, timeout=10)
        body = response.json() if response.status_code == 200 else None
        return body if body and body["status"] == status else None

    left = _eventually(lambda: snapshot(SANJO, sanjo, origin["id"], "moved_out"))
    came = _eventually(lambda: snapshot(NAGAOKA, nagaoka, arrived["resident_id"], "resident"))
    assert left is not None and came is not None
    assert left["platform_person_id"] == came["platform_person_id"]
    reused = httpx.post(
        f"{gateway}/v1/municipalities/{NAGAOKA}/residents/transfer-move-ins",
        json={"transfer_id": transfer["id"], "effective_date": today},
        headers={**nagaoka, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert reused.status_code == 409


def test_fuzzing_the_residents_api_through_the_gateway_finds_no_server_error(
    platform: RunningPlatform, tmp_path: Path,
) -> None:
    """schemathesis generates valid and invalid requests from the service's OpenAPI."""
    port = platform.state()["processes"]["residents"]["port"]
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\n"path.code" = "{SANJO}"\n')
    token = platform.login(SANJO)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config),
         "run", f"http://127.0.0.1:{port}/openapi.json", "--url", platform.gateway,
         "--checks", "not_a_server_error", "--max-examples", "15",
         "--phases", "examples,coverage,fuzzing", "--request-timeout", "10",
         "--generation-deterministic", "--no-color",
         "-H", f"Authorization: Bearer {token}", "-H", "X-Kyodo-Purpose: system-check"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert counts is not None and int(counts[1]) == int(counts[2]) > 200, result.stdout[-3000:]
