"""The counter app: server time per page, with the gateway and the services behind it.

Target (issue #19): p50 ≤ 50 ms per page. The whole platform is started by the launcher (or,
with KYODO_BENCH_VAR_DIR, a running `kyodo up` is reused); a household of three is registered
through the API; one clerk logs in to the app and each page is asked for in turn, one at a
time, on loopback. The time is the client's, from the request's first byte to the response's
last: the app's own work plus every API call it makes through the gateway (an upper bound of
the server time: loopback adds tens of microseconds). Beside each page, the same API calls
made alone with the same clerk's token (the page's floor), and the page's own account of its
time (Server-Timing: gateway calls, the session's write, the app's own work).
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench._platform import RunningPlatform, running_platform
from bench._report import distribution, write_results

NAME = "counter"
TARGET_P50_MS = 50.0
SANJO = "152048"
console = Console()


@contextmanager
def _platform() -> Iterator[RunningPlatform]:
    reused = os.environ.get("KYODO_BENCH_VAR_DIR")
    if reused:
        state = RunningPlatform(Path(reused), "", None, 0.0)  # type: ignore[arg-type]
        state.gateway = state.state()["gateway_url"]
        yield state
        return
    with running_platform() as running:
        yield running


def _household(gateway: str) -> tuple[str, str]:
    """A head registered through the API, and the household's id."""
    token = httpx.post(f"{gateway}/v1/auth/token", data={
        "grant_type": "password", "municipality_code": SANJO, "username": "clerk",
        "password": "kyodo-clerk"}, timeout=10).json()["access_token"]
    created = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/residents", json={
        "family_name": "計測", "given_name": "一郎", "family_name_kana": "ケイソク",
        "given_name_kana": "イチロウ", "birth_date": "1980-04-01", "sex": "male",
        "postal_code": "955-8686",
        "address": f"新潟県三条市旭町二丁目{uuid.uuid4().int % 9000 + 10}番1号",
        "confirm_not_duplicate": True},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
        timeout=10)
    created.raise_for_status()
    return created.json()["id"], created.json()["household_id"]


def _signed_in(counter: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=counter, timeout=30)
    page = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    client.post("/login", data={"csrf": csrf[1], "municipality_code": SANJO,
                                "username": "clerk", "password": "kyodo-clerk"})
    home = client.get("/")
    found = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert home.status_code == 200 and found is not None, "login failed"
    return client, found[1]


def _time(call: Callable[[], httpx.Response | None], samples: int,
          split: dict[str, list[float]] | None = None) -> list[float]:
    """Client-side ms per call; with ``split``, the page's own Server-Timing parts too."""
    call()  # warm: the first read of a person fills caches behind the gateway
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        if response is None:
            continue
        assert response.status_code == 200, response.text[-500:]
        if split is not None:
            for part in response.headers.get("server-timing", "").split(","):
                found = re.match(r"\s*(\w+);dur=([\d.]+)", part)
                if found:
                    split.setdefault(found[1], []).append(float(found[2]))
    return times


def _api_reads(api: httpx.Client, resident_id: str, household_id: str,
               ) -> dict[str, Callable[[], httpx.Response | None]]:
    """The API calls each page makes, made alone with the same clerk's token, in the same
    order: the floor of the page."""
    def get(path: str, purpose: str, **params: Any) -> httpx.Response:
        response = api.get(path, params=params or None, headers={"X-Kyodo-Purpose": purpose})
        assert response.status_code == 200, response.text[-300:]
        return response

    def person() -> httpx.Response:
        get(f"/residents/{resident_id}", "identity-check")
        return get(f"/residents/households/{household_id}", "identity-check")

    def residence() -> httpx.Response:
        get(f"/residents/{resident_id}", "residence-certificate")
        return get(f"/residents/households/{household_id}", "residence-certificate")

    return {
        "メニュー /": lambda: None,
        "住民検索 POST /people/search": lambda: api.post(
            "/residents/search", json={"kana_prefix": "ケイソク", "include_former": False,
                                       "limit": 20},
            headers={"X-Kyodo-Purpose": "identity-check"}),
        "住民記録 /people/{id}": person,
        "アクセスログ /people/{id}/access-log (htmx)": lambda: get(
            f"/residents/{resident_id}/access-log", "audit", limit=20),
        "転居届 /households/{id}/relocation": lambda: get(
            f"/residents/households/{household_id}", "register-procedure"),
        "世帯合併 /households/{id}/merge": lambda: get(
            f"/residents/households/{household_id}", "register-procedure"),
        "住民票の写し /people/{id}/certificates/residence": residence,
        "課税証明書 /people/{id}/certificates/tax": lambda: get(
            f"/residents/{resident_id}", "tax-certificate"),
        "転入（通知） /procedures/transfers": lambda: get(
            "/residents/transfers/incoming", "transfer-notice", limit=50),
    }


def main(quick: bool = False) -> None:
    samples = 30 if quick else 200
    with _platform() as platform:
        counter: str = platform.state()["apps"]["counter"]
        resident_id, household_id = _household(platform.gateway)
        client, csrf = _signed_in(counter)
        pages: dict[str, Callable[[], httpx.Response | None]] = {
            "メニュー /": lambda: client.get("/"),
            "住民検索 POST /people/search": lambda: client.post(
                "/people/search", data={"csrf": csrf, "kana_prefix": "ケイソク"}),
            "住民記録 /people/{id}": lambda: client.get(f"/people/{resident_id}"),
            "アクセスログ /people/{id}/access-log (htmx)": lambda: client.get(
                f"/people/{resident_id}/access-log", headers={"HX-Request": "true"}),
            "転居届 /households/{id}/relocation": lambda: client.get(
                f"/households/{household_id}/relocation"),
            "世帯合併 /households/{id}/merge": lambda: client.get(
                f"/households/{household_id}/merge"),
            "住民票の写し /people/{id}/certificates/residence": lambda: client.get(
                f"/people/{resident_id}/certificates/residence"),
            "課税証明書 /people/{id}/certificates/tax": lambda: client.get(
                f"/people/{resident_id}/certificates/tax"),
            "転入（通知） /procedures/transfers": lambda: client.get("/procedures/transfers"),
        }
        token = httpx.post(f"{platform.gateway}/v1/auth/token", data={
            "grant_type": "password", "municipality_code": SANJO, "username": "clerk",
            "password": "kyodo-clerk"}, timeout=10).json()["access_token"]
        api = httpx.Client(base_url=f"{platform.gateway}/v1/municipalities/{SANJO}", headers={
            "Authorization": f"Bearer {token}"}, timeout=30)
        alone = _api_reads(api, resident_id, household_id)
        figures: dict[str, Any] = {}
        for name, call in pages.items():  # page and its API calls alone, interleaved in time
            split: dict[str, list[float]] = {}
            page = distribution(_time(call, samples, split))
            floor = distribution(_time(alone[name], samples))
            figures[name] = {"page": page, "api_alone": floor,
                             "server_timing_p50": {k: distribution(v)["p50"]
                                                   for k, v in split.items()}}
    table = Table(title=f"counter app: server time per page against its API calls alone, "
                        f"ms p50 ({samples} requests each)")
    for column in ("page", "page p50", "page p95", "API alone p50", "app's own p50",
                   "of which: API / session / app", f"p50 ≤ {TARGET_P50_MS:.0f}"):
        table.add_column(column)
    for name, f in figures.items():
        st = f["server_timing_p50"]
        table.add_row(name, f"{f['page']['p50']:.1f}", f"{f['page']['p95']:.1f}",
                      f"{f['api_alone']['p50']:.1f}",
                      f"{f['page']['p50'] - f['api_alone']['p50']:.1f}",
                      f"{st.get('api', 0):.1f} / {st.get('session', 0):.2f} / "
                      f"{st.get('app', 0):.1f}",
                      "✓" if f["page"]["p50"] <= TARGET_P50_MS else "✗")
    console.print(table)
    path = write_results(NAME, {"samples": samples, "target_p50_ms": TARGET_P50_MS,
                                "pages": figures})
    console.print(f"results: {path}")
