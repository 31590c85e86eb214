"""Purposes of reads are codes of a vocabulary (ADR 0013), not free text: free text, unknown
codes and Japanese sent in the header (which ASGI would decode as latin-1 and the access log
would keep as mojibake) are refused with 422 naming X-Kyodo-Purpose, and nothing is logged. A
municipality's own codes are configured in identity, listed with their labels, and accepted
by the gateway for that municipality only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from integration.conftest import SANJO, residents_db
from integration.identity_harness import (
    ADMIN_PASSWORD,
    CONFIG,
    Identity,
    bearer,
    post_headers,
    random_code,
    running_identity,
)
from integration.residents_client import residents_app

from kyodo_common.assertion import sign_service_token
from kyodo_common.audit import access_log
from kyodo_common.db import Database
from kyodo_common.errors import Problem
from kyodo_gateway.purposes import LocalPurposes, parse_purposes
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]
__all__ = ["residents_db"]  # the fixture, imported for the tests below
URL = f"/v1/municipalities/{SANJO}/residents"
SNOW = "local-snow-clearing"


def _as(purpose: str | bytes | None = None) -> dict[str, Any]:
    token = TokenMinter.shared().token(SANJO, "residents:read residents:write",
                                       subject="clerk")
    headers: dict[str, Any] = {"Authorization": f"Bearer {token}",
                               "Idempotency-Key": uuid.uuid4().hex}
    if purpose is not None:
        headers["X-Kyodo-Purpose"] = purpose
    return headers


@pytest.fixture(scope="module")
async def residents(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                    ) -> AsyncIterator[httpx.AsyncClient]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


async def _resident(client: httpx.AsyncClient) -> str:
    response = await client.post(URL, headers=_as(), json={
        "family_name": "目的", "given_name": "花子", "family_name_kana": "モクテキ",
        "given_name_kana": "ハナコ", "birth_date": "1990-02-14", "sex": "female",
        "postal_code": "9558686", "address": "新潟県三条市旭町二丁目3番1号",
        "confirm_not_duplicate": True})
    assert response.status_code == 201, response.text
    resident_id: str = response.json()["id"]
    return resident_id


async def _purposes_logged(db: Database, subject_id: str) -> list[str | None]:
    async with db.tenant_transaction(SANJO) as session:
        return list((await session.execute(
            sa.select(access_log.c.purpose).where(access_log.c.subject_id == subject_id)
            .order_by(access_log.c.occurred_at))).scalars())


@pytest.mark.parametrize("purpose", [
    "x", "counter", "counter: certificate issuance", "Residence-Certificate",
    "住民票の写し等の交付".encode(), "residence-certificate\u00e9".encode(), "local-",
], ids=["x", "unknown-word", "free-text", "upper-case", "utf-8-label", "latin-1", "bare-local"])
async def test_anything_but_a_code_is_refused_and_not_logged(
    residents: httpx.AsyncClient, residents_db: Database, purpose: str | bytes,
) -> None:
    resident_id = await _resident(residents)
    before = await _purposes_logged(residents_db, resident_id)
    response = await residents.get(f"{URL}/{resident_id}", headers=_as(purpose))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (param,) = response.json()["invalid_params"]
    assert param["name"] == "X-Kyodo-Purpose"
    assert "/identity/purposes" in param["reason"]  # where the codes are listed
    assert await _purposes_logged(residents_db, resident_id) == before


async def test_a_standard_code_is_accepted_and_logged_as_the_code(
    residents: httpx.AsyncClient, residents_db: Database,
) -> None:
    resident_id = await _resident(residents)
    response = await residents.get(f"{URL}/{resident_id}",
                                   headers=_as(" residence-certificate "))
    assert response.status_code == 200, response.text
    assert (await _purposes_logged(residents_db, resident_id))[-1] == "residence-certificate"


async def test_a_missing_purpose_is_still_required(residents: httpx.AsyncClient) -> None:
    resident_id = await _resident(residents)
    response = await residents.get(f"{URL}/{resident_id}", headers=_as())
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "X-Kyodo-Purpose"


async def _town(identity: Identity, operator: str, purposes: dict[str, Any]) -> str:
    for _ in range(20):
        code = random_code()
        response = await identity.http.post("/v1/platform/municipalities", json={
            "code": code, "name": f"試験町{code}", "name_en": f"Test {code}",
            "prefecture": "新潟県", "config": {**CONFIG, "purposes": purposes},
            "admin": {"login": "admin", "initial_password": ADMIN_PASSWORD},
        }, headers=post_headers(operator))
        if response.status_code == 201:
            return code
        assert response.status_code == 409, response.text
    raise AssertionError("no free municipality code")


async def test_a_towns_own_code_is_listed_and_accepted_there_only(identity: Identity) -> None:
    operator = await identity.operator()
    snowy = await _town(identity, operator, {SNOW: {"label": "除雪計画の作成",
                                                    "label_en": "snow-clearing plans"}})
    other = await _town(identity, operator, {})

    listed = await identity.http.get(f"/v1/municipalities/{snowy}/identity/purposes",
                                     headers=bearer(await identity.admin(snowy)))
    assert listed.status_code == 200, listed.text
    items = {p["code"]: p for p in listed.json()["items"]}
    assert items[SNOW] == {"code": SNOW, "label": "除雪計画の作成",
                           "label_en": "snow-clearing plans", "standard": False}
    assert items["residence-certificate"]["label"] == "住民票の写し等の交付"
    elsewhere = await identity.http.get(f"/v1/municipalities/{other}/identity/purposes",
                                        headers=bearer(await identity.admin(other)))
    assert SNOW not in [p["code"] for p in elsewhere.json()["items"]]
    foreign = await identity.http.get(f"/v1/municipalities/{snowy}/identity/purposes",
                                      headers=bearer(await identity.admin(other)))
    assert foreign.status_code == 403

    # What the gateway reads from identity, and what it then lets through.
    token = sign_service_token(PlatformKeys.shared().signer, "gateway", 60)
    feed = await identity.http.get("/v1/internal/municipalities", headers=bearer(token))
    assert feed.status_code == 200, feed.text
    gateway = LocalPurposes()
    gateway.update(parse_purposes(feed.json()))
    gateway.check(snowy, SNOW.encode())
    with pytest.raises(Problem) as refused:
        gateway.check(other, SNOW.encode())
    assert refused.value.status == 422


@pytest.mark.parametrize("code", ["snow-clearing", "local-除雪", "residence-certificate",
                                  "local-Snow"])
async def test_a_towns_own_codes_are_local_codes(identity: Identity, code: str) -> None:
    operator = await identity.operator()
    response = await identity.http.post("/v1/platform/municipalities", json={
        "code": random_code(), "name": "試験町", "name_en": "Test", "prefecture": "新潟県",
        "config": {**CONFIG, "purposes": {code: {"label": "除雪"}}}},
        headers=post_headers(operator))
    assert response.status_code == 422, response.text
    assert any(p["name"].startswith("config.purposes")
               for p in response.json()["invalid_params"])
