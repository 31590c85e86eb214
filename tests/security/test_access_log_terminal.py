"""Every access is logged with the terminal or client it came from (DOMAIN §3), and the chain
stays verifiable with it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from kyodo_common.audit import seal
from kyodo_common.clock import today_in_japan
from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure, TokenMinter
from tests.integration.residents_client import Clerk, residents_app
from tests.security.callers import Caller

pytestmark = pytest.mark.integration

SANJO = "152048"
# A town whose chain no other test tampers with (test_residents_procedures breaks Sanjo's).
TSUKUBA = "082201"


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                ) -> AsyncIterator[Clerk]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Clerk(client, SANJO, TokenMinter.shared())


async def test_each_read_records_the_terminal_or_the_client(clerk: Clerk) -> None:
    person = (await clerk.move_in(effective=today_in_japan().isoformat()))["residents"][0]
    path = f"/{person['resident_id']}"
    assert (await clerk.get(path, **{})).status_code == 200
    at_window = await clerk.client.get(clerk.url(path), headers={
        **clerk.headers, "X-Kyodo-Terminal": "honcho-window-3"})
    assert at_window.status_code == 200
    partner = Caller("school-system", sees=False, scopes="residents:read", kind="client")
    by_client = await clerk.client.get(clerk.url(path), headers={
        **partner.headers(SANJO), "X-Kyodo-Terminal": "batch-7"})
    assert by_client.status_code == 200
    log = (await clerk.get(f"{path}/access-log")).json()["items"]
    reads = [(e["actor"], e["terminal"]) for e in log if e["action"] == "read"]
    assert reads == [("test-clerk", None), ("test-clerk", "honcho-window-3"),
                     ("school-system", "client:school-system/batch-7")]


@pytest.mark.parametrize("terminal", ["窓口1", "x" * 65, "two words", ""])
async def test_a_terminal_that_is_no_short_ascii_name_is_refused(clerk: Clerk,
                                                                 terminal: str) -> None:
    response = await clerk.client.post(
        clerk.url("/search"), json={"kana_prefix": "ア"},
        headers={**clerk.headers, "Idempotency-Key": uuid.uuid4().hex,
                 "X-Kyodo-Terminal": terminal.encode()})  # type: ignore[dict-item]
    assert response.status_code == 422, response.text
    assert [p["name"] for p in response.json()["invalid_params"]] == ["X-Kyodo-Terminal"]


async def test_the_chain_verifies_with_terminals_recorded(clerk: Clerk,
                                                          infrastructure: Infrastructure) -> None:
    clerk = Clerk(clerk.client, TSUKUBA, TokenMinter.shared())
    person = (await clerk.move_in(effective=today_in_japan().isoformat()))["residents"][0]
    await clerk.client.get(clerk.url(f"/{person['resident_id']}"), headers={
        **clerk.headers, "X-Kyodo-Terminal": "shisho-2"})
    relay = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url("residents")))
    try:
        assert await seal(relay) > 0
    finally:
        await relay.close()
    auditor = {"Authorization": "Bearer " + TokenMinter.shared().token(TSUKUBA, "audit:read")}
    check = await clerk.client.get(clerk.url("/access-log/verification"), headers=auditor)
    assert check.status_code == 200 and check.json()["valid"] is True, check.text
