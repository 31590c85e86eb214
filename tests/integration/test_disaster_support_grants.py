"""対口支援: a Nagaoka clerk surveys Sanjo houses under a support grant, and Sanjo's audit
trail shows each act with the Nagaoka actor, their home municipality and the grant."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from kyodo_common.audit import seal
from kyodo_common.db import Database, asyncpg_dsn
from kyodo_testing import Infrastructure

from .conftest import MITSUKE, NAGAOKA, SANJO
from .disaster_kit import Clerk, assertion, disaster_app, feed, resident, unique_block

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_a_nagaoka_clerks_acts_for_sanjo_are_in_sanjos_audit_trail(
    client: httpx.AsyncClient, disaster_db: Database, infrastructure: Infrastructure,
) -> None:
    grant_id = f"grant-{uuid.uuid4().hex[:8]}"
    nagaoka_clerk = f"nagaoka-clerk-{uuid.uuid4().hex[:6]}"
    address = f"新潟県三条市旭町二丁目{unique_block()}番1号"
    occupant = resident(address=address, household_id=uuid.uuid4())
    await feed(disaster_db, SANJO, occupant)
    disaster = await Clerk(client, SANJO).declare()

    helper = Clerk(client, SANJO, subject=nagaoka_clerk, home=NAGAOKA, grant_id=grant_id)
    house = await helper.house(disaster["id"], address)
    surveyed = await helper.survey(house, "47.5")
    assert surveyed.status_code == 201, surveyed.text
    survey = surveyed.json()["surveys"][0]
    assert (survey["surveyor"], survey["surveyor_home"], survey["grant_id"]) == (
        nagaoka_clerk, NAGAOKA, grant_id)
    found = await helper.post(f"/disasters/{disaster['id']}/occupants/search",
                              {"address": address, "postal_code": "955-8686"})
    assert [p["resident_id"] for p in found.json()["items"]] == [str(occupant.resident_id)]
    assert found.json()["next"] is None
    outside = await helper.post(f"/disasters/{disaster['id']}/occupants/search",
                                {"address": "新潟県三条市本町1番1号", "postal_code": "955-0071"})
    assert outside.status_code == 422, "the lent lookup stops at the affected area"

    auditor = Clerk(client, SANJO, scopes="audit:read", subject="sanjo-auditor")
    trail = await auditor.get("/audit", grant_id=grant_id)
    assert trail.status_code == 200, trail.text
    entries = trail.json()["items"]
    assert [e["action"] for e in entries] == ["house.registered", "house.assessed",
                                              "occupants.searched"]
    for entry in entries:
        assert (entry["actor"], entry["actor_home"], entry["acting_municipality"]) == (
            nagaoka_clerk, NAGAOKA, SANJO)
    assert entries[1]["subject_id"] == house["id"]
    assert entries[2]["purpose"] == "disaster-response"
    by_home = (await auditor.get("/audit", actor_home=NAGAOKA, actor=nagaoka_clerk)).json()
    assert len(by_home["items"]) == 3

    nagaoka_auditor = Clerk(client, NAGAOKA, scopes="audit:read")
    theirs = (await nagaoka_auditor.get("/audit", grant_id=grant_id)).json()
    assert theirs["items"] == [], "the acts belong to Sanjo's trail, not Nagaoka's"
    assert (await helper.get("/audit")).status_code == 403, "a grant never lends audit:read"

    relay = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("disaster")[
        "RELAY_DATABASE_URL"]))
    try:
        await seal(relay)
    finally:
        await relay.close()
    verified = (await auditor.get("/audit/verification")).json()
    assert verified["valid"] and verified["entries"] >= 3
    sealed = (await auditor.get("/audit", grant_id=grant_id)).json()["items"]
    assert all(e["sealed"] for e in sealed)


@pytest.mark.parametrize("case", ["own-token-elsewhere", "assertion-for-mitsuke", "forged",
                                  "read-only-grant"])
async def test_a_nagaoka_clerk_cannot_act_for_sanjo_without_a_grant_that_covers_it(
    client: httpx.AsyncClient, case: str,
) -> None:
    disaster = await Clerk(client, SANJO).declare()
    url = f"/v1/municipalities/{SANJO}/disaster/disasters/{disaster['id']}/houses"
    body = {"postal_code": "955-8686", "address": f"新潟県三条市元町{unique_block()}番地"}
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    if case == "own-token-elsewhere":
        headers.update(Clerk(client, NAGAOKA).headers)
    elif case == "assertion-for-mitsuke":
        headers["X-Kyodo-Assertion"] = assertion(
            subject="n", home=NAGAOKA, acting=MITSUKE, scopes="disaster:write", grant_id="g")
    elif case == "forged":
        headers["X-Kyodo-Assertion"] = assertion(
            subject="n", home=NAGAOKA, acting=SANJO, scopes="disaster:write",
            grant_id="g")[:-4] + "AAAA"
    else:
        headers["X-Kyodo-Assertion"] = assertion(
            subject="n", home=NAGAOKA, acting=SANJO, scopes="disaster:read", grant_id="g")
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code == (401 if case == "forged" else 403), response.text
    assert response.headers["content-type"] == "application/problem+json"
