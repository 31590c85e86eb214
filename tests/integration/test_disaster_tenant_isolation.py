"""Row-level security in the disaster database: each municipality sees its own ledger only,
and the survey history cannot be rewritten by the service itself."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from kyodo_common.db import Database
from kyodo_testing import Infrastructure, every_item

from .conftest import NAGAOKA, SANJO
from .disaster_kit import Clerk, disaster_app, feed, resident, unique_block

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_one_municipality_never_sees_or_changes_anothers_ledger(
    client: httpx.AsyncClient, disaster_db: Database,
) -> None:
    address = f"新潟県三条市元町{unique_block()}番地"
    await feed(disaster_db, SANJO, resident(address=address))
    sanjo = Clerk(client, SANJO)
    disaster = await sanjo.declare()
    house = await sanjo.house(disaster["id"], address)
    assert (await sanjo.survey(house, "20")).status_code == 201

    nagaoka = Clerk(client, NAGAOKA)
    assert (await nagaoka.get(f"/disasters/{disaster['id']}")).status_code == 404
    assert (await nagaoka.get(f"/houses/{house['id']}")).status_code == 404
    listed = await every_item(nagaoka.client, nagaoka.url("/disasters"), headers=nagaoka.headers)
    assert disaster["id"] not in [d["id"] for d in listed]

    async with disaster_db.tenant_transaction(NAGAOKA) as session:
        for table in ("disasters", "houses", "surveys", "residents", "access_log"):
            seen = set((await session.execute(
                sa.text(f"SELECT DISTINCT municipality_code FROM {table}"))).scalars())  # noqa: S608
            assert SANJO not in seen, table
        updated = await session.execute(sa.text(
            "UPDATE houses SET grade = 'total' WHERE id = :id"), {"id": house["id"]})
        assert updated.rowcount == 0  # type: ignore[attr-defined]
    async with disaster_db.platform_transaction() as session:
        assert (await session.execute(sa.text("SELECT count(*) FROM houses"))).scalar_one() == 0


async def test_the_survey_history_is_append_only_for_the_service(
    client: httpx.AsyncClient, disaster_db: Database,
) -> None:
    sanjo = Clerk(client, SANJO)
    disaster = await sanjo.declare()
    house = await sanjo.house(disaster["id"], f"新潟県三条市元町{unique_block()}番地")
    assert (await sanjo.survey(house, "20")).status_code == 201
    for statement in ("UPDATE surveys SET grade = 'total' WHERE house_id = :id",
                      "DELETE FROM surveys WHERE house_id = :id"):
        with pytest.raises(DBAPIError, match="permission denied"):
            async with disaster_db.tenant_transaction(SANJO) as session:
                await session.execute(sa.text(statement), {"id": house["id"]})


async def test_writing_a_row_for_another_municipality_is_refused(disaster_db: Database) -> None:
    with pytest.raises(DBAPIError, match="row-level security"):
        async with disaster_db.tenant_transaction(SANJO) as session:
            await session.execute(sa.text(
                "INSERT INTO disasters (id, municipality_code, name, kind, occurred_on, "
                "affected_area, application_opens_on, application_closes_on, declared_by, "
                "declared_by_home, version) VALUES (:id, :code, 'x', 'flood', current_date, "
                "'{x}', current_date, current_date + 30, 'x', :code, 1)"),
                {"id": uuid.uuid4(), "code": NAGAOKA})
