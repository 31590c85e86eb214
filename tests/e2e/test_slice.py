"""The thin vertical slice through the gateway, in one trace from request to consumer."""

from __future__ import annotations

import json
import secrets
import time
import uuid

import httpx
import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO = "152048"


def _resident() -> dict[str, str]:
    return {"family_name": "三条", "given_name": "一郎", "family_name_kana": "サンジョウ",
            "given_name_kana": "イチロウ", "birth_date": "1975-05-05", "sex": "male",
            "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号",
            "confirm_not_duplicate": True}


def _spans(platform: RunningPlatform, trace_id: str) -> list[dict[str, object]]:
    spans = []
    for path in (platform.var_dir / "traces").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if trace_id in line:
                spans.append(json.loads(line))
    return spans


def test_a_clerk_registers_a_resident_and_certificates_learns_of_it_in_the_same_trace(
    platform: RunningPlatform,
) -> None:
    token = platform.login(SANJO)
    trace_id = secrets.token_hex(16)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex,
               "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    created = httpx.post(f"{platform.gateway}/v1/municipalities/{SANJO}/residents",
                         json=_resident(), headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    resident_id = created.json()["id"]

    snapshot_url = (f"{platform.gateway}/v1/municipalities/{SANJO}/certificates/residents/"
                    f"{resident_id}")
    read_headers = {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "identity-check"}
    deadline = time.monotonic() + 30
    while True:
        snapshot = httpx.get(snapshot_url, headers=read_headers, timeout=10)
        if snapshot.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert snapshot.status_code == 200, snapshot.text
    assert snapshot.json()["family_name_kana"] == "サンジョウ"
    assert snapshot.json()["resident_number"] == created.json()["resident_number"]

    # Spans are flushed in batches; wait for the consumer's to reach its file.
    deadline = time.monotonic() + 15
    while True:
        spans = _spans(platform, trace_id)
        services = {s["service"] for s in spans}
        if {"gateway", "residents", "residents-worker", "certificates-worker"} <= services \
                or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    consumer = [s for s in spans if s["name"] == "kyodo.residents.v1 process"]
    assert consumer, f"no consumer span in trace {trace_id}: {sorted(services)}"
    assert all(s["trace_id"] == trace_id for s in consumer)
    assert {"gateway", "residents"} <= services

    waterfall = platform.kyodo("trace", trace_id)
    assert waterfall.returncode == 0, waterfall.stderr
    assert "kyodo.residents.v1 process" in waterfall.stdout


def test_login_with_a_wrong_password_is_refused_with_a_problem(platform: RunningPlatform) -> None:
    response = httpx.post(f"{platform.gateway}/v1/auth/token", data={
        "grant_type": "password", "municipality_code": SANJO, "username": "clerk",
        "password": "wrong"}, timeout=10)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_the_platform_started_quickly_and_reports_its_status(platform: RunningPlatform) -> None:
    print(f"\nplatform ready in {platform.startup_seconds:.1f} s")
    assert platform.startup_seconds < 60
    status = platform.kyodo("status")
    assert status.returncode == 0
    for name in ("postgres", "broker", "identity", "residents", "certificates", "gateway"):
        assert name in status.stdout
    assert "stopped" not in status.stdout


def test_the_gateway_and_the_workers_serve_metrics_under_kyodo_up(
    platform: RunningPlatform,
) -> None:
    """Outbox backlog, consumer lag and dead letters are seen on one machine too."""
    processes = platform.state()["processes"]
    assert "/metrics" in platform.kyodo("status").stdout
    gateway = httpx.get(processes["gateway"]["metrics"], timeout=10)
    assert gateway.status_code == 200 and "kyodo_http_requests_total{" in gateway.text
    deadline = time.monotonic() + 30  # the sampler's first round
    for name in ("residents-worker", "certificates-worker"):
        while True:
            worker = httpx.get(processes[name]["metrics"], timeout=10)
            if "kyodo_consumer_lag{" in worker.text or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert worker.status_code == 200, name
        assert "kyodo_outbox_backlog" in worker.text, name
        assert "kyodo_consumer_lag{" in worker.text, name
