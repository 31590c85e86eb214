"""被災者台帳: households of the surveyed houses, with their support payment by grade."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .disaster_kit import Clerk, disaster_app, feed, resident, unique_block

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_the_ledger_joins_houses_and_households_with_their_support(
    client: httpx.AsyncClient, disaster_db: Database,
) -> None:
    destroyed = f"新潟県三条市旭町二丁目{unique_block()}番1号"
    flooded = f"新潟県三条市元町{unique_block()}番地"
    family, upstairs = uuid.uuid4(), uuid.uuid4()
    head = resident(address=destroyed, household_id=family)
    child = resident(address=destroyed, given="一郎", household_id=family, relationship="子")
    lodger = resident(address=destroyed, given="次郎", household_id=upstairs)  # 二世帯
    hidden = resident(address=flooded, given="秘匿", household_id=uuid.uuid4(), protected=True)
    await feed(disaster_db, SANJO, head, child, lodger, hidden)
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    for address, ratio in ((destroyed, "62"), (flooded, "33")):
        house = await clerk.house(disaster["id"], address)
        assert (await clerk.survey(house, ratio)).status_code == 201
    await clerk.house(disaster["id"], f"新潟県三条市元町{unique_block()}番地")  # not surveyed

    response = await clerk.get(f"/disasters/{disaster['id']}/victims", rebuilding_method="build")
    assert response.status_code == 200, response.text
    entries = response.json()["items"]
    by_head = {e["head_resident_id"]: e for e in entries}
    assert len(entries) == 3, "one entry per household of each surveyed house"

    family_entry = by_head[str(head.resident_id)]
    assert family_entry["grade"]["label"] == "全壊" and family_entry["household_size"] == 2
    assert [m["name"] for m in family_entry["members"]] == ["三条　太郎", "三条　一郎"]
    assert family_entry["support"] == {
        "eligible": True, "rebuilding_method": "build", "base": 1_000_000,
        "additional": 2_000_000, "total": 3_000_000, "unverified_rules": []}

    alone = by_head[str(lodger.resident_id)]
    assert alone["household_size"] == 1
    assert alone["support"]["total"] is None, "単数世帯 3/4 is not verified: left open"
    assert alone["support"]["unverified_rules"] == ["単数世帯の支給額"]

    protected = by_head[str(hidden.resident_id)]
    assert protected["grade"]["label"] == "中規模半壊"
    assert protected["members"][0]["name"] is None and protected["members"][0]["protected"]
    assert protected["support"]["base"] is None  # a household of one again

    undecided = await clerk.get(f"/disasters/{disaster['id']}/victims")
    assert {e["support"]["additional"] for e in undecided.json()["items"]
            if e["household_size"] > 1} == {0}
    unknown = await clerk.get(f"/disasters/{disaster['id']}/victims", rebuilding_method="x")
    assert unknown.status_code == 422


async def test_unverified_amounts_are_given_when_the_deployment_allows_them(
    infrastructure: Infrastructure, disaster_db: Database,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    address = f"新潟県三条市元町{unique_block()}番地"
    person = resident(address=address, household_id=uuid.uuid4())
    await feed(disaster_db, SANJO, person)
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var"),
                            allow_unverified_rules=True) as client:
        clerk = Clerk(client, SANJO)
        disaster = await clerk.declare()
        house = await clerk.house(disaster["id"], address)
        assert (await clerk.survey(house, "45")).status_code == 201
        entries = (await clerk.get(f"/disasters/{disaster['id']}/victims",
                                   rebuilding_method="repair")).json()["items"]
    assert entries[0]["support"]["base"] == 375_000  # 大規模半壊 500,000 × 3/4
    assert entries[0]["support"]["additional"] == 750_000  # 補修 1,000,000 × 3/4
