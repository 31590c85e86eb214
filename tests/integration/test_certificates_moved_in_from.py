"""住民票の写し after a move-in (DOMAIN.md §5): 転入前住所 from the register's events, and a
person whose 転出 is announced for a later day is still certified as a resident."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
from kyodo_residents_events import ResidentMovedIn, ResidentMovedOut

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .certificates_kit import Counter, certificates_app, feed, flat, pdf_pages, registered, state
from .conftest import SANJO

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_the_address_before_the_move_in_is_printed_as_tennyu_mae_jusho(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(given="転入", kana=("サンジョウ", "テンニュウ"), birth=date(1981, 8, 8)
                   ).model_copy(update={"moved_in_from": "東京都千代田区千代田1番1号"})
    await feed(certificates_db, SANJO, registered(SANJO, person, event=ResidentMovedIn))
    _, pdf = await Counter(client, SANJO).issued_pdf("residence", {
        "resident_id": str(person.resident_id)})
    text = flat(pdf_pages(pdf)[0])
    assert "転入前住所東京都千代田区千代田1番1号" in text
    assert "異動前住所" not in text


async def test_a_resident_whose_move_out_is_announced_is_still_certified(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    leaving = state(given="予定", kana=("サンジョウ", "ヨテイ"), status="announced",
                    left_on=today_in_japan() + timedelta(days=10))
    await feed(certificates_db, SANJO, registered(SANJO, leaving, event=ResidentMovedOut))
    issued = await Counter(client, SANJO).issue("residence", {
        "resident_id": str(leaving.resident_id)})
    assert issued.status_code == 201, issued.text
