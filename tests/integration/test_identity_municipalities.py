"""Municipalities: added and configured by a platform operator, announced by an event."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure, every_item

from .identity_harness import (
    CONFIG,
    PROBLEM,
    Identity,
    bearer,
    post_headers,
    random_code,
    running_identity,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
URL = "/v1/platform/municipalities"


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


def _body(code: str, **config: Any) -> dict[str, Any]:
    return {"code": code, "name": "試験村", "name_en": "Shiken", "prefecture": "新潟県",
            "config": {**CONFIG, **config}}


async def test_an_operator_adds_and_reconfigures_a_municipality(
    identity: Identity, infrastructure: Infrastructure,
) -> None:
    operator = await identity.operator()
    code = random_code()
    created = await identity.http.post(URL, json=_body(code), headers=post_headers(operator))
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == 'W/"1"'
    assert created.json()["config"]["kyuchi"] == 2

    duplicate = await identity.http.post(URL, json=_body(code), headers=post_headers(operator))
    assert duplicate.status_code == 409

    update = {k: v for k, v in _body(code).items() if k != "code"}
    update["config"] = {**CONFIG, "certificate_fee_yen": 350, "mayor_name": "新 市長"}
    changed = await identity.http.put(f"{URL}/{code}", json=update,
                                      headers={**bearer(operator), "If-Match": 'W/"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["config"]["certificate_fee_yen"] == 350
    assert changed.headers["ETag"] == 'W/"2"'
    stale = await identity.http.put(f"{URL}/{code}", json=update,
                                    headers={**bearer(operator), "If-Match": 'W/"1"'})
    assert stale.status_code == 412
    missing = await identity.http.put(f"{URL}/{random_code()}", json=update,
                                      headers=bearer(operator))
    assert missing.status_code == 404

    listing = await every_item(identity.http, URL, limit=1, headers=bearer(operator))
    assert code in [m["code"] for m in listing]
    assert [m["code"] for m in listing] == sorted({m["code"] for m in listing})

    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")
                                             ["RELAY_DATABASE_URL"]))
    try:
        events = await conn.fetch("SELECT type, data::text AS data FROM outbox WHERE key = $1 "
                                  "ORDER BY id", code)
    finally:
        await conn.close()
    assert [e["type"] for e in events] == ["jp.kyodo.identity.municipality_configured.v1"] * 2
    assert json.loads(events[-1]["data"])["config"]["certificate_fee_yen"] == 350


@pytest.mark.parametrize(("body", "field"), [
    (_body("152049"), "code"),
    (_body("15204"), "code"),
    (_body("PLACEHOLDER", kyuchi=4), "config.kyuchi"),
    (_body("PLACEHOLDER", cors_origins=["https://x.example.jp/path"]), "config.cors_origins.0"),
    (_body("PLACEHOLDER", cors_origins=["javascript:alert(1)"]), "config.cors_origins.0"),
    (_body("PLACEHOLDER", per_capita={"municipal": 3000}), "config.per_capita.prefectural"),
    (_body("PLACEHOLDER", tax_rate=10), "config.tax_rate"),
    (_body("PLACEHOLDER", income_levy_rates={"municipal": "0.3", "prefectural": "0.04"}),
     "config.income_levy_rates.municipal"),
    (_body("PLACEHOLDER", income_levy_rates={"municipal": "0.06", "prefectural": "4"}),
     "config.income_levy_rates.prefectural"),
    (_body("PLACEHOLDER", income_levy_rates={"municipal": 0.06, "prefectural": "0.04"}),
     "config.income_levy_rates.municipal"),
    (_body("PLACEHOLDER", income_levy_rates={"municipal": "0.06"}),
     "config.income_levy_rates.prefectural"),
    ({**_body("PLACEHOLDER"), "admin": {"login": "boss", "initial_password": "short"}},
     "admin.initial_password"),
], ids=["check-digit", "length", "kyuchi", "origin-path", "origin-scheme", "per-capita",
        "unknown-config", "rate-too-high", "rate-as-percent", "rate-as-float", "rate-missing",
        "weak-admin-password"])
async def test_bad_municipalities_are_refused_naming_the_field(
    identity: Identity, body: dict[str, Any], field: str,
) -> None:
    operator = await identity.operator()
    if body["code"] == "PLACEHOLDER":
        body = {**body, "code": random_code()}
    response = await identity.http.post(URL, json=body, headers=post_headers(operator))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in [p["name"] for p in response.json()["invalid_params"]]


async def test_income_levy_rates_are_configured_and_bad_ones_change_nothing(
    identity: Identity, infrastructure: Infrastructure,
) -> None:
    """所得割 rates per municipality (DOMAIN.md §1): absent means the standard; a town's own
    rates travel in MunicipalityConfigured; bad ones are refused and the town stays as it was."""
    operator = await identity.operator()
    code = random_code()
    created = await identity.http.post(URL, json=_body(code), headers=post_headers(operator))
    assert created.status_code == 201, created.text
    assert created.json()["config"]["income_levy_rates"] is None
    update = {k: v for k, v in _body(code).items() if k != "code"}
    update["config"] = {**CONFIG, "income_levy_rates": {"municipal": "0.065",
                                                        "prefectural": "0.04025"}}
    changed = await identity.http.put(f"{URL}/{code}", json=update, headers=bearer(operator))
    assert changed.status_code == 200, changed.text
    assert changed.json()["config"]["income_levy_rates"] == {"municipal": "0.065",
                                                             "prefectural": "0.04025"}

    bad = {**update, "config": {**CONFIG, "income_levy_rates": {"municipal": "0.0",
                                                                "prefectural": "0.04"}}}
    refused = await identity.http.put(f"{URL}/{code}", json=bad, headers=bearer(operator))
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert [p["name"] for p in refused.json()["invalid_params"]] == [
        "config.income_levy_rates.municipal"]
    kept = await identity.http.get(f"{URL}/{code}", headers=bearer(operator))
    assert kept.headers["ETag"] == 'W/"2"'
    assert kept.json()["config"]["income_levy_rates"]["municipal"] == "0.065"

    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")
                                             ["RELAY_DATABASE_URL"]))
    try:
        events = await conn.fetch("SELECT data::text AS data FROM outbox WHERE key = $1 "
                                  "ORDER BY id", code)
    finally:
        await conn.close()
    assert [json.loads(e["data"])["config"]["income_levy_rates"] for e in events] == [
        None, {"municipal": "0.065", "prefectural": "0.04025"}]


async def test_only_operators_manage_municipalities(identity: Identity) -> None:
    operator = await identity.operator()
    town = await identity.municipality(operator)
    admin = await identity.admin(town)
    for method, url, body in [("GET", URL, None),
                              ("POST", URL, _body(random_code())),
                              ("PUT", f"{URL}/{town}", {k: v for k, v in _body(town).items()
                                                        if k != "code"}),
                              ("GET", "/v1/platform/audit", None)]:
        response = await identity.http.request(method, url, json=body,
                                               headers=post_headers(admin))
        assert response.status_code == 403, (method, url)
        assert response.headers["content-type"] == PROBLEM
    # An operator is not a tenant admin: staff stay with their municipality.
    staff = await identity.http.get(f"/v1/municipalities/{town}/identity/staff",
                                    headers=bearer(operator))
    assert staff.status_code == 403
