"""The forms added for #19 against a fake gateway: 職権記載/消除, 課税証明書, the survey's
photos, applications and a certificate job's progress, and the 世帯合併 picker."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from kyodo_counter.app import create_app
from kyodo_counter.gateway import Gateway
from kyodo_counter.pages.certificates import fiscal_years
from kyodo_counter.settings import CounterSettings

HOUSEHOLD = "11111111-1111-1111-1111-111111111111"
HEAD = "22222222-2222-2222-2222-222222222222"
SPOUSE = "33333333-3333-3333-3333-333333333333"
OTHER_HOUSEHOLD = "44444444-4444-4444-4444-444444444444"
INCOMING = "55555555-5555-5555-5555-555555555555"
HOUSE = "66666666-6666-6666-6666-666666666666"
DISASTER = "77777777-7777-7777-7777-777777777777"
JOB = "88888888-8888-8888-8888-888888888888"
APPLICATION = "99999999-9999-9999-9999-999999999999"
CERTIFICATE = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
RESULT = {"reason": "x", "effective_date": "2026-11-25", "late_filing": False,
          "residents": [{"resident_id": HEAD}]}


def _member(rid: str, name: str, relationship: str) -> dict[str, Any]:
    return {"resident_id": rid, "family_name": name, "given_name": "太郎",
            "relationship": relationship, "birth_date": "1980-01-01", "status": "resident"}


def _household(hid: str, head: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": hid, "household_number": "0001", "head_id": head, "postal_code": "9558686",
            "address": "三条市旭町", "version": 3, "members": members}


class FakeApi:
    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.answers: dict[tuple[str, str], httpx.Response] = {}
        self.job_state = "running"

    def sent(self, suffix: str) -> list[Any]:
        return [json.loads(r.content) for r in self.calls
                if r.method == "POST" and r.url.path.endswith(suffix)]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        path, method = request.url.path, request.method
        if (method, path.rsplit("/", 1)[-1]) in self.answers:
            return self.answers[(method, path.rsplit("/", 1)[-1])]
        if path == "/v1/auth/token":
            return httpx.Response(200, json={"access_token": "t", "token_type": "Bearer",
                                             "expires_in": 900, "refresh_token": "r"})
        if path == "/v1/auth/me":
            return httpx.Response(200, json={
                "subject": "s", "home_municipality": "152048", "home_name": "三条市",
                "roles": ["counter_clerk"], "scopes": [], "grants": []})
        if method == "GET" and path.endswith(f"/residents/{HEAD}"):
            return httpx.Response(200, json={
                "id": HEAD, "family_name": "世帯", "given_name": "主", "version": 2,
                "household_id": HOUSEHOLD, "status": "resident"})
        if method == "GET" and path.endswith(f"/residents/{INCOMING}"):
            return httpx.Response(200, json={
                "id": INCOMING, "family_name": "合併", "given_name": "花子", "version": 1,
                "household_id": OTHER_HOUSEHOLD, "status": "resident"})
        if path.endswith(f"/households/{HOUSEHOLD}"):
            return httpx.Response(200, json=_household(HOUSEHOLD, HEAD, [
                _member(HEAD, "世帯", "世帯主"), _member(SPOUSE, "配偶", "妻")]))
        if path.endswith(f"/households/{OTHER_HOUSEHOLD}"):
            return httpx.Response(200, json=_household(OTHER_HOUSEHOLD, INCOMING, [
                _member(INCOMING, "合併", "世帯主")]))
        if path.endswith("/residents/search"):
            return httpx.Response(200, json={"next": None, "items": [{
                "id": INCOMING, "resident_number": "1", "family_name": "合併",
                "given_name": "花子", "family_name_kana": "ガッペイ", "given_name_kana": "ハナコ",
                "birth_date": "1985-05-05", "address": "三条市元町", "status": "resident",
                "protected": False}]})
        if method == "POST" and path.endswith(("/ex-officio-entries", "/ex-officio-removal",
                                               "/merge")):
            return httpx.Response(200, json=RESULT)
        if method == "POST" and path.endswith("/certificates/tax"):
            return httpx.Response(201, json={"copies": [{"certificate_id": CERTIFICATE}]})
        if path.endswith(f"/certificates/{CERTIFICATE}"):
            return httpx.Response(200, json={
                "id": CERTIFICATE, "title": "課税証明書", "verification_code": "ABCD-EFGH",
                "status": "issued", "issued_on": "2026-12-07", "issue_numbers": ["1"],
                "fee_yen": 300, "issued_by": "clerk", "issued_by_home": "152048"})
        if path.endswith(f"/houses/{HOUSE}") and method == "GET":
            return httpx.Response(200, json={
                "id": HOUSE, "disaster_id": DISASTER, "postal_code": "9558686",
                "address": "三条市旭町", "occupant_ids": [HEAD], "grade": None,
                "damage_ratio": None, "surveyed_on": None, "survey_version": 0, "version": 1,
                "surveys": []})
        if method == "POST" and path.endswith((f"/houses/{HOUSE}/surveys", "/applications")):
            return httpx.Response(201, json={"id": APPLICATION, "disaster_id": DISASTER})
        if path.endswith(f"/disasters/{DISASTER}/applications"):
            return httpx.Response(200, json={"next": "c2" if "cursor" not in str(request.url)
                                             else None, "items": [{
                "id": APPLICATION, "house_id": HOUSE, "applicant_resident_id": HEAD,
                "copies": 1, "applied_on": "2026-12-07", "status": "received"}]})
        if path.endswith(f"/disasters/{DISASTER}"):
            return httpx.Response(200, json={"id": DISASTER, "name": "令和8年12月豪雨"})
        if path.endswith("/certificate-jobs") and method == "POST":
            return httpx.Response(202, json={"id": JOB})
        if path.endswith(f"/certificate-jobs/{JOB}"):
            return httpx.Response(200, json={
                "id": JOB, "state": self.job_state, "total": 4, "processed": 1,
                "marked_ready": 1, "already_ready": 0, "refused": 0, "refusals": [],
                "error": None})
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


def _key(html: str) -> str:
    found = re.search(r'name="key" value="([^"]+)"', html)
    assert found is not None
    return found[1]


@pytest.fixture
def csrf(client: TestClient) -> str:
    token = _csrf(client.get("/login").text)
    done = client.post("/login", data={"csrf": token, "municipality_code": "152048",
                                       "username": "clerk", "password": "kyodo-clerk"})
    assert done.status_code == 303, done.text
    return _csrf(client.get("/").text)


def test_ex_officio_entry_sends_the_laws_fields_and_shows_the_apis_reason_at_the_field(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    form = client.get("/procedures/ex-officio-entry").text
    assert 'name="effective_date"' in form and 'name="household.new_household.address"' in form
    data = {"csrf": csrf, "key": _key(form), "effective_date": "2026-11-25",
            "person.family_name": "髙橋", "person.given_name": "昭",
            "person.family_name_kana": "タカハシ", "person.given_name_kana": "アキラ",
            "person.sex": "male", "person.birth_date": "1948-10-30",
            "household.new_household.postal_code": "955-0852",
            "household.new_household.address": "新潟県三条市南四日町四丁目6番20号"}
    done = client.post("/procedures/ex-officio-entry", data=data)
    assert done.status_code == 303 and done.headers["location"] == f"/people/{HEAD}"
    assert api.sent("/ex-officio-entries") == [{
        "effective_date": "2026-11-25", "confirm_not_duplicate": False,
        "person": {"family_name": "髙橋", "given_name": "昭", "family_name_kana": "タカハシ",
                   "given_name_kana": "アキラ", "sex": "male", "birth_date": "1948-10-30"},
        "household": {"new_household": {"postal_code": "955-0852",
                                        "address": "新潟県三条市南四日町四丁目6番20号"}}}]
    api.answers[("POST", "ex-officio-entries")] = httpx.Response(422, json={
        "status": 422, "invalid_params": [
            {"name": "person.family_name_kana", "reason": "must be katakana"},
            {"name": "effective_date", "reason": "Input should be a valid date"}]})
    refused = client.post("/procedures/ex-officio-entry", data=data)
    assert refused.status_code == 422
    assert re.search(r'id="f-person-family_name_kana-error">カタカナで入力してください',
                     refused.text)
    assert re.search(r'id="f-effective_date-error">日付を正しく入力してください', refused.text)
    assert 'value="髙橋"' in refused.text  # what was typed stays


def test_ex_officio_removal_of_a_head_names_the_new_head_and_sends_if_match(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    form = client.get(f"/people/{HEAD}/ex-officio-removal").text
    assert 'name="new_head_id"' in form and f'name="relationships.{SPOUSE}"' in form
    done = client.post(f"/people/{HEAD}/ex-officio-removal", data={
        "csrf": csrf, "key": _key(form), "version": "2", "effective_date": "2026-11-27",
        "new_head_id": SPOUSE, f"relationships.{SPOUSE}": "世帯主"})
    assert done.status_code == 303 and done.headers["location"] == f"/people/{HEAD}"
    assert api.sent("/ex-officio-removal") == [{
        "effective_date": "2026-11-27", "new_head_id": SPOUSE,
        "relationships": {SPOUSE: "世帯主"}}]
    [call] = [r for r in api.calls if r.url.path.endswith("/ex-officio-removal")]
    assert call.headers["If-Match"] == 'W/"2"'


def test_tax_certificate_is_issued_for_the_chosen_year_and_previewed_with_a_print_button(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    form = client.get(f"/people/{HEAD}/certificates/tax").text
    assert "令和8年度" in form or "令和7年度" in form
    done = client.post(f"/people/{HEAD}/certificates/tax", data={
        "csrf": csrf, "key": _key(form), "fiscal_year": "2026", "copies": "2"})
    assert done.headers["location"] == f"/certificates/{CERTIFICATE}"
    [body] = api.sent("/certificates/tax")
    assert body["resident_id"] == HEAD and body["fiscal_year"] == "2026"
    assert body["copies"] == "2" and body["terminal"] and body["printer"]
    page = client.get(done.headers["location"]).text
    assert 'data-print-frame="preview"' in page and 'id="preview"' in page
    assert '<script src="/static/print.js"' in page
    assert client.get("/static/print.js").status_code == 200
    api.answers[("POST", "tax")] = httpx.Response(422, json={
        "status": 422, "invalid_params": [{"name": "fiscal_year",
                                           "reason": "no assessment for 2031"}]})
    refused = client.post(f"/people/{HEAD}/certificates/tax", data={
        "csrf": csrf, "key": _key(form), "fiscal_year": "2031", "copies": "1"})
    assert refused.status_code == 422 and 'id="f-fiscal_year-error"' in refused.text


def test_the_fiscal_years_offered_start_with_the_one_assessed_in_june() -> None:
    from datetime import date
    assert fiscal_years(date(2026, 5, 31))[0] == 2025
    assert fiscal_years(date(2026, 6, 1))[:2] == [2026, 2025]


def test_a_survey_carries_its_photos_metadata_as_the_apis_list(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    form = client.get(f"/disaster/houses/{HOUSE}").text
    assert 'name="photos.0.sha256"' in form and 'src="/static/photos.js"' in form
    digest = "ab" * 32
    done = client.post(f"/disaster/houses/{HOUSE}/surveys", data={
        "csrf": csrf, "key": _key(form), "version": "1", "kind": "first", "method": "site",
        "damage_ratio": "23.50", "surveyed_on": "2026-12-06",
        "photos.0.file_name": "IMG_0001.jpg", "photos.0.taken_at": "2026-12-06T10:30",
        "photos.0.sha256": digest, "photos.1.file_name": "", "photos.1.taken_at": "",
        "photos.1.sha256": ""})
    assert done.status_code == 303
    [body] = api.sent("/surveys")
    assert body["photos"] == [{"file_name": "IMG_0001.jpg",
                               "taken_at": "2026-12-06T10:30:00+09:00", "sha256": digest}]
    assert body["applicant_agrees"] is False and body["damage_ratio"] == "23.50"


def test_an_application_is_taken_for_an_occupant_and_the_list_pages_with_htmx(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    form = client.get(f"/disaster/houses/{HOUSE}").text
    assert f'<option value="{HEAD}">世帯 主</option>' in form
    done = client.post(f"/disaster/houses/{HOUSE}/applications", data={
        "csrf": csrf, "key": _key(form), "applicant_resident_id": HEAD, "copies": "2"})
    assert done.headers["location"] == f"/disaster/{DISASTER}/applications"
    assert api.sent(f"/houses/{HOUSE}/applications") == [
        {"applicant_resident_id": HEAD, "copies": "2"}]
    listing = client.get(done.headers["location"]).text
    assert f'name="application_ids" value="{APPLICATION}"' in listing
    assert 'hx-get="/disaster/' in listing and "cursor=c2" in listing
    more = client.get(f"/disaster/{DISASTER}/applications?cursor=c2",
                      headers={"HX-Request": "true"}).text
    assert "<html" not in more and APPLICATION in more


def test_a_certificate_job_is_started_and_its_progress_polls_until_done(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    listing = client.get(f"/disaster/{DISASTER}/applications").text
    started = client.post(f"/disaster/{DISASTER}/certificate-jobs", data={
        "csrf": csrf, "key": _key(listing), "application_ids": APPLICATION})
    assert started.headers["location"] == f"/disaster/jobs/{JOB}"
    assert api.sent("/certificate-jobs") == [{"application_ids": [APPLICATION]}]
    running = client.get(started.headers["location"]).text
    assert 'hx-trigger="every 2s"' in running and "1 / 4 件" in running and "処理中" in running
    api.job_state = "finished"
    fragment = client.get(f"/disaster/jobs/{JOB}", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and "完了" in fragment and "hx-trigger" not in fragment


def test_the_merge_picker_finds_a_household_by_a_member_and_asks_their_relationships(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    first = client.get(f"/households/{HOUSEHOLD}/merge").text
    assert 'name="other_household_id"' not in first  # no id to type
    found = client.post(f"/households/{HOUSEHOLD}/merge/find",
                        data={"csrf": csrf, "kana_prefix": "ガッペイ"},
                        headers={"HX-Request": "true"})
    assert "<html" not in found.text
    assert f"/households/{HOUSEHOLD}/merge?person={INCOMING}" in found.text
    [search] = api.sent("/residents/search")
    assert search["kana_prefix"] == "ガッペイ"
    chosen = client.get(f"/households/{HOUSEHOLD}/merge?person={INCOMING}").text
    assert f'name="other_household_id" value="{OTHER_HOUSEHOLD}"' in chosen
    assert f'name="relationships.{INCOMING}"' in chosen
    done = client.post(f"/households/{HOUSEHOLD}/merge", data={
        "csrf": csrf, "key": _key(chosen), "version": "3", "effective_date": "2026-12-01",
        "other_household_id": OTHER_HOUSEHOLD, f"relationships.{INCOMING}": "妻"})
    assert done.status_code == 303
    assert api.sent("/merge") == [{"effective_date": "2026-12-01",
                                   "other_household_id": OTHER_HOUSEHOLD,
                                   "relationships": {INCOMING: "妻"}}]


def test_a_merge_search_without_criteria_says_so_and_calls_nothing(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    page = client.post(f"/households/{HOUSEHOLD}/merge/find", data={"csrf": csrf})
    assert "検索条件を一つ以上入力してください" in page.text
    assert api.sent("/residents/search") == []


def test_the_next_page_of_a_search_is_rows_for_htmx_and_a_whole_page_without(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    api.answers[("POST", "search")] = httpx.Response(200, json={"next": "c2", "items": [{
        "id": INCOMING, "resident_number": "1", "family_name": "合併", "given_name": "花子",
        "family_name_kana": "ガッペイ", "given_name_kana": "ハナコ", "birth_date": "1985-05-05",
        "address": "三条市元町", "status": "resident", "protected": False}]})
    first = client.post("/people/search", data={"csrf": csrf, "kana_prefix": "ガッペイ"}).text
    assert 'hx-post="/people/search"' in first and 'name="cursor" value="c2"' in first
    more = client.post("/people/search", data={"csrf": csrf, "kana_prefix": "ガッペイ",
                                               "cursor": "c2"}, headers={"HX-Request": "true"})
    assert "<html" not in more.text and "<tr>" in more.text
    assert api.sent("/residents/search")[-1]["cursor"] == "c2"
    whole = client.post("/people/search", data={"csrf": csrf, "kana_prefix": "ガッペイ",
                                                "cursor": "c2"})
    assert "<html" in whole.text


def test_the_person_page_does_not_wait_for_the_access_log_htmx_fetches_it(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    api.answers[("GET", "access-log")] = httpx.Response(200, json={"next": None, "items": [{
        "occurred_at": "2026-12-07T10:00:00+09:00", "actor": "clerk", "actor_home": "152048",
        "acting_municipality": "152048", "purpose": "identity-check", "action": "read"}]})
    page = client.get(f"/people/{HEAD}").text
    assert not [r for r in api.calls if r.url.path.endswith("/access-log")]
    assert f'hx-get="/people/{HEAD}/access-log" hx-trigger="load"' in page
    assert f'<a href="/people/{HEAD}/access-log">' in page  # without JavaScript
    fragment = client.get(f"/people/{HEAD}/access-log", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and "identity-check" in fragment
    assert "<html" in client.get(f"/people/{HEAD}/access-log").text
    api.answers[("GET", "access-log")] = httpx.Response(403, json={"status": 403})
    refused = client.get(f"/people/{HEAD}/access-log", headers={"HX-Request": "true"}).text
    assert "閲覧する権限がありません" in refused


def test_a_person_is_found_by_their_name_in_kanji_as_registered(
    client: TestClient, api: FakeApi, csrf: str,
) -> None:
    form = client.get("/people").text
    assert 'name="name"' in form and "漢字" in form
    client.post("/people/search", data={"csrf": csrf, "name": "渡辺 健"})
    [search] = api.sent("/residents/search")
    assert search["name"] == "渡辺 健" and "kana_prefix" not in search
    client.post(f"/households/{HOUSEHOLD}/merge/find", data={"csrf": csrf, "name": "合併"},
                headers={"HX-Request": "true"})
    assert api.sent("/residents/search")[-1]["name"] == "合併"
