"""Login abuse through identity's token endpoint (issue #17, finding 7): every refusal is the
same answer after the same work, a delay is the same for logins that exist and those that do
not, the throttle is checked before any hash, per client address as the gateway vouches for
it, and a full hashing pool answers 503 instead of queueing without bound."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from integration.identity_harness import (
    PROBLEM,
    Identity,
    post_headers,
    random_code,
    running_identity,
)

from kyodo_common.assertion import CLIENT_ADDRESS_HEADER, sign_client_address
from kyodo_identity.service_layer import passwords
from kyodo_testing import Infrastructure, PlatformKeys

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

DELAY_SECONDS = 30.0
# Per response, not per answer: when it was sent and which trace it belongs to.
# Different for every request, whatever was asked: the trace id (in the body too) and the date.
VOLATILE_HEADERS = {"date", "traceparent", "x-kyodo-trace-id", "x-request-id", "server"}


class SpyHasher:
    """argon2's PasswordHasher, recording each verification's parameters and password."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[str, str]] = []

    def verify(self, password_hash: str, password: str) -> bool:
        self.calls.append((password_hash.rsplit("$", 2)[0], password))
        result: bool = self.real.verify(password_hash, password)
        return result


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[SpyHasher]:
    spy = SpyHasher(passwords.hasher)
    monkeypatch.setattr(passwords, "hasher", spy)
    yield spy


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    # One free failure, then a long delay; the per-address budget is out of the way here.
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var"),
                                login_free_failures=1, login_first_delay_seconds=DELAY_SECONDS,
                                login_max_delay_seconds=DELAY_SECONDS,
                                login_source_burst=1000) as app:
        yield app


@pytest.fixture(scope="module")
async def town(identity: Identity) -> str:
    """A municipality with an active member ("present") and a disabled one ("gone")."""
    code = await identity.municipality(await identity.operator())
    admin = await identity.admin(code)
    await identity.staff(code, admin, "present", "kaunta-aikotoba-1", ["counter_clerk"])
    gone = await identity.staff(code, admin, "gone", "taishoku-aikotoba-1", ["counter_clerk"])
    disabled = await identity.http.post(
        f"/v1/municipalities/{code}/identity/staff/{gone['id']}/disable",
        headers=post_headers(admin))
    assert disabled.status_code == 200, disabled.text
    return code


async def _login(http: httpx.AsyncClient, code: str, login: str, password: str,
                 headers: dict[str, str] | None = None) -> httpx.Response:
    return await http.post("/v1/auth/token", headers=headers, data={
        "grant_type": "password", "municipality_code": code, "username": login,
        "password": password})


def _answer(response: httpx.Response) -> tuple[int, bytes, dict[str, str]]:
    headers = {k: v for k, v in response.headers.items() if k not in VOLATILE_HEADERS}
    content = response.content
    if response.headers.get("content-type") == "application/problem+json":
        body = response.json()
        body.pop("trace_id", None)
        content = json.dumps(body, sort_keys=True).encode()
        headers.pop("content-length", None)
    return response.status_code, content, headers


def _refusals(town: str, suffix: str) -> dict[str, tuple[str, str, str]]:
    """Each kind of refused login: (municipality, login, password); a login once per test."""
    unregistered = random_code()
    return {
        "wrong password": (town, "present", f"not-the-password-{suffix}"),
        "unknown login": (town, f"absent-{suffix}", f"not-the-password-{suffix}"),
        "disabled account, right password": (town, "gone", "taishoku-aikotoba-1"),
        "unknown municipality": (unregistered, "present", f"not-the-password-{suffix}"),
    }


async def test_every_refused_login_gets_the_same_answer(identity: Identity,
                                                        town: str) -> None:
    answers = {kind: _answer(await _login(identity.http, *attempt))
               for kind, attempt in _refusals(town, "a").items()}
    first = answers["wrong password"]
    assert first[0] == 401
    assert first[2]["content-type"] == PROBLEM
    for kind, answer in answers.items():
        assert answer == first, kind


async def test_an_unknown_login_is_hashed_exactly_as_a_known_one(
    identity: Identity, town: str, spy: SpyHasher,
) -> None:
    calls = {}
    for kind, (code, login, password) in _refusals(town, "b").items():
        spy.calls.clear()
        response = await _login(identity.http, code, login, password)
        assert response.status_code == 401
        calls[kind] = spy.calls[:]
    known = calls["wrong password"]
    assert len(known) == 1 and known[0][0].startswith("$argon2id$")
    for kind, made in calls.items():
        # One verification with the same argon2 parameters (hence the same cost) each time.
        assert [params for params, _ in made] == [known[0][0]], kind
    assert calls["unknown login"][0][1] == "not-the-password-b"


async def test_a_delayed_login_is_answered_alike_whether_it_exists_and_is_never_hashed(
    identity: Identity, town: str, spy: SpyHasher,
) -> None:
    admin = await identity.admin(town)
    await identity.staff(town, admin, "target", "hyouteki-aikotoba-1", ["counter_clerk"])
    for _ in range(2):  # the free failure, then the one that starts the delay
        for login in ("target", "phantom"):
            assert (await _login(identity.http, town, login, "wrong-guess")).status_code == 401
    spy.calls.clear()
    known = await _login(identity.http, town, "target", "hyouteki-aikotoba-1")
    unknown = await _login(identity.http, town, "phantom", "hyouteki-aikotoba-1")
    assert known.status_code == 429
    assert spy.calls == []  # refused before any hashing
    # The same answer; Retry-After counts down from each login's own last failure (seconds
    # apart on a loaded machine, where a hash takes a while).
    waits = [int(r.headers.pop("retry-after")) for r in (known, unknown)]
    assert all(DELAY_SECONDS - 15 <= w <= DELAY_SECONDS for w in waits), waits
    assert _answer(known) == _answer(unknown)


@pytest.fixture(scope="module")
async def frugal(infrastructure: Infrastructure,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    """Three failed attempts per address; each login may fail freely."""
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var"),
                                login_free_failures=100, login_source_burst=3,
                                login_source_per_minute=0.01) as app:
        yield app


async def test_each_client_address_has_a_budget_as_the_gateway_vouches_for_it(
    frugal: Identity, town: str, spy: SpyHasher,
) -> None:
    signer = PlatformKeys.shared().signer  # the gateway's key: identity has its public half
    from_gateway = {CLIENT_ADDRESS_HEADER: sign_client_address(signer, "203.0.113.7",
                                                               time.time())}
    forged = {CLIENT_ADDRESS_HEADER: "203.0.113.8"}
    for i in range(3):  # the TCP peer, 127.0.0.1, uses up its budget on three logins
        assert (await _login(frugal.http, town, f"guess-{i}", "wrong")).status_code == 401
    spy.calls.clear()
    spent = await _login(frugal.http, town, "present", "kaunta-aikotoba-1")
    assert spent.status_code == 429
    assert spent.headers["content-type"] == PROBLEM
    assert int(spent.headers["retry-after"]) >= 1
    # A bare header is anyone's to send: it counts against the TCP peer.
    assert (await _login(frugal.http, town, "present", "kaunta-aikotoba-1",
                         forged)).status_code == 429
    assert spy.calls == []
    # The address the gateway signed has a budget of its own.
    assert (await _login(frugal.http, town, "present", "kaunta-aikotoba-1",
                         from_gateway)).status_code == 200


@pytest.fixture(scope="module")
async def one_hash(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var"),
                                password_hash_workers=1, password_hash_queue=0) as app:
        yield app


async def test_a_full_hashing_pool_answers_503_with_retry_after(
    one_hash: Identity, town: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    real = passwords.verify_password

    def held(password_hash: str | None, password: str) -> bool:
        release.wait(10)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", held)
    try:
        first = asyncio.create_task(_login(one_hash.http, town, "present", "wrong-1"))
        async with asyncio.timeout(5):
            while one_hash.app.state.password_hashing.admitted == 0:
                await asyncio.sleep(0.01)
        busy = await _login(one_hash.http, town, "present", "kaunta-aikotoba-1")
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "1"
        assert busy.headers["content-type"] == PROBLEM
    finally:
        release.set()
    assert (await first).status_code == 401
    # Once the pool is free the same login succeeds: the busy attempt did not count.
    assert (await _login(one_hash.http, town, "present", "kaunta-aikotoba-1")).status_code \
        == 200
