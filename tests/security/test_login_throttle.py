"""The login throttle, the bounded hashing pool and the gateway's signed client address,
without I/O (the integration tests in test_login_protection.py drive them through identity)."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from kyodo_common.assertion import (
    Acting,
    AssertionVerifier,
    GatewayKeys,
    load_public_keys,
    sign_assertion,
    sign_client_address,
    sign_service_token,
    verify_client_address,
    verify_service_token,
)
from kyodo_common.auth import Principal
from kyodo_common.errors import Problem
from kyodo_identity.domain.throttle import LoginThrottle, ThrottleRules, TooManyAttempts, login_key
from kyodo_identity.service_layer import passwords
from kyodo_identity.service_layer.passwords import HashingBusy, PasswordHashing
from kyodo_identity.settings import IdentitySettings
from kyodo_testing import PlatformKeys

LOGIN = login_key("152048", "tanaka")
OTHER = login_key("152048", "suzuki")


def test_the_promised_defaults() -> None:
    rules = IdentitySettings().throttle_rules
    assert [rules.delay_after(n) for n in range(1, 11)] == [
        0, 0, 0, 1, 2, 4, 8, 16, 30, 30]
    assert (rules.source_burst, rules.source_per_minute) == (30, 30)
    assert rules.forget_after == 900


def _admit(throttle: LoginThrottle, now: float, login: bytes = LOGIN,
           source: str = "192.0.2.1") -> float:
    """0 when admitted, else the Retry-After the caller would be told."""
    try:
        throttle.admit(source, login, now)
    except TooManyAttempts as wait:
        return wait.retry_after
    return 0.0


def test_each_failure_past_the_free_ones_doubles_the_wait_up_to_the_cap() -> None:
    throttle = LoginThrottle(ThrottleRules(free_failures=3, first_delay=1, max_delay=30))
    now = 1000.0
    for _ in range(4):  # three free failures, and the attempt after them
        assert _admit(throttle, now) == 0
    waits = []
    for _ in range(7):
        wait = _admit(throttle, now)
        waits.append(wait)
        now += wait
        assert _admit(throttle, now) == 0
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    # Another login is not delayed by this one's failures.
    assert _admit(throttle, now, OTHER) == 0


def test_concurrent_attempts_are_counted_when_admitted_not_when_checked() -> None:
    throttle = LoginThrottle(ThrottleRules(free_failures=3))
    admitted = [_admit(throttle, 5.0) for _ in range(32)]  # none has finished yet
    assert admitted.count(0) == 4
    assert all(w == 1 for w in admitted[4:])


def test_a_success_forgets_the_failures_and_a_busy_attempt_does_not_count() -> None:
    throttle = LoginThrottle(ThrottleRules(free_failures=1, first_delay=10))
    throttle.admit("a", LOGIN, 0.0)
    busy = throttle.admit("a", LOGIN, 0.0)
    throttle.abandoned(busy, 0.0)  # the hashing pool was full: the password was never checked
    ok = throttle.admit("a", LOGIN, 0.0)
    assert _admit(throttle, 0.0) == 10
    throttle.succeeded(ok)
    assert _admit(throttle, 0.0) == 0


def test_failures_are_forgotten_after_a_quiet_spell() -> None:
    throttle = LoginThrottle(ThrottleRules(free_failures=0, first_delay=5, forget_after=60))
    throttle.admit("a", LOGIN, 0.0)
    throttle.admit("a", LOGIN, 5.0)  # the second failure: 10 s to wait
    assert _admit(throttle, 14.0) == pytest.approx(1.0)
    # 60 s after the wait ended the count starts over: the first failure's 5 s, not 20 s.
    throttle.admit("a", LOGIN, 75.0)
    assert _admit(throttle, 75.0) == 5


def test_each_address_has_a_budget_of_attempts_and_successes_give_theirs_back() -> None:
    throttle = LoginThrottle(ThrottleRules(source_burst=3, source_per_minute=6))
    attempts = [throttle.admit("192.0.2.1", login_key("152048", f"u{i}"), 0.0)
                for i in range(3)]
    assert _admit(throttle, 0.0, login_key("152048", "u9")) == pytest.approx(10.0)
    assert _admit(throttle, 0.0, source="192.0.2.2") == 0  # another address
    throttle.succeeded(attempts[0])  # an office's successful logins cost nothing
    assert _admit(throttle, 0.0, login_key("152048", "u9")) == 0
    assert _admit(throttle, 10.0, login_key("152048", "u10")) == 0  # refilled: 6 a minute


async def test_the_hashing_pool_refuses_beyond_workers_and_queue_and_spares_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()

    def slow_verify(password_hash: str | None, password: str) -> bool:
        release.wait(10)
        return False

    monkeypatch.setattr(passwords, "verify_password", slow_verify)
    pool = PasswordHashing(workers=1, queue=1)
    try:
        running = [asyncio.create_task(pool.verify(None, "x")) for _ in range(2)]
        await asyncio.sleep(0.05)
        with pytest.raises(HashingBusy):
            await pool.verify(None, "x")
        # The event loop is free meanwhile: the hash runs on the pool's thread.
        started = time.monotonic()
        await asyncio.sleep(0.01)
        assert time.monotonic() - started < 0.5
        release.set()
        assert await asyncio.gather(*running) == [False, False]
        await asyncio.sleep(0.01)  # the places are given back from the worker thread
        assert pool.admitted == 0
    finally:
        release.set()
        pool.close()


async def test_a_cancelled_caller_keeps_its_place_until_its_hash_is_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: release.wait(10))
    pool = PasswordHashing(workers=1, queue=0)
    try:
        task = asyncio.create_task(pool.verify(None, "x"))
        await asyncio.sleep(0.05)
        task.cancel()
        await asyncio.sleep(0.05)
        with pytest.raises(HashingBusy):  # the thread is still hashing
            await pool.verify(None, "x")
        release.set()
        await asyncio.sleep(0.05)
        assert pool.admitted == 0
    finally:
        release.set()
        pool.close()


def _public(keys: PlatformKeys) -> GatewayKeys:
    return GatewayKeys(load_public_keys(keys.values["gateway_assertion_public_keys"]))


def test_the_client_address_is_believed_only_when_the_gateway_signed_it() -> None:
    gateway, another = PlatformKeys(), PlatformKeys()
    signed = sign_client_address(gateway.signer, "203.0.113.7", time.time())
    assert verify_client_address(_public(gateway), signed) == "203.0.113.7"
    assert verify_client_address(_public(another), signed) is None  # another key pair
    assert verify_client_address(_public(gateway), "203.0.113.7") is None  # a bare header
    expired = sign_client_address(gateway.signer, "203.0.113.7", time.time() - 120)
    assert verify_client_address(_public(gateway), expired) is None


def test_an_address_token_is_no_assertion_or_service_token_and_neither_is_an_address() -> None:
    """One key pair signs all three; each has its own audience, so none passes for another."""
    gateway = PlatformKeys()
    keys = _public(gateway)
    address = sign_client_address(gateway.signer, "203.0.113.7", time.time())
    with pytest.raises(Problem):
        AssertionVerifier(keys).verify(address)
    with pytest.raises(Problem):
        verify_service_token(keys, address)
    principal = Principal(subject="s", home_municipality="152048", kind="staff",
                          roles=frozenset(), scopes=frozenset({"residents:read"}),
                          expires_at=time.time() + 60, token_id="t")
    assertion = sign_assertion(gateway.signer, Acting(
        principal=principal, municipality="152048", scopes=principal.scopes, grant_id=None,
        expires_at=time.time() + 60))
    assert verify_client_address(keys, assertion) is None
    assert verify_client_address(keys, sign_service_token(gateway.signer, "gateway")) is None


def test_an_attempt_is_suspect_once_its_login_or_its_address_has_failed() -> None:
    throttle = LoginThrottle(ThrottleRules(free_failures=3, source_burst=30))
    assert not throttle.admit("192.0.2.1", LOGIN, 0.0).suspect
    assert throttle.admit("192.0.2.1", LOGIN, 0.0).suspect  # the first one failed
    throttle.admit("192.0.2.1", login_key("152048", "a"), 0.0)
    throttle.admit("192.0.2.1", login_key("152048", "b"), 0.0)
    # Four failures outstanding from this address: a fresh login from it is suspect too.
    assert throttle.admit("192.0.2.1", login_key("152048", "c"), 0.0).suspect
    assert not throttle.admit("192.0.2.2", login_key("152048", "d"), 0.0).suspect


class _Held:
    """verify_password stand-in: each password's verification waits for its own release."""

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.started: list[str] = []

    def __call__(self, password_hash: str | None, password: str) -> bool:
        self.started.append(password)
        self.gates.setdefault(password, threading.Event()).wait(10)
        return False

    def release(self, password: str) -> None:
        self.gates.setdefault(password, threading.Event()).set()

    def release_all(self) -> None:
        for password in ("s1", "s2", "c1", "c2", "c3"):
            self.release(password)


async def test_suspect_hashes_leave_a_worker_free_and_wait_behind_clean_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = _Held()
    monkeypatch.setattr(passwords, "verify_password", held)
    pool = PasswordHashing(workers=2, queue=2)
    flood = pool.for_attempt(suspect=True)
    try:
        tasks = [asyncio.create_task(flood.verify(None, p)) for p in ("s1", "s2")]
        await asyncio.sleep(0.05)
        assert held.started == ["s1"]  # the second worker is kept for clean logins
        tasks.append(asyncio.create_task(pool.verify(None, "c1")))
        await asyncio.sleep(0.05)
        assert held.started == ["s1", "c1"]
        tasks.append(asyncio.create_task(pool.verify(None, "c2")))  # every worker busy
        await asyncio.sleep(0.05)
        held.release("s1")
        await asyncio.sleep(0.05)
        # The clean login that came after the suspect one is served first.
        assert held.started == ["s1", "c1", "c2"]
        held.release("c1")
        await asyncio.sleep(0.05)
        assert held.started == ["s1", "c1", "c2", "s2"]
        held.release_all()
        await asyncio.gather(*tasks)
        await asyncio.sleep(0.05)
        assert pool.admitted == 0
    finally:
        held.release_all()
        pool.close()


async def test_suspect_hashes_run_at_the_lowest_cpu_priority(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def priority(password_hash: str | None, password: str) -> bool:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return False

    monkeypatch.setattr(passwords, "verify_password", priority)
    pool = PasswordHashing(workers=2, queue=0)
    try:
        await pool.verify(None, "clean")
        await pool.for_attempt(suspect=True).verify(None, "suspect")
    finally:
        pool.close()
    assert seen == [os.getpriority(os.PRIO_PROCESS, 0), 19]
