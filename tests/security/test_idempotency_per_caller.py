"""An Idempotency-Key belongs to its caller: another clerk of the same town who sends the same
key has their own request processed and never receives the first clerk's answer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from integration.certificates_kit import certificates_app, feed, registered, state
from integration.conftest import SANJO, certificates_db
from integration.factories import resident_json
from integration.residents_client import residents_app

from kyodo_common.auth import Principal
from kyodo_testing import Infrastructure, TokenMinter

pytestmark = pytest.mark.integration
__all__ = ["certificates_db"]  # the fixture, imported for the tests below


def _as(subject: str, scopes: str, key: str) -> dict[str, str]:
    token = TokenMinter.shared().token(SANJO, scopes, subject=subject)
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key,
            "X-Kyodo-Purpose": "identity-check"}


@pytest.fixture(scope="module")
async def residents(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                    ) -> AsyncIterator[httpx.AsyncClient]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield client


@pytest.fixture(scope="module")
async def certificates(infrastructure: Infrastructure,
                       tmp_path_factory: pytest.TempPathFactory
                       ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield client


async def test_another_clerks_same_key_is_another_registration(
    residents: httpx.AsyncClient,
) -> None:
    key, url, body = uuid.uuid4().hex, f"/v1/municipalities/{SANJO}/residents", resident_json()
    scopes = "residents:read residents:write"
    first = await residents.post(url, json=body, headers=_as("clerk-a", scopes, key))
    assert first.status_code == 201, first.text
    again = await residents.post(url, json=body, headers=_as("clerk-a", scopes, key))
    assert again.json()["id"] == first.json()["id"]  # the first clerk's retry: replayed
    other = await residents.post(url, json=body, headers=_as("clerk-b", scopes, key))
    assert other.status_code == 201, other.text
    assert other.json()["id"] != first.json()["id"]  # processed anew, not clerk-a's answer
    assert other.headers["cache-control"] == "no-store"


async def test_another_clerks_same_key_never_receives_the_first_clerks_certificate(
    certificates: httpx.AsyncClient, certificates_db: Any,
) -> None:
    person = state(given="冪等", kana=("サンジョウ", "ベキトウ"))
    await feed(certificates_db, SANJO, registered(SANJO, person))
    key, url = uuid.uuid4().hex, f"/v1/municipalities/{SANJO}/certificates/residence"
    body = {"resident_id": str(person.resident_id), "terminal": "本庁1",
            "printer": "プリンタ001"}
    scopes = "certificates:issue residents:read"
    first = await certificates.post(url, json=body, headers=_as("clerk-a", scopes, key))
    assert first.status_code == 201, first.text
    again = await certificates.post(url, json=body, headers=_as("clerk-a", scopes, key))
    assert again.json()["issuance_id"] == first.json()["issuance_id"]
    other = await certificates.post(url, json=body, headers=_as("clerk-b", scopes, key))
    assert other.status_code == 201, other.text
    assert other.json()["issuance_id"] != first.json()["issuance_id"]
    first_ids = {c["certificate_id"] for c in first.json()["copies"]}
    assert not first_ids & {c["certificate_id"] for c in other.json()["copies"]}


def test_a_caller_is_its_home_municipality_and_subject() -> None:
    from kyodo_common.idempotency import caller_of

    def principal(subject: str, home: str) -> Principal:
        return Principal(subject=subject, home_municipality=home, kind="staff",
                         roles=frozenset(), scopes=frozenset(), expires_at=0.0, token_id="t")

    # The same staff id at two towns (a partner acting under a grant) is two callers.
    assert caller_of(principal("s-1", "152048")) != caller_of(principal("s-1", "152021"))
    assert caller_of(principal("s-1", "152048")) != caller_of(principal("s-2", "152048"))
