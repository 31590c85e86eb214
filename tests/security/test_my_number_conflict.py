"""Which resident has which My Number is known only to callers with mynumber:read: a clerk
without it who types a number another resident has hears what a mistyped number gets."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from integration.conftest import SANJO
from integration.residents_client import residents_app

from kyodo_jp.checkdigits import my_number_check_digit
from kyodo_testing import Infrastructure, TokenMinter

pytestmark = pytest.mark.integration
URL = f"/v1/municipalities/{SANJO}/residents"
REGISTRAR = "residents:read residents:write mynumber:read"
CLERK = "residents:read residents:write"


def _headers(scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TokenMinter.shared().token(SANJO, scopes)}",
            "X-Kyodo-Purpose": "identity-check", "Idempotency-Key": uuid.uuid4().hex}


def _valid_number() -> str:
    base = f"{random.randrange(10**10, 10**11):011d}"
    return base + str(my_number_check_digit(base))


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def _resident(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post(URL, headers=_headers(REGISTRAR), json={
        "family_name": "番号", "given_name": "花子", "family_name_kana": "バンゴウ",
        "given_name_kana": "ハナコ", "birth_date": "1990-02-14", "sex": "female",
        "postal_code": "9558686", "address": "新潟県三条市旭町二丁目3番1号",
        "confirm_not_duplicate": True})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _set(client: httpx.AsyncClient, resident: dict[str, Any], number: str,
               scopes: str) -> httpx.Response:
    return await client.post(
        f"{URL}/{resident['id']}/my-number",
        json={"my_number": number, "effective_date": date.today().isoformat()},
        headers={**_headers(scopes), "If-Match": f'W/"{resident["version"]}"'})


def _without_instance(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    body.pop("instance", None)
    body.pop("trace_id", None)  # every request's own
    return body


async def test_a_clerk_without_mynumber_read_is_not_told_the_number_is_taken(
    client: httpx.AsyncClient,
) -> None:
    holder, other = await _resident(client), await _resident(client)
    number = _valid_number()
    assert (await _set(client, holder, number, REGISTRAR)).status_code == 200

    taken = await _set(client, other, number, CLERK)
    assert taken.status_code == 422, taken.text
    assert taken.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in taken.json()["invalid_params"]] == ["my_number"]
    assert "another" not in taken.text and "registered" not in taken.text
    mistyped = number[:-1] + str((int(number[-1]) + 1) % 10)
    wrong = await _set(client, other, mistyped, CLERK)
    # The same answer as a mistyped number: nothing tells the two apart.
    assert _without_instance(taken) == _without_instance(wrong)
    after = await client.get(f"{URL}/{other['id']}", headers=_headers(REGISTRAR))
    assert after.json()["version"] == other["version"]  # nothing changed


async def test_the_registrar_with_mynumber_read_is_told_it_is_a_duplicate(
    client: httpx.AsyncClient,
) -> None:
    holder, other = await _resident(client), await _resident(client)
    number = _valid_number()
    assert (await _set(client, holder, number, REGISTRAR)).status_code == 200
    duplicate = await _set(client, other, number, REGISTRAR)
    assert duplicate.status_code == 409, duplicate.text
    assert "another resident" in duplicate.json()["detail"]
