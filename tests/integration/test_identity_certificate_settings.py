"""A municipality's certificate settings (fees per kind, 元年 display, mayor): validated by
identity, published in MunicipalityConfigured for the certificates service."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure

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


async def _published(infrastructure: Infrastructure, code: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")
                                             ["RELAY_DATABASE_URL"]))
    try:
        rows = await conn.fetch("SELECT data::text AS data FROM outbox WHERE key = $1 "
                                "ORDER BY id", code)
    finally:
        await conn.close()
    return [json.loads(r["data"])["config"] for r in rows]


async def test_the_certificate_settings_are_kept_and_published(
    identity: Identity, infrastructure: Infrastructure,
) -> None:
    operator = await identity.operator()
    code = random_code()
    created = await identity.http.post(URL, json=_body(code), headers=post_headers(operator))
    assert created.status_code == 201, created.text
    defaults = created.json()["config"]
    assert defaults["gannen"] is True and defaults["certificate_fees_yen"] == {}

    update = {k: v for k, v in _body(code).items() if k != "code"}
    update["config"] = {**CONFIG, "certificate_fees_yen": {"tax": 450, "damage_report": 0},
                        "gannen": False, "mayor_name": "　試験　次郎 "}
    changed = await identity.http.put(f"{URL}/{code}", json=update,
                                      headers={**bearer(operator), "If-Match": 'W/"1"'})
    assert changed.status_code == 200, changed.text
    config = changed.json()["config"]
    assert config["certificate_fees_yen"] == {"tax": 450, "damage_report": 0}
    assert config["gannen"] is False and config["mayor_name"] == "試験　次郎"
    published = (await _published(infrastructure, code))[-1]
    assert published["certificate_fees_yen"] == {"tax": 450, "damage_report": 0}
    assert published["gannen"] is False and published["mayor_name"] == "試験　次郎"


@pytest.mark.parametrize(("config", "field"), [
    ({"certificate_fees_yen": {"passport": 300}}, "config.certificate_fees_yen.passport"),
    ({"certificate_fees_yen": {"tax": -1}}, "config.certificate_fees_yen.tax"),
    ({"certificate_fees_yen": {"damage": 10_001}}, "config.certificate_fees_yen.damage"),
    ({"gannen": "sometimes"}, "config.gannen"),
    ({"mayor_name": "　"}, "config.mayor_name"),
    ({"mayor_name": "長" * 101}, "config.mayor_name"),
], ids=["unknown-kind", "negative-fee", "fee-too-high", "gannen", "blank-mayor", "long-mayor"])
async def test_bad_certificate_settings_are_refused_naming_the_field(
    identity: Identity, config: dict[str, Any], field: str,
) -> None:
    operator = await identity.operator()
    code = random_code()
    response = await identity.http.post(URL, json=_body(code, **config),
                                        headers=post_headers(operator))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert any(name.startswith(field) for name in names), names
    missing = await identity.http.get(f"{URL}/{code}", headers=bearer(operator))
    assert missing.status_code == 404  # nothing was created
