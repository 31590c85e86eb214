"""Automation through the gateway, with the real workers: the admin gives the built-in intake
an identity API client as its account, an author saves it and uploads a file, and the
automation worker calls tax through the gateway with the account's token. Rows of people tax
does not know, and a row that fails the scenario's own check, wait in the human queue; the
month's time-saved report counts the run."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
TSUBAME = "152137"  # 燕市: not a demo tenant, so this test owns it
ADMIN_PASSWORD = "tsubame-first-steward-2026"
AUTHOR_PASSWORD = "tsubame-automation-2026"
INTAKE = "salary-report-intake"


def _post(platform: RunningPlatform, path: str, token: str, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex,
               **kwargs.pop("headers", {})}
    return httpx.post(f"{platform.gateway}{path}", headers=headers, timeout=30, **kwargs)


def _get(platform: RunningPlatform, path: str, token: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{platform.gateway}{path}", params=params, timeout=30,
                     headers={"Authorization": f"Bearer {token}",
                              "X-Kyodo-Purpose": "salary-report"})


def test_a_file_intake_runs_through_the_gateway_with_the_scenarios_own_account(
        platform: RunningPlatform) -> None:
    operator = platform.login("000000", "operator", "kyodo-operator")
    added = _post(platform, "/v1/platform/municipalities", operator, json={
        "code": TSUBAME, "name": "燕市", "name_en": "Tsubame", "prefecture": "新潟県",
        "config": {"per_capita": {"municipal": 3000, "prefectural": 1000, "forest_env": 1000},
                   "kyuchi": 1},
        "admin": {"login": "admin", "initial_password": ADMIN_PASSWORD}})
    assert added.status_code == 201, added.text
    admin = platform.login(TSUBAME, "admin", ADMIN_PASSWORD)
    base = f"/v1/municipalities/{TSUBAME}"
    made = _post(platform, f"{base}/identity/staff", admin, json={
        "login": "rpa", "initial_password": AUTHOR_PASSWORD, "roles": ["automation_author"]})
    assert made.status_code == 201, made.text
    author = platform.login(TSUBAME, "rpa", AUTHOR_PASSWORD)

    client = _post(platform, f"{base}/identity/clients", admin,
                   json={"name": "給与支払報告書の取り込み", "scopes": ["tax:write"]})
    assert client.status_code == 201, client.text
    granted = httpx.put(f"{platform.gateway}{base}/automation/scenarios/{INTAKE}/account",
                        json={"client_id": client.json()["client_id"],
                              "client_secret": client.json()["client_secret"]},
                        headers={"Authorization": f"Bearer {admin}"}, timeout=30)
    assert granted.status_code == 200, granted.text
    assert granted.json()["scopes"] == ["tax:write"]
    # The author may not grant accounts: that is the admin's.
    assert httpx.put(f"{platform.gateway}{base}/automation/scenarios/{INTAKE}/account",
                     json={"client_id": "x" * 8, "client_secret": "y" * 8},
                     headers={"Authorization": f"Bearer {author}"},
                     timeout=30).status_code == 403

    builtins = _get(platform, f"{base}/automation/builtin-scenarios", author).json()["items"]
    source = next(b["source"] for b in builtins if b["scenario"] == INTAKE)
    saved = _post(platform, f"{base}/automation/scenarios/{INTAKE}/versions", author,
                  content=source.encode(), headers={"Content-Type": "application/yaml"})
    assert saved.status_code == 201, saved.text

    csv = ("employer_number,resident_number,family_name_kana,given_name_kana,birth_date,"
           "salary_income\n"
           "1234,1000017,ツバメ,ハナコ,1980-04-01,3000000\n"
           "1234,1000025,ツバメ,タロウ,1975-05-05,4200000\n"
           "1234,1000033,ツバメ,ジロウ,昭和50年,4200000\n")
    started = _post(platform, f"{base}/automation/scenarios/{INTAKE}/files?fiscal_year=2025",
                    author, content=csv.encode(), headers={"Content-Type": "text/csv"})
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]

    deadline = time.monotonic() + 60
    while True:
        run = _get(platform, f"{base}/automation/runs/{run_id}", author).json()
        if run["state"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert run["state"] == "done", run
    assert (run["items_done"], run["items_failed"]) == (0, 3)
    assert run["trace_id"]

    queue = _get(platform, f"{base}/automation/human-queue", author, run_id=run_id).json()
    kinds = sorted((item["item"], item["kind"]) for item in queue["items"])
    assert kinds == [(0, "review"), (1, "review"), (2, "invalid_item")]
    assert "tax refused the row" in queue["items"][0]["reason"]
    steps = _get(platform, f"{base}/automation/runs/{run_id}/steps", author).json()["items"]
    calls = [s for s in steps if s["kind"] == "call"]
    assert [c["status"] for c in calls] == ["done", "done"]
    assert all(c["output"]["rejected"] == 1 for c in calls)

    decided = _post(platform, f"{base}/automation/human-queue/{queue['items'][0]['id']}/decision",
                    author, json={"decision": "dismissed", "note": "転出済み"})
    assert decided.status_code == 200, decided.text
    month = datetime.now(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m")
    report = _get(platform, f"{base}/automation/reports/time-saved", author,
                  month=month).json()
    assert report["scenarios"][0]["scenario"] == INTAKE
    assert (report["items_failed"], report["failure_rate"]) == (3, 1.0)
