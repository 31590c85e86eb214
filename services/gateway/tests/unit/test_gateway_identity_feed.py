"""How the gateway follows identity: a change answers the long-poll and is applied at once;
an answer saying nothing changed keeps the grants confirmed; a failing snapshot read is
retried with a pause, not in a tight loop. The backstop poll is made too slow to matter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from gateway_kit import (
    HOME,
    OTHER,
    Echo,
    Identity,
    bearer,
    make_token,
    running_gateway,
    serve_aiohttp,
)

from kyodo_gateway.app import Gateway

pytestmark = pytest.mark.timeout(60)
WINDOW = 1.0  # seconds without a confirmation before grants are refused
GRANT_PATH = f"/v1/municipalities/{OTHER}/residents/r-1"


@pytest.fixture
async def setup() -> AsyncIterator[tuple[Identity, Gateway, httpx.AsyncClient]]:
    state = Identity(push=True)
    async with serve_aiohttp(state.handle) as identity_url, \
            serve_aiohttp(Echo().handle) as upstream_url, \
            running_gateway(identity_url, upstream_url, KYODO_GRANTS_POLL_SECONDS=60.0,
                            KYODO_GRANTS_FAIL_CLOSED_SECONDS=WINDOW,
                            KYODO_IDENTITY_WAIT_SECONDS=0.5) as (gateway, url), \
            httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
        yield state, gateway, client


async def _status_after(client: httpx.AsyncClient, token: str, want: int,
                        limit: float) -> float:
    started = time.monotonic()
    while (await client.get(GRANT_PATH, headers=bearer(token))).status_code != want:
        assert time.monotonic() - started < limit, f"not {want} after {limit} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_a_change_is_applied_as_soon_as_identity_answers_the_long_poll(
    setup: tuple[Identity, Gateway, httpx.AsyncClient],
) -> None:
    state, gateway, client = setup
    token = make_token()
    grant = state.grant(grantor=OTHER)
    state.changed()
    assert await _status_after(client, token, 200, 1.0) < 1.0
    state.grants.remove(grant)
    state.changed()
    assert await _status_after(client, token, 403, 1.0) < 1.0
    assert gateway.poller is not None and gateway.poller.polls == 1  # the first read only


async def test_nothing_changed_keeps_the_grants_confirmed_until_identity_stops_answering(
    setup: tuple[Identity, Gateway, httpx.AsyncClient],
) -> None:
    state, _, client = setup
    token = make_token()
    state.grant(grantor=OTHER)
    state.changed()
    await _status_after(client, token, 200, 1.0)
    reads = state.snapshots
    await asyncio.sleep(WINDOW * 2)  # long-polls answered "no change", nothing re-read
    assert (await client.get(GRANT_PATH, headers=bearer(token))).status_code == 200
    assert state.snapshots == reads
    state.down = True
    await _status_after(client, token, 403, WINDOW + 2)
    assert (await client.get(f"/v1/municipalities/{HOME}/residents/r-1",
                             headers=bearer(token))).status_code == 200


async def test_without_a_listener_identity_is_read_on_every_answer(
    setup: tuple[Identity, Gateway, httpx.AsyncClient],
) -> None:
    state, _, client = setup
    state.listening = False
    token = make_token()
    state.grant(grantor=OTHER)  # no version bump: identity could not have told
    await _status_after(client, token, 200, 2.0)


async def test_a_failing_snapshot_is_retried_with_a_pause(
    setup: tuple[Identity, Gateway, httpx.AsyncClient],
) -> None:
    state, _, _ = setup
    state.snapshot_down = True
    state.changed()
    reads = state.snapshots
    await asyncio.sleep(2.0)
    # Back-off 0.2, 0.4, 0.8 s…: a handful of reads, not hundreds.
    assert state.snapshots - reads <= 6
