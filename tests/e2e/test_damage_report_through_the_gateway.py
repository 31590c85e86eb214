"""被災証明書 on the whole platform: Mitsuke declares a typhoon in the disaster service, the
declaration reaches certificates through the broker, and a counter clerk issues a resident's
被災証明書 through the gateway; it verifies publicly."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import httpx
import pytest

from kyodo_common.clock import today_in_japan

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
MITSUKE = "152111"
PASSWORD = "damage-report-password-1234"


def _headers(token: str, purpose: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": purpose,
            "Idempotency-Key": uuid.uuid4().hex}


def test_a_declared_disaster_reaches_certificates_and_a_damage_report_is_issued(
    platform: RunningPlatform,
) -> None:
    gateway = f"{platform.gateway}/v1/municipalities/{MITSUKE}"
    admin = platform.login(MITSUKE, "admin", "kyodo-admin")
    login = f"bousai.{uuid.uuid4().hex[:6]}"
    staff = httpx.post(f"{gateway}/identity/staff", json={
        "login": login, "initial_password": PASSWORD, "roles": ["disaster_support"]},
        headers=_headers(admin, "disaster-response"), timeout=10)
    assert staff.status_code == 201, staff.text
    today = today_in_japan()
    declared = httpx.post(f"{gateway}/disaster/disasters", json={
        "name": "令和8年台風第30号", "kind": "typhoon",
        "occurred_on": (today - timedelta(days=2)).isoformat(), "affected_area": ["昭和町"],
        "application_opens_on": today.isoformat(),
        "application_closes_on": (today + timedelta(days=60)).isoformat()},
        headers=_headers(platform.login(MITSUKE, login, PASSWORD), "disaster-response"),
        timeout=10)
    assert declared.status_code == 201, declared.text

    clerk = platform.login(MITSUKE)
    person = httpx.post(f"{gateway}/residents", json={
        "family_name": "見附", "given_name": "被災", "family_name_kana": "ミツケ",
        "given_name_kana": "ヒサイ", "birth_date": "1975-05-05", "sex": "female",
        "postal_code": "954-0000", "address": "新潟県見附市昭和町二丁目1番1号"},
        headers=_headers(clerk, "residence-certificate"), timeout=10)
    assert person.status_code == 201, person.text

    body = {"disaster_id": declared.json()["id"], "resident_id": person.json()["id"],
            "properties": ["vehicle"], "location": "新潟県見附市昭和町二丁目1番1号",
            "description": "自動車が冠水", "terminal": "本庁1", "printer": "P1"}
    deadline = time.monotonic() + 45
    while True:  # until both the declaration and the resident have reached certificates
        issued = httpx.post(f"{gateway}/certificates/damage-report", json=body,
                            headers={**_headers(clerk, "disaster-response"),
                                     "Accept": "application/pdf"}, timeout=30)
        if issued.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert issued.status_code == 201, issued.text
    assert issued.content.startswith(b"%PDF")
    code = issued.headers["X-Kyodo-Verification-Code"]
    checked = httpx.get(f"{platform.gateway}/v1/certificates/verify/{code}", timeout=10)
    assert checked.json()["result"] == "genuine", checked.text
    assert checked.json()["kind"] == "damage_report"
