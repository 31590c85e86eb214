"""Tax through the gateway, with the real workers: a new municipality's configuration and a
move-in to its register reach the tax read models as events; a tax officer imports a salary
report, assesses, and runs a bulk assessment that the tax worker carries out."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
KAMO = "152099"  # 加茂市: not a demo tenant, so this test owns it
FY = 2025  # 令和7年度: the person moved in during 2024, so Kamo taxes them for 2025
ADMIN_PASSWORD = "kamo-first-steward-2026"
STAFF_PASSWORD = "kamo-second-steward-2026"


def _eventually(fetch: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = fetch()
        if result is not None or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def _join_the_platform(platform: RunningPlatform) -> None:
    """The operator adds 加茂市 with its first admin: identity publishes its configuration
    (均等割, 級地), which the tax worker keeps. (The demo seed writes its tenants without an
    event, so a demo municipality has no tax configuration until it is saved again.)"""
    operator = {"Authorization": f"Bearer {platform.login('000000', 'operator', 'kyodo-operator')}",
                "Idempotency-Key": uuid.uuid4().hex}
    added = httpx.post(f"{platform.gateway}/v1/platform/municipalities", timeout=10,
                       headers=operator, json={
                           "code": KAMO, "name": "加茂市", "name_en": "Kamo",
                           "prefecture": "新潟県",
                           "config": {"per_capita": {"municipal": 3000, "prefectural": 1000,
                                                     "forest_env": 1000}, "kyuchi": 1},
                           "admin": {"login": "admin", "initial_password": ADMIN_PASSWORD}})
    assert added.status_code == 201, added.text


def _new_staff(platform: RunningPlatform, login: str, role: str) -> str:
    admin = platform.login(KAMO, "admin", ADMIN_PASSWORD)
    created = httpx.post(f"{platform.gateway}/v1/municipalities/{KAMO}/identity/staff",
                         json={"login": login, "initial_password": STAFF_PASSWORD,
                               "roles": [role]},
                         headers={"Authorization": f"Bearer {admin}",
                                  "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert created.status_code == 201, created.text
    return platform.login(KAMO, login, STAFF_PASSWORD)


def _move_in(platform: RunningPlatform, clerk_token: str) -> dict[str, Any]:
    clerk = {"Authorization": f"Bearer {clerk_token}"}
    response = httpx.post(f"{platform.gateway}/v1/municipalities/{KAMO}/residents/move-ins",
                          json={"kind": "domestic", "effective_date": "2024-04-01",
                                "person": {"family_name": "加茂", "given_name": "税太郎",
                                           "family_name_kana": "カモ",
                                           "given_name_kana": "ゼイタロウ", "sex": "male",
                                           "birth_date": "1980-04-01"},
                                "household": {"new_household": {
                                    "postal_code": "959-1392",
                                    "address": "新潟県加茂市幸町二丁目3番5号"}},
                                "previous_address": "東京都千代田区千代田1番1号",
                                "confirm_not_duplicate": True},
                          headers={**clerk, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
    assert response.status_code == 201, response.text
    resident: dict[str, Any] = response.json()["residents"][0]
    return resident


def test_a_tax_officer_imports_assesses_and_runs_a_bulk_assessment(
        platform: RunningPlatform) -> None:
    _join_the_platform(platform)
    officer = {"Authorization": f"Bearer {_new_staff(platform, 'taxofficer', 'tax_officer')}",
               "X-Kyodo-Purpose": "tax-assessment"}
    clerk_token = _new_staff(platform, "clerk", "counter_clerk")
    resident = _move_in(platform, clerk_token)
    tax = f"{platform.gateway}/v1/municipalities/{KAMO}/tax"
    person = resident["platform_person_id"]

    def taxed_here() -> bool | None:
        answer = httpx.get(f"{tax}/persons/{person}/residence", params={"fiscal_year": FY},
                           headers=officer, timeout=10)
        assert answer.status_code == 200, answer.text
        return True if answer.json()["taxed_here"] else None

    assert _eventually(taxed_here), "the move-in never reached the tax read model"

    csv = ("employer_number,resident_number,family_name_kana,given_name_kana,birth_date,"
           f"salary_income,social_insurance\n1234,{resident['resident_number']},カモ,"
           "ゼイタロウ,1980-04-01,4000000,600000\n").encode()
    imported = httpx.post(f"{tax}/salary-reports/imports", params={"fiscal_year": FY},
                          content=csv, timeout=30, headers={
                              **officer, "Content-Type": "text/csv",
                              "Idempotency-Key": uuid.uuid4().hex})
    assert imported.status_code == 201, imported.text
    assert imported.json()["accepted"] == 1, imported.json()["problems"]

    def assessed() -> httpx.Response | None:
        response = httpx.post(f"{tax}/assessments", timeout=10, json={
            "fiscal_year": FY, "platform_person_id": person},
            headers={**officer, "Idempotency-Key": uuid.uuid4().hex})
        return None if response.status_code == 409 else response  # configuration not yet in

    first = _eventually(assessed)
    assert first is not None and first.status_code == 201, first.text if first else None
    assert first.json()["total"] == 175_500  # unit tests' worked example 1
    assert first.json()["january_first"]["address"] == "新潟県加茂市幸町二丁目3番5号"

    started = httpx.post(f"{tax}/bulk-assessments", json={"fiscal_year": FY}, timeout=10,
                         headers={**officer, "Idempotency-Key": uuid.uuid4().hex})
    assert started.status_code == 202, started.text

    def finished() -> dict[str, Any] | None:
        job = httpx.get(platform.gateway + started.headers["Location"], headers=officer,
                        timeout=10).json()
        return job if job["state"] in ("finished", "failed") else None

    job = _eventually(finished)
    assert job is not None and job["state"] == "finished", job
    assert job["unchanged"] >= 1 and job["done"] == job["total"]

    readable = httpx.get(f"{tax}/assessments/{first.json()['id']}", headers=officer,
                         timeout=10)
    assert readable.status_code == 200
    clerk = {"Authorization": f"Bearer {clerk_token}", "X-Kyodo-Purpose": "tax-certificate"}
    assert httpx.get(f"{tax}/assessments/{first.json()['id']}", headers=clerk,
                     timeout=10).status_code == 403  # a counter clerk has no tax:read
