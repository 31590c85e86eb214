"""Revocation reach: how long after identity's answer the gateway acts on a change (the
platform promises ≤ 2 s; ADR 0003).

The launcher starts the whole platform on loopback (identity and the gateway as their own
processes, default timings). Sanjo's tenant admin lends Nagaoka's clerk `residents:read`; per
round, through the gateway:

* **grant**: the grant is created; time from identity's 201 until the clerk's next request to
  Sanjo is admitted (not the gateway's 403);
* **revoke**: the grant is revoked; time from identity's 200 until that request is refused;
* **logout**: a new session of the clerk logs out; time from identity's 204 until its token
  is refused (401) on Nagaoka's own routes;
* **disable** (fewer rounds: each needs a new staff member): a staff member is disabled; time
  until their token is refused (401).

The gateway is asked every 10 ms, on one kept-alive connection, so each figure is the delay
plus at most ~10 ms plus one request's time. A wait longer than 15 s counts as a miss.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench._platform import running_platform
from bench._report import distribution, write_results

NAME = "revocation"
console = Console()
SANJO, NAGAOKA = "152048", "152021"
ROUNDS, QUICK_ROUNDS = 20, 5
DISABLE_ROUNDS, QUICK_DISABLE_ROUNDS = 5, 2
STEP, LIMIT = 0.01, 15.0
PROMISE = 2.0
GATEWAY_REFUSAL = "you may not act for this municipality"


def _login(http: httpx.Client, code: str, user: str, password: str) -> dict[str, Any]:
    response = http.post("/v1/auth/token", data={
        "grant_type": "password", "municipality_code": code, "username": user,
        "password": password})
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _auth(token: str, post: bool = False) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "identity-check"}
    if post:
        headers["Idempotency-Key"] = uuid.uuid4().hex
    return headers


def _until(ask: Callable[[], bool]) -> float:
    """Seconds until ``ask()`` is true, asked every 10 ms; NaN after LIMIT seconds."""
    started = time.monotonic()
    while not ask():
        if time.monotonic() - started > LIMIT:
            return float("nan")
        time.sleep(STEP)
    return time.monotonic() - started


def _unauthorized(http: httpx.Client, url: str, token: str) -> Callable[[], bool]:
    return lambda: http.get(url, headers=_auth(token)).status_code == 401


def _refused_by_gateway(response: httpx.Response) -> bool:
    return response.status_code == 403 and response.json().get("detail") == GATEWAY_REFUSAL


def _grants(http: httpx.Client, rounds: int) -> tuple[list[float], list[float]]:
    admin = _login(http, SANJO, "admin", "kyodo-admin")["access_token"]
    clerk = _login(http, NAGAOKA, "clerk", "kyodo-clerk")["access_token"]
    url = f"/v1/municipalities/{SANJO}/residents/{uuid.uuid4()}"
    grants = f"/v1/municipalities/{SANJO}/identity/support-grants"

    def refused() -> bool:
        return _refused_by_gateway(http.get(url, headers=_auth(clerk)))

    assert refused(), "the clerk must start without a grant"
    applied, revoked = [], []
    for _ in range(rounds):
        created = http.post(grants, headers=_auth(admin, post=True), json={
            "grantee": {"municipality_code": NAGAOKA, "login": "clerk"},
            "scopes": ["residents:read"], "disaster_ref": "bench-revocation",
            "valid_until": (datetime.now(UTC) + timedelta(hours=1)).isoformat()})
        created.raise_for_status()
        applied.append(_until(lambda: not refused()))
        ended = http.post(f"{grants}/{created.json()['id']}/revoke",
                          headers=_auth(admin, post=True))
        ended.raise_for_status()
        revoked.append(_until(refused))
    return applied, revoked


def _logouts(http: httpx.Client, rounds: int) -> list[float]:
    url = f"/v1/municipalities/{NAGAOKA}/residents/{uuid.uuid4()}"
    delays = []
    for _ in range(rounds):
        session = _login(http, NAGAOKA, "clerk", "kyodo-clerk")
        token = session["access_token"]
        assert http.get(url, headers=_auth(token)).status_code != 401
        out = http.post("/v1/auth/logout", headers=_auth(token, post=True),
                        json={"refresh_token": session["refresh_token"]})
        assert out.status_code == 204, out.text
        delays.append(_until(_unauthorized(http, url, token)))
    return delays


def _disables(http: httpx.Client, rounds: int) -> list[float]:
    admin = _login(http, NAGAOKA, "admin", "kyodo-admin")["access_token"]
    url = f"/v1/municipalities/{NAGAOKA}/residents/{uuid.uuid4()}"
    delays = []
    for _ in range(rounds):
        login, password = f"bench-{uuid.uuid4().hex[:8]}", "bench-shokuin-01"
        member = http.post(f"/v1/municipalities/{NAGAOKA}/identity/staff",
                           headers=_auth(admin, post=True),
                           json={"login": login, "initial_password": password,
                                 "roles": ["counter_clerk"]})
        assert member.status_code == 201, member.text
        token = _login(http, NAGAOKA, login, password)["access_token"]
        assert http.get(url, headers=_auth(token)).status_code != 401
        disabled = http.post(f"/v1/municipalities/{NAGAOKA}/identity/staff/"
                             f"{member.json()['id']}/disable", headers=_auth(admin, post=True))
        assert disabled.status_code == 200, disabled.text
        delays.append(_until(_unauthorized(http, url, token)))
    return delays


def _table(figures: dict[str, Any]) -> Table:
    table = Table(title=f"change → acted on at the gateway (ms; promise ≤ {PROMISE * 1000:.0f})")
    for column in ("change", "n", "p50", "p99", "max", "misses"):
        table.add_column(column, justify="right" if column != "change" else "left")
    for name, values in figures["delays"].items():
        d = figures["distributions"][name]
        misses = sum(1 for v in values if v != v)
        table.add_row(name, str(d["n"]), f"{d['p50'] * 1000:.0f}", f"{d['p99'] * 1000:.0f}",
                      f"{d['max'] * 1000:.0f}", str(misses))
    return table


def main(*, quick: bool = False) -> dict[str, Any]:
    rounds = QUICK_ROUNDS if quick else ROUNDS
    disable_rounds = QUICK_DISABLE_ROUNDS if quick else DISABLE_ROUNDS
    with running_platform() as platform, \
            httpx.Client(base_url=platform.gateway, timeout=10, trust_env=False) as http:
        applied, revoked = _grants(http, rounds)
        delays = {"grant": applied, "revoke": revoked, "logout": _logouts(http, rounds),
                  "disable": _disables(http, disable_rounds)}
    figures: dict[str, Any] = {
        "delays": delays, "promise_seconds": PROMISE, "step_seconds": STEP,
        "distributions": {name: distribution([v for v in values if v == v])
                          for name, values in delays.items()}}
    console.print(_table(figures))
    path = write_results(NAME, {**figures, "quick": quick})
    console.print(f"[dim]results: {path}[/]")
    summary: dict[str, Any] = figures["distributions"]
    return summary


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
