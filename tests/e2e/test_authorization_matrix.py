"""Who may do what, for which municipality, through the gateway: roles × tenants × routes.

Own municipality by role; another municipality never; a municipality that granted support
only within the grant's scopes, and no longer once the grant is revoked or has expired.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO, NAGAOKA, MITSUKE = "152048", "152021", "152111"
GRANT_TAKES_EFFECT_SECONDS = 60  # the platform's promise for revocation


def _resident(family: str) -> dict[str, str]:
    return {"family_name": family, "given_name": "権限", "family_name_kana": "ケンゲン",
            "given_name_kana": "テスト", "birth_date": "1970-07-07", "sex": "male",
            "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号",
            "confirm_not_duplicate": True}


class Caller:
    def __init__(self, platform: RunningPlatform, code: str, login: str, password: str):
        self.gateway = platform.gateway
        self.token = platform.login(code, login, password)

    def call(self, route: str, code: str, resident_id: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", "X-Kyodo-Purpose": "system-check",
                   "Idempotency-Key": uuid.uuid4().hex}
        base = f"{self.gateway}/v1/municipalities/{code}"
        if route == "read":
            return httpx.get(f"{base}/residents/{resident_id}", headers=headers, timeout=10)
        if route == "write":
            return httpx.post(f"{base}/residents", json=_resident("書込"), headers=headers,
                              timeout=10)
        if route == "certificates":
            return httpx.get(f"{base}/certificates/residents/{resident_id}", headers=headers,
                             timeout=10)
        return httpx.get(f"{base}/identity/staff", headers=headers, timeout=10)


def _admin(platform: RunningPlatform, code: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {platform.login(code, 'admin', 'kyodo-admin')}",
            "Idempotency-Key": uuid.uuid4().hex}


def _new_clerk(platform: RunningPlatform, code: str, login: str) -> None:
    response = httpx.post(f"{platform.gateway}/v1/municipalities/{code}/identity/staff",
                          json={"login": login, "initial_password": "matrix-password-1234",
                                "roles": ["counter_clerk"]},
                          headers=_admin(platform, code), timeout=10)
    assert response.status_code == 201, response.text


def _grant(platform: RunningPlatform, login: str, scopes: list[str],
           until: datetime) -> dict[str, Any]:
    response = httpx.post(
        f"{platform.gateway}/v1/municipalities/{SANJO}/identity/support-grants",
        json={"grantee": {"municipality_code": NAGAOKA, "login": login}, "scopes": scopes,
              "valid_until": until.isoformat(), "disaster_ref": "2026 三条 水害"},
        headers=_admin(platform, SANJO), timeout=10)
    assert response.status_code == 201, response.text
    grant: dict[str, Any] = response.json()
    return grant


def _until_status(caller: Caller, route: str, code: str, resident_id: str, status: int,
                  timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = caller.call(route, code, resident_id)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_roles_tenants_grants_and_route_classes(platform: RunningPlatform) -> None:
    suffix = uuid.uuid4().hex[:6]
    granted, revoked, expiring = (f"granted.{suffix}", f"revoked.{suffix}",
                                  f"expiring.{suffix}")
    for login in (granted, revoked, expiring):
        _new_clerk(platform, NAGAOKA, login)
    now = datetime.now(UTC)
    _grant(platform, granted, ["residents:read"], now + timedelta(days=30))
    to_revoke = _grant(platform, revoked, ["residents:read"], now + timedelta(days=30))

    sanjo_clerk = Caller(platform, SANJO, "clerk", "kyodo-clerk")
    created = sanjo_clerk.call("write", SANJO, "")
    assert created.status_code == 201, created.text
    resident = created.json()
    secret_name = resident["given_name"]

    callers = {
        "sanjo clerk": sanjo_clerk,
        "sanjo admin": Caller(platform, SANJO, "admin", "kyodo-admin"),
        "nagaoka clerk (granted read)": Caller(platform, NAGAOKA, granted,
                                               "matrix-password-1234"),
        "nagaoka clerk (no grant)": Caller(platform, NAGAOKA, "clerk", "kyodo-clerk"),
    }
    expected = {
        # caller: {(route, municipality): status}
        "sanjo clerk": {("read", SANJO): 200, ("write", SANJO): 201,
                        ("certificates", SANJO): 200, ("admin", SANJO): 403,
                        ("read", MITSUKE): 403, ("write", MITSUKE): 403},
        "sanjo admin": {("read", SANJO): 200, ("write", SANJO): 403,
                        ("certificates", SANJO): 403, ("admin", SANJO): 200,
                        ("admin", NAGAOKA): 403},
        "nagaoka clerk (granted read)": {("read", SANJO): 200, ("write", SANJO): 403,
                                         ("certificates", SANJO): 403, ("admin", SANJO): 403,
                                         ("read", MITSUKE): 403, ("read", NAGAOKA): 404},
        "nagaoka clerk (no grant)": {("read", SANJO): 403, ("write", SANJO): 403,
                                     ("certificates", SANJO): 403, ("admin", SANJO): 403},
    }
    granted_caller = callers["nagaoka clerk (granted read)"]
    # The gateway learns of new grants by polling identity; wait for the first one to show.
    first = _until_status(granted_caller, "read", SANJO, resident["id"], 200, 30)
    assert first.status_code == 200, first.text

    # The certificates read model fills from events: wait for the resident to arrive.
    _until_status(sanjo_clerk, "certificates", SANJO, resident["id"], 200, 30)
    failures = []
    for name, cases in expected.items():
        for (route, code), status in cases.items():
            response = callers[name].call(route, code, resident["id"])
            if response.status_code != status:
                failures.append(f"{name} {route} @{code}: {response.status_code} != {status}")
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/problem+json")
                assert secret_name not in response.text  # nothing of the tenant leaks
    assert not failures, "\n".join(failures)

    revoker = Caller(platform, NAGAOKA, revoked, "matrix-password-1234")
    assert _until_status(revoker, "read", SANJO, resident["id"], 200, 30).status_code == 200
    revoke = httpx.post(
        f"{platform.gateway}/v1/municipalities/{SANJO}/identity/support-grants/"
        f"{to_revoke['id']}/revoke", headers=_admin(platform, SANJO), timeout=10)
    assert revoke.status_code == 200, revoke.text
    revoked_at = time.monotonic()
    refused = _until_status(revoker, "read", SANJO, resident["id"], 403,
                            GRANT_TAKES_EFFECT_SECONDS)
    assert refused.status_code == 403
    print(f"\nrevocation took effect after {time.monotonic() - revoked_at:.1f} s")

    # A grant that runs out: it works while valid, and is refused once its window has passed.
    expirer = Caller(platform, NAGAOKA, expiring, "matrix-password-1234")
    _grant(platform, expiring, ["residents:read"], datetime.now(UTC) + timedelta(seconds=30))
    working = _until_status(expirer, "read", SANJO, resident["id"], 200, 25)
    assert working.status_code == 200, working.text
    expired = _until_status(expirer, "read", SANJO, resident["id"], 403, 60)
    assert expired.status_code == 403
