"""The app against a fake gateway (httpx MockTransport): CSRF, the session cookie, one
Idempotency-Key per rendered form, If-Match and a 412 reloaded, logout at identity, and no
token in any page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from kyodo_counter.app import create_app
from kyodo_counter.gateway import Gateway
from kyodo_counter.settings import CounterSettings

TOKEN = "secret-access-token-abc"
HOUSEHOLD = "11111111-1111-1111-1111-111111111111"
HEAD = "22222222-2222-2222-2222-222222222222"


ASSESSMENT = {
    "fiscal_year": 2026, "assessed_on": "2026-06-01", "rules": "fy2026",
    "january_first": {"postal_code": "955-8686", "address": "三条市旭町"},
    "income": {"salary_revenue": 4000000, "salary_income": 2760000},
    "deductions": {"basic": 430000, "total": 430000}, "taxable_base": 2330000,
    "income_levy": {"adjustment_credit_municipal": 1500}, "per_capita": {},
    "exemption": {"income_levy_exempt": False}, "non_taxable": False}


class FakeApi:
    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.household_version = 3

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        path = request.url.path
        if path == "/v1/auth/token":
            return httpx.Response(200, json={"access_token": TOKEN, "token_type": "Bearer",
                                             "expires_in": 900, "scope": "",
                                             "refresh_token": "refresh-1"})
        if path == "/v1/auth/me":
            return httpx.Response(200, json={
                "subject": "s", "home_municipality": "152048", "home_name": "三条市",
                "roles": ["counter_clerk"], "scopes": [], "grants": []})
        if path == "/v1/auth/logout":
            return httpx.Response(204)
        if path.endswith(f"/residents/{HEAD}"):
            return httpx.Response(200, json={"id": HEAD, "platform_person_id": HEAD,
                                             "family_name": "課税", "given_name": "一郎"})
        if path.endswith(f"/tax/persons/{HEAD}/assessments"):
            return httpx.Response(200, json={"next": None, "items": [
                {**ASSESSMENT, "version": 1, "kind": "initial", "total": 100000,
                 "previous_total": None, "difference": None},
                {**ASSESSMENT, "version": 2, "kind": "correction", "total": 98000,
                 "previous_total": 100000, "difference": -2000}]})
        if path.endswith(f"/households/{HOUSEHOLD}"):
            return httpx.Response(200, json={
                "id": HOUSEHOLD, "household_number": "0001", "head_id": HEAD,
                "postal_code": "955-8686", "address": "三条市旭町", "formed_on": "2020-01-01",
                "dissolved_on": None, "version": self.household_version, "members": []})
        if path.endswith("/relocation"):
            if request.headers.get("If-Match") != f'W/"{self.household_version}"':
                return httpx.Response(412, json={"title": "Precondition failed", "status": 412})
            return httpx.Response(200, json={"reason": "relocation",
                                             "effective_date": "2027-03-15",
                                             "late_filing": False,
                                             "residents": [{"resident_id": HEAD}]})
        return httpx.Response(404, json={"title": "Not found", "status": 404})


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def client(api: FakeApi) -> Iterator[TestClient]:
    gateway = Gateway("http://gateway", httpx.AsyncClient(
        base_url="http://gateway", transport=httpx.MockTransport(api.handle)))
    with TestClient(create_app(CounterSettings(), gateway),
                    follow_redirects=False) as test_client:
        yield test_client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found[1]


def _login(client: TestClient) -> str:
    csrf = _csrf(client.get("/login").text)
    done = client.post("/login", data={"csrf": csrf, "municipality_code": "152048",
                                       "username": "clerk", "password": "kyodo-clerk"})
    assert done.status_code == 303, done.text
    return _csrf(client.get("/").text)


def test_the_session_cookie_is_httponly_strict_and_changes_at_login(client: TestClient) -> None:
    first = client.get("/login")
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    before = client.cookies.get("kyodo_counter")
    _login(client)
    assert client.cookies.get("kyodo_counter") not in (None, before)


def test_a_form_without_this_sessions_csrf_token_does_nothing(client: TestClient,
                                                            api: FakeApi) -> None:
    _login(client)
    called = len(api.calls)
    refused = client.post(f"/households/{HOUSEHOLD}/relocation", data={
        "csrf": "forged", "key": "k1", "version": "3", "effective_date": "2027-03-15",
        "postal_code": "955-0072", "address": "三条市元町"})
    assert refused.status_code == 403
    assert len(api.calls) == called


def test_each_rendered_form_has_its_own_key_and_a_double_submit_sends_it_twice(
    client: TestClient, api: FakeApi,
) -> None:
    csrf = _login(client)
    forms = [client.get(f"/households/{HOUSEHOLD}/relocation").text for _ in range(2)]
    keys = [re.findall(r'name="key" value="([^"]+)"', f)[0] for f in forms]
    assert keys[0] != keys[1]
    assert TOKEN not in forms[0] and "refresh-1" not in forms[0]
    data = {"csrf": csrf, "key": keys[0], "version": "3", "effective_date": "2027-03-15",
            "postal_code": "955-0072", "address": "三条市元町"}
    for _ in range(2):  # a double click
        assert client.post(f"/households/{HOUSEHOLD}/relocation", data=data).status_code == 303
    sent = [r for r in api.calls if r.url.path.endswith("/relocation")]
    assert [r.headers["Idempotency-Key"] for r in sent] == [keys[0], keys[0]]
    assert json.loads(sent[0].content) == {"effective_date": "2027-03-15",
                                           "postal_code": "955-0072", "address": "三条市元町"}


def test_a_record_changed_meanwhile_is_reported_and_the_form_drawn_again(
    client: TestClient, api: FakeApi,
) -> None:
    csrf = _login(client)
    form = client.get(f"/households/{HOUSEHOLD}/relocation").text
    key = re.findall(r'name="key" value="([^"]+)"', form)[0]
    api.household_version = 4  # another clerk changed the household
    stale = client.post(f"/households/{HOUSEHOLD}/relocation", data={
        "csrf": csrf, "key": key, "version": "3", "effective_date": "2027-03-15",
        "postal_code": "955-0072", "address": "三条市元町"})
    assert stale.status_code == 303
    assert stale.headers["location"] == f"/households/{HOUSEHOLD}/relocation"
    again = client.get(stale.headers["location"]).text
    assert "他の職員がこの記録を更新しました" in again
    assert 'name="version" value="4"' in again


def test_logout_revokes_at_identity_and_ends_the_session(client: TestClient,
                                                         api: FakeApi) -> None:
    csrf = _login(client)
    out = client.post("/logout", data={"csrf": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    [logout] = [r for r in api.calls if r.url.path == "/v1/auth/logout"]
    assert logout.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(logout.content) == {"refresh_token": "refresh-1"}
    assert client.get("/").headers["location"] == "/login"


def test_pages_forbid_inline_script_and_caching(client: TestClient) -> None:
    page = client.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"




def test_a_persons_tax_shows_each_step_and_the_correction_as_a_version(
    client: TestClient,
) -> None:
    _login(client)
    page = client.get(f"/people/{HEAD}/tax").text
    assert page.index("第2版（更正") < page.index("第1版（当初")
    for line in ("給与収入", "4,000,000", "給与所得", "2,760,000", "基礎控除",
                 "調整控除（市町村民税）", "所得割非課税", "非該当", "差額 -2,000円"):
        assert line in page, line
