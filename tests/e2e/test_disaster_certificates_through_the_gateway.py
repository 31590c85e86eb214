"""罹災証明書 issued by the platform itself, through the gateway: a resident registered in Sanjo
applies for their flooded house; one certificate job makes the application ready; the
certificates worker issues the certificate from the disaster event; a re-survey with another
grade voids it and the worker issues the new one. Every hop is a real process (the disaster
worker, the broker, the certificates consumer and job loop)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from kyodo_common.clock import today_in_japan

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO = "152048"
PASSWORD = "damage-password-1234"
WAIT_SECONDS = 60


def _headers(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "disaster-response",
            "Idempotency-Key": uuid.uuid4().hex, **extra}


def _eventually(fetch: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = fetch()
        if found:
            return found
        assert time.monotonic() < deadline, f"{what}: not within {WAIT_SECONDS} s"
        time.sleep(0.3)


def test_a_certificate_job_has_the_worker_issue_and_a_re_survey_reissue(
    platform: RunningPlatform,
) -> None:
    gateway, today = platform.gateway, today_in_japan()
    login = f"bousai.{uuid.uuid4().hex[:6]}"
    admin = platform.login(SANJO, "admin", "kyodo-admin")
    staff = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/identity/staff",
                       json={"login": login, "initial_password": PASSWORD,
                             "roles": ["disaster_support"]},
                       headers=_headers(admin), timeout=10)
    assert staff.status_code == 201, staff.text
    token = platform.login(SANJO, login, PASSWORD)
    disaster_url = f"{gateway}/v1/municipalities/{SANJO}/disaster"
    certificates_url = f"{gateway}/v1/municipalities/{SANJO}/certificates"

    address = f"新潟県三条市旭町二丁目{uuid.uuid4().int % 90000 + 10}番1号"
    registered = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/residents", json={
        "family_name": "三条", "given_name": "被災", "family_name_kana": "サンジョウ",
        "given_name_kana": "ヒサイ", "birth_date": "1975-05-05", "sex": "female",
        "postal_code": "955-8686", "address": address},
        headers=_headers(platform.login(SANJO)), timeout=10)
    assert registered.status_code == 201, registered.text
    resident_id = registered.json()["id"]

    declared = httpx.post(f"{disaster_url}/disasters", json={
        "name": "令和8年11月三条市豪雨", "kind": "flood",
        "occurred_on": (today - timedelta(days=1)).isoformat(), "affected_area": ["旭町二丁目"],
        "application_opens_on": today.isoformat(),
        "application_closes_on": (today + timedelta(days=60)).isoformat()},
        headers=_headers(token), timeout=10)
    assert declared.status_code == 201, declared.text
    disaster_id = declared.json()["id"]

    def occupant_known() -> bool:  # the register's event has reached the disaster service
        found = httpx.post(f"{disaster_url}/disasters/{disaster_id}/occupants/search",
                           json={"address": address, "postal_code": "955-8686"},
                           headers=_headers(token), timeout=10)
        return found.status_code == 200 and any(p["resident_id"] == resident_id
                                                for p in found.json()["items"])

    _eventually(occupant_known, "the resident in the disaster service")

    def householder_known() -> bool:  # and the certificates service (it prints the name)
        return httpx.get(f"{certificates_url}/residents/{resident_id}",
                         headers=_headers(token), timeout=10).status_code == 200

    _eventually(householder_known, "the resident in the certificates service")
    house = httpx.post(f"{disaster_url}/disasters/{disaster_id}/houses",
                       json={"postal_code": "955-8686", "address": address},
                       headers=_headers(token), timeout=10)
    assert house.status_code == 201, house.text
    house_id = house.json()["id"]
    surveyed = httpx.post(f"{disaster_url}/houses/{house_id}/surveys", json={
        "kind": "first", "damage_ratio": "41.20", "surveyed_on": today.isoformat()},
        headers=_headers(token, **{"If-Match": house.headers["ETag"]}), timeout=10)
    assert surveyed.status_code == 201, surveyed.text
    applied = httpx.post(f"{disaster_url}/houses/{house_id}/applications",
                         json={"applicant_resident_id": resident_id},
                         headers=_headers(token), timeout=10)
    assert applied.status_code == 201, applied.text
    application_id = applied.json()["id"]
    job = httpx.post(f"{disaster_url}/certificate-jobs",
                     json={"application_ids": [application_id]},
                     headers=_headers(token), timeout=10)
    assert job.status_code == 202, job.text

    def requests(**wanted: int) -> list[dict[str, Any]] | None:
        progress = httpx.get(f"{certificates_url}/damage/disasters/{disaster_id}",
                             headers=_headers(token), timeout=10)
        assert progress.status_code == 200, progress.text
        if any(progress.json()[k] != v for k, v in wanted.items()):
            return None
        listed = httpx.get(f"{certificates_url}/damage/disasters/{disaster_id}/requests",
                           headers=_headers(token), timeout=10)
        assert listed.status_code == 200, listed.text
        found: list[dict[str, Any]] = listed.json()["items"]
        return found

    [first] = _eventually(lambda: requests(issued=1, pending=0), "the worker's issuance")
    assert first["application_id"] == application_id and first["survey_version"] == 1
    old_code = first["copies"][0]["verification_code"]
    checked = httpx.get(f"{gateway}/v1/certificates/verify/{old_code}", timeout=10).json()
    assert (checked["result"], checked["municipality_code"]) == ("genuine", SANJO)
    pdf = httpx.get(f"{gateway}{first['copies'][0]['pdf']}", headers=_headers(token),
                    timeout=10)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    read = httpx.get(f"{disaster_url}/houses/{house_id}", headers=_headers(token), timeout=10)
    assert read.status_code == 200, read.text  # the job changed it: the request it carries
    resurveyed = httpx.post(f"{disaster_url}/houses/{house_id}/surveys", json={
        "kind": "second", "damage_ratio": "52.00", "surveyed_on": today.isoformat(),
        "appeal_reason": "内壁の損傷を追加確認"},
        headers=_headers(token, **{"If-Match": read.headers["ETag"]}), timeout=10)
    assert resurveyed.status_code == 201, resurveyed.text
    old, new = _eventually(lambda: requests(voided=1, issued=1, pending=0),
                           "the re-issuance on the new grade")
    assert (old["survey_version"], new["survey_version"]) == (1, 2)
    assert httpx.get(f"{gateway}/v1/certificates/verify/{old_code}",
                     timeout=10).json()["result"] == "voided"
    new_code = new["copies"][0]["verification_code"]
    assert httpx.get(f"{gateway}/v1/certificates/verify/{new_code}",
                     timeout=10).json()["result"] == "genuine"
