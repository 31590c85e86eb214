"""Hostile characters into the fields of issue #17 (finding 6), through each service's real app
and database: a 422 naming the field, and not one row of the service's database changed.

Before, a NUL gave a 500 (PostgreSQL refuses it in text), and the other control characters
were stored (or written to the audit log) as they came."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from integration.certificates_kit import Counter, certificates_app, feed, registered, state
from integration.disaster_kit import WRITER, Clerk, disaster_app
from integration.identity_harness import CONFIG, post_headers, running_identity
from integration.residents_client import ALL_SCOPES, residents_app
from integration.tax_harness import TaxClerk, report_csv, tax_app

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.errors import PROBLEM_JSON
from kyodo_testing import Infrastructure, TokenMinter

pytestmark = pytest.mark.integration

SANJO = "152048"
# NUL, other C0, ESC, DEL, C1 (NEL), a lone surrogate, a non-character.
IN_JSON = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"]
IN_FORMS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\uffff"]  # a form is UTF-8: no surrogate
IN_HEADERS = [b"\x00", b"\x01", b"\x1b", b"\x7f"]
IN_FILES = ["\x00", "\x01", "\x1b", "\x7f"]


@dataclass
class Apps:
    residents: httpx.AsyncClient
    disaster: httpx.AsyncClient
    certificates: httpx.AsyncClient
    tax: httpx.AsyncClient
    identity: httpx.AsyncClient
    operator: str  # an operator's token (identity)
    town: str  # a municipality identity knows
    certificate: str  # an issued certificate (certificates)


@pytest.fixture(scope="module")
async def apps(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory,
               certificates_db: Database) -> AsyncIterator[Apps]:
    var: Callable[[], Path] = lambda: tmp_path_factory.mktemp("var")  # noqa: E731
    async with residents_app(infrastructure, var()) as residents, \
            disaster_app(infrastructure, var()) as disaster, \
            certificates_app(infrastructure, var()) as certificates, \
            tax_app(infrastructure, var()) as tax, \
            running_identity(infrastructure, var()) as identity:
        operator = await identity.operator()
        town = await identity.municipality(operator)
        person = state(given="制御", kana=("サンジョウ", "セイギョ"))
        await feed(certificates_db, SANJO, registered(SANJO, person))
        issued = await Counter(certificates, SANJO).issue(
            "residence", {"resident_id": str(person.resident_id)})
        assert issued.status_code == 201, issued.text
        yield Apps(residents=residents, disaster=disaster, certificates=certificates, tax=tax,
                   identity=identity.http, operator=operator, town=town,
                   certificate=issued.json()["copies"][0]["certificate_id"])


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()  # ASCII with escapes: a lone surrogate travels as JSON can


def _residents_headers() -> dict[str, str]:
    token = TokenMinter.shared().token(SANJO, ALL_SCOPES)
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "register-procedure",
            "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}


async def _search(apps: Apps, query: dict[str, Any], **headers: Any) -> httpx.Response:
    return await apps.residents.post(f"/v1/municipalities/{SANJO}/residents/search",
                                     content=_json(query),
                                     headers={**_residents_headers(), **headers})


async def _move_in(apps: Apps, *, family: str = "山田",
                   address: str = "新潟県三条市旭町二丁目3番1号") -> httpx.Response:
    body = {"kind": "domestic", "effective_date": today_in_japan().isoformat(),
            "person": {"family_name": family, "given_name": "太郎", "family_name_kana": "ヤマダ",
                       "given_name_kana": "タロウ", "sex": "male", "birth_date": "1980-04-01"},
            "household": {"new_household": {"postal_code": "955-8686", "address": address}},
            "previous_address": "東京都千代田区千代田1番1号", "confirm_not_duplicate": True}
    return await apps.residents.post(f"/v1/municipalities/{SANJO}/residents/move-ins",
                                     content=_json(body), headers=_residents_headers())


async def _declare(apps: Apps, name: str) -> httpx.Response:
    today = today_in_japan()
    clerk = Clerk(apps.disaster, SANJO)
    body = {"name": name, "kind": "flood", "occurred_on": (today - timedelta(days=3)).isoformat(),
            "affected_area": ["旭町二丁目"],
            "application_opens_on": (today - timedelta(days=2)).isoformat(),
            "application_closes_on": (today + timedelta(days=60)).isoformat()}
    return await apps.disaster.post(clerk.url("/disasters"), content=_json(body), headers={
        **clerk.headers, "Content-Type": "application/json",
        "Idempotency-Key": uuid.uuid4().hex})


async def _disaster_audit(apps: Apps, actor: str) -> httpx.Response:
    clerk = Clerk(apps.disaster, SANJO, scopes=f"{WRITER} audit:read")
    return await apps.disaster.get(clerk.url("/audit"), params={"actor": actor},
                                   headers=clerk.headers)


async def _void(apps: Apps, reason: str) -> httpx.Response:
    counter = Counter(apps.certificates, SANJO)
    return await apps.certificates.post(
        counter.url(f"/{apps.certificate}/void"), content=_json({"reason": reason}),
        headers={**counter.headers, "Content-Type": "application/json",
                 "Idempotency-Key": uuid.uuid4().hex})


async def _issue(apps: Apps, terminal: str) -> httpx.Response:
    counter = Counter(apps.certificates, SANJO)
    body = {"terminal": terminal, "printer": "プリンタ001", "resident_id": str(uuid.uuid4())}
    return await apps.certificates.post(counter.url("/residence"), content=_json(body), headers={
        **counter.headers, "Content-Type": "application/json",
        "Idempotency-Key": uuid.uuid4().hex})


async def _configure(apps: Apps, *, name: str = "試験市", mayor: str = "試験 太郎"
                     ) -> httpx.Response:
    body = {"name": name, "name_en": "Test", "prefecture": "新潟県",
            "config": {**CONFIG, "mayor_name": mayor}}
    return await apps.identity.put(f"/v1/platform/municipalities/{apps.town}",
                                   content=_json(body), headers={
                                       **post_headers(apps.operator),
                                       "Content-Type": "application/json"})


Send = Callable[[Apps, str], Awaitable[httpx.Response]]
# (service whose database must not change, the field the 422 must name, how the text goes in)
JSON_FIELDS: dict[str, tuple[str, str, Send]] = {
    "search kana_prefix": ("residents", "kana_prefix",
                           lambda a, bad: _search(a, {"kana_prefix": f"ナ{bad}カ"})),
    "search address_contains": ("residents", "address_contains",
                                lambda a, bad: _search(a, {"address_contains": f"旭町{bad}二"})),
    "resident name": ("residents", "person.family_name",
                      lambda a, bad: _move_in(a, family=f"山{bad}田")),
    "resident address": ("residents", "household.new_household.address",
                         lambda a, bad: _move_in(a, address=f"三条市{bad}旭町")),
    "disaster name": ("disaster", "name", lambda a, bad: _declare(a, f"大雨{bad}災害")),
    "disaster audit actor (query)": ("disaster", "actor",
                                     lambda a, bad: _disaster_audit(a, f"staff{bad}1")),
    "certificate void reason": ("certificates", "reason",
                                lambda a, bad: _void(a, f"印刷{bad}不良")),
    "certificate terminal": ("certificates", "terminal",
                             lambda a, bad: _issue(a, f"本庁{bad}1")),
    "municipality name": ("identity", "name", lambda a, bad: _configure(a, name=f"試験{bad}市")),
    "mayor name (in a domain model)": ("identity", "config",
                                  lambda a, bad: _configure(a, mayor=f"試験{bad}太郎")),
}


async def _rows(infrastructure: Infrastructure, service: str) -> dict[str, int]:
    """Every table's row count in the service's database (as its owner: all tenants)."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url(service)))
    try:
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        # The names come from the catalogue, not from a request.
        return {t: await conn.fetchval(f'SELECT count(*) FROM "{t}"')  # noqa: S608
                for t in tables}
    finally:
        await conn.close()


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    (name,) = [p["name"].lower() for p in response.json()["invalid_params"]]
    assert name == field.lower() or name.startswith(f"{field}."), name  # config.mayor_name


async def _refused_and_unchanged(infrastructure: Infrastructure, service: str, field: str,
                                 send: Callable[[], Awaitable[httpx.Response]]) -> None:
    before = await _rows(infrastructure, service)
    _refused(await send(), field)
    assert await _rows(infrastructure, service) == before


@pytest.mark.parametrize("bad", IN_JSON, ids=[f"U+{ord(c):04X}" for c in IN_JSON])
@pytest.mark.parametrize("case", list(JSON_FIELDS))
async def test_a_hostile_character_in_a_field_is_refused_and_changes_nothing(
        apps: Apps, infrastructure: Infrastructure, case: str, bad: str) -> None:
    service, field, send = JSON_FIELDS[case]
    if "(query)" in case and bad == "\ud800":
        pytest.skip("a URL carries UTF-8: a lone surrogate cannot be sent in one")
    await _refused_and_unchanged(infrastructure, service, field, lambda: send(apps, bad))


async def test_the_same_fields_take_clean_text(apps: Apps) -> None:
    """The checks refuse characters, not the fields: the cases above fail for the right reason."""
    assert (await _search(apps, {"kana_prefix": "ナカ"})).status_code == 200
    assert (await _move_in(apps)).status_code == 201
    assert (await _declare(apps, "令和6年7月大雨災害")).status_code == 201
    assert (await _disaster_audit(apps, "staff-1")).status_code == 200
    assert (await _configure(apps)).status_code == 200


@pytest.mark.parametrize("bad", IN_HEADERS, ids=[f"0x{c[0]:02X}" for c in IN_HEADERS])
async def test_a_hostile_purpose_header_is_refused_and_not_audited(
        apps: Apps, infrastructure: Infrastructure, bad: bytes) -> None:
    await _refused_and_unchanged(
        infrastructure, "residents", "X-Kyodo-Purpose",
        lambda: _search(apps, {"kana_prefix": "ナカ"}, **{"X-Kyodo-Purpose": b"counter" + bad}))


@pytest.mark.parametrize("bad", IN_FORMS, ids=[f"U+{ord(c):04X}" for c in IN_FORMS])
@pytest.mark.parametrize(("grant", "field"), [("password", "username"),
                                              ("client_credentials", "client_id")])
async def test_a_hostile_login_name_is_refused_and_changes_nothing(
        apps: Apps, infrastructure: Infrastructure, grant: str, field: str, bad: str) -> None:
    form = {"grant_type": grant, "municipality_code": apps.town, "username": "admin",
            "password": "wrong-password", "client_id": "partner", "client_secret": "s" * 20,
            field: f"ad{bad}min"}
    await _refused_and_unchanged(infrastructure, "identity", field,
                                 lambda: apps.identity.post("/v1/auth/token", data=form))


@pytest.mark.parametrize("bad", IN_FILES, ids=[f"U+{ord(c):04X}" for c in IN_FILES])
async def test_a_salary_report_file_with_a_hostile_character_is_refused(
        apps: Apps, infrastructure: Infrastructure, bad: str) -> None:
    content = report_csv([{"employer_number": "1234", "resident_number": "0000000001",
                           "family_name_kana": f"ヤ{bad}マダ", "given_name_kana": "タロウ",
                           "birth_date": "1980-04-01", "salary_income": 3_000_000}])
    clerk = TaxClerk(apps.tax, SANJO)
    await _refused_and_unchanged(infrastructure, "tax", "file",
                                 lambda: clerk.import_csv(content, today_in_japan().year))
