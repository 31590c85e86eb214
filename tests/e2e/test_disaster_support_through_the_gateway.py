"""After a flood in Sanjo, through the gateway: Sanjo declares it, lends three Nagaoka clerks a
30-day support grant; a Nagaoka clerk surveys Sanjo houses in Sanjo's name; Sanjo's audit
trail shows each act with the Nagaoka actor; the clerk cannot act for Mitsuke nor read Sanjo's
tax; a revoked grant is refused within 60 seconds, and an expired one likewise."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from kyodo_common.clock import today_in_japan

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO, NAGAOKA, MITSUKE = "152048", "152021", "152111"
PASSWORD = "support-password-1234"
GRANT_TAKES_EFFECT_SECONDS = 60


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "disaster-response",
            "Idempotency-Key": uuid.uuid4().hex}


def _staff(platform: RunningPlatform, code: str, login: str) -> None:
    admin = platform.login(code, "admin", "kyodo-admin")
    response = httpx.post(f"{platform.gateway}/v1/municipalities/{code}/identity/staff",
                          json={"login": login, "initial_password": PASSWORD,
                                "roles": ["disaster_support"]},
                          headers=_headers(admin), timeout=10)
    assert response.status_code == 201, response.text


def _grant(platform: RunningPlatform, login: str, until: datetime,
           disaster_id: str) -> dict[str, Any]:
    admin = platform.login(SANJO, "admin", "kyodo-admin")
    response = httpx.post(
        f"{platform.gateway}/v1/municipalities/{SANJO}/identity/support-grants",
        json={"grantee": {"municipality_code": NAGAOKA, "login": login},
              "scopes": ["disaster:read", "disaster:write", "certificates:issue"],
              "valid_until": until.isoformat(), "disaster_ref": disaster_id},
        headers=_headers(admin), timeout=10)
    assert response.status_code == 201, response.text
    grant: dict[str, Any] = response.json()
    return grant


class Clerk:
    def __init__(self, platform: RunningPlatform, code: str, login: str) -> None:
        self.base = f"{platform.gateway}/v1/municipalities"
        self.token = platform.login(code, login, PASSWORD)

    def post(self, code: str, path: str, body: Any) -> httpx.Response:
        return httpx.post(f"{self.base}/{code}/disaster{path}", json=body,
                          headers=_headers(self.token), timeout=10)

    def get(self, code: str, path: str) -> httpx.Response:
        return httpx.get(f"{self.base}/{code}/{path}", headers=_headers(self.token),
                         timeout=10)

    def add_house(self, disaster_id: str) -> httpx.Response:
        return self.post(SANJO, f"/disasters/{disaster_id}/houses", {
            "postal_code": "955-8686",
            "address": f"新潟県三条市旭町二丁目{uuid.uuid4().int % 90000 + 10}番1号"})

    def until(self, disaster_id: str, status: int, timeout: float) -> httpx.Response:
        deadline = time.monotonic() + timeout
        while True:
            response = self.add_house(disaster_id)
            if response.status_code == status or time.monotonic() > deadline:
                return response
            time.sleep(0.5)


def _issue_damage_certificate(clerk: Any, house_id: str) -> dict[str, Any]:
    """POST …/certificates/damage until certificates has the house's latest survey."""
    deadline = time.monotonic() + 30
    while True:
        response = httpx.post(
            f"{clerk.base}/{SANJO}/certificates/damage",
            json={"assessment_id": house_id, "terminal": "応援1", "printer": "プリンタ001"},
            headers=_headers(clerk.token), timeout=30)
        if response.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()
    return issued


def test_nagaoka_clerks_support_sanjo_and_sanjos_audit_trail_shows_them(
    platform: RunningPlatform,
) -> None:
    suffix = uuid.uuid4().hex[:6]
    _staff(platform, SANJO, f"bousai.{suffix}")
    helpers = [f"ouen{n}.{suffix}" for n in (1, 2, 3)]
    for login in helpers:
        _staff(platform, NAGAOKA, login)

    today = today_in_japan()
    sanjo = Clerk(platform, SANJO, f"bousai.{suffix}")
    declared = sanjo.post(SANJO, "/disasters", {
        "name": "令和8年11月三条市豪雨", "kind": "flood",
        "occurred_on": (today - timedelta(days=1)).isoformat(), "affected_area": ["旭町二丁目"],
        "application_opens_on": today.isoformat(),
        "application_closes_on": (today + timedelta(days=60)).isoformat()})
    assert declared.status_code == 201, declared.text
    disaster_id = declared.json()["id"]

    now = datetime.now(UTC)
    grants = [_grant(platform, login, now + timedelta(days=30), disaster_id)
              for login in helpers[:2]]
    first, second = (Clerk(platform, NAGAOKA, login) for login in helpers[:2])

    house = first.until(disaster_id, 201, 30)  # the gateway polls identity's grants
    assert house.status_code == 201, house.text
    blind = first.post(SANJO, f"/houses/{house.json()['id']}/surveys", {
        "kind": "first", "damage_ratio": "41.20", "surveyed_on": today.isoformat()})
    assert blind.status_code == 428, "a survey changes the house: If-Match the version read"
    surveyed = httpx.post(
        f"{first.base}/{SANJO}/disaster/houses/{house.json()['id']}/surveys",
        json={"kind": "first", "damage_ratio": "41.20", "surveyed_on": today.isoformat()},
        headers={**_headers(first.token), "If-Match": 'W/"1"'}, timeout=10)
    assert surveyed.status_code == 201, surveyed.text
    assert surveyed.json()["grade"]["label"] == "大規模半壊"
    assert surveyed.json()["surveys"][0]["surveyor_home"] == NAGAOKA

    # The Nagaoka clerk issues the 罹災証明書 in Sanjo's name, once certificates has the survey.
    certificate = _issue_damage_certificate(first, house.json()["id"])
    old_code = certificate["copies"][0]["verification_code"]
    checked = httpx.get(f"{platform.gateway}/v1/certificates/verify/{old_code}", timeout=10)
    assert checked.json()["result"] == "genuine", checked.text
    assert checked.json()["municipality_code"] == SANJO

    # 二次調査 on appeal raises the grade: the earlier certificate is voided, a new one issued.
    resurveyed = httpx.post(
        f"{first.base}/{SANJO}/disaster/houses/{house.json()['id']}/surveys",
        json={"kind": "second", "damage_ratio": "52.00", "surveyed_on": today.isoformat(),
              "appeal_reason": "内壁の損傷を追加確認"},
        headers={**_headers(first.token), "If-Match": surveyed.headers["ETag"]}, timeout=10)
    assert resurveyed.status_code == 201, resurveyed.text
    assert resurveyed.json()["grade"]["label"] == "全壊"
    deadline = time.monotonic() + 30
    while True:
        verdict = httpx.get(f"{platform.gateway}/v1/certificates/verify/{old_code}",
                            timeout=10).json()
        if verdict["result"] == "voided" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert verdict["result"] == "voided", verdict
    renewed = _issue_damage_certificate(first, house.json()["id"])
    new_code = renewed["copies"][0]["verification_code"]
    assert new_code != old_code
    assert httpx.get(f"{platform.gateway}/v1/certificates/verify/{new_code}",
                     timeout=10).json()["result"] == "genuine"

    admin = platform.login(SANJO, "admin", "kyodo-admin")
    trail = httpx.get(f"{first.base}/{SANJO}/disaster/audit",
                      params={"grant_id": grants[0]["id"]}, headers=_headers(admin), timeout=10)
    assert trail.status_code == 200, trail.text
    entries = trail.json()["items"]
    assert [e["action"] for e in entries][:2] == ["house.registered", "house.assessed"]
    assert {(e["actor_home"], e["acting_municipality"]) for e in entries} == {(NAGAOKA, SANJO)}

    assert first.post(MITSUKE, "/disasters", {}).status_code == 403
    assert first.get(SANJO, "tax/rules").status_code == 403
    assert first.get(SANJO, "disaster/audit").status_code == 403

    assert second.until(disaster_id, 201, 30).status_code == 201
    revoked = httpx.post(
        f"{first.base}/{SANJO}/identity/support-grants/{grants[1]['id']}/revoke",
        headers=_headers(admin), timeout=10)
    assert revoked.status_code == 200, revoked.text
    started = time.monotonic()
    assert second.until(disaster_id, 403, GRANT_TAKES_EFFECT_SECONDS).status_code == 403
    print(f"\nrevocation took effect after {time.monotonic() - started:.1f} s")

    third = Clerk(platform, NAGAOKA, helpers[2])
    _grant(platform, helpers[2], datetime.now(UTC) + timedelta(seconds=30), disaster_id)
    assert third.until(disaster_id, 201, 25).status_code == 201
    assert third.until(disaster_id, 403, 60).status_code == 403
