"""Settings refuse development secrets in production; tokens are verified locally."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from kyodo_common.auth import TokenVerifier, bearer_token
from kyodo_common.errors import Problem
from kyodo_common.settings import ServiceSettings


def test_the_common_settings_hold_no_secret_only_the_gateways_public_keys() -> None:
    """Every service reads ServiceSettings: a secret there would be shared by all of them."""
    fields = ServiceSettings.model_fields
    assert "internal_secret" not in fields
    # The one exception is a credential each process is given its own of: its Kafka user's
    # password (tests/contract/test_deploy.py: one KafkaUser per worker, none shared).
    assert [name for name, f in fields.items() if f.annotation is not None
            and "SecretStr" in str(f.annotation)] == ["kafka_sasl_password"]
    assert ServiceSettings().gateway_assertion_public_keys == ""


def _keypair(kid: str) -> tuple[Ed25519PrivateKey, dict[str, object]]:
    import json

    private = Ed25519PrivateKey.generate()
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "alg": "EdDSA", "use": "sig"})
    return private, jwk


def _token(private: Ed25519PrivateKey, kid: str, **claims: object) -> str:
    now = int(time.time())
    payload = {"sub": "u1", "municipality": "152048", "scope": "residents:read",
               "iss": "iss", "aud": "kyodo", "iat": now, "exp": now + 60, **claims}
    return jwt.encode(payload, private, algorithm="EdDSA", headers={"kid": kid})


async def test_a_valid_token_gives_the_principal_and_is_cached() -> None:
    private, jwk = _keypair("k1")
    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9/jwks", issuer="iss", audience="kyodo")
    verifier.set_keys({"keys": [jwk]})
    token = _token(private, "k1")
    principal = await verifier.verify(token)
    assert principal.home_municipality == "152048"
    assert principal.has_scope("residents:read") and not principal.has_scope("tax:read")
    assert await verifier.verify(token) is principal


@pytest.mark.parametrize("claims", [{"exp": int(time.time()) - 5}, {"aud": "other"},
                                    {"iss": "forged"}])
async def test_expired_or_foreign_tokens_are_refused(claims: dict[str, object]) -> None:
    private, jwk = _keypair("k1")
    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9/jwks", issuer="iss", audience="kyodo")
    verifier.set_keys({"keys": [jwk]})
    with pytest.raises(Problem) as refused:
        await verifier.verify(_token(private, "k1", **claims))
    assert refused.value.status == 401


async def test_a_token_signed_by_another_key_with_a_known_kid_is_refused() -> None:
    _, jwk = _keypair("k1")
    forger, _ = _keypair("k1")
    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9/jwks", issuer="iss", audience="kyodo")
    verifier.set_keys({"keys": [jwk]})
    with pytest.raises(Problem):
        await verifier.verify(_token(forger, "k1"))


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer "])
def test_a_missing_bearer_token_is_a_401(header: str | None) -> None:
    with pytest.raises(Problem) as refused:
        bearer_token(header)
    assert refused.value.status == 401


async def test_a_signed_token_without_a_municipality_is_a_401_not_a_crash() -> None:
    import jwt as pyjwt

    private, jwk = _keypair("k1")
    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9/jwks", issuer="iss", audience="kyodo")
    verifier.set_keys({"keys": [jwk]})
    now = int(time.time())
    token = pyjwt.encode({"sub": "u1", "iss": "iss", "aud": "kyodo", "iat": now,
                          "exp": now + 60}, private, algorithm="EdDSA", headers={"kid": "k1"})
    with pytest.raises(Problem) as refused:
        await verifier.verify(token)
    assert refused.value.status == 401


def test_service_tokens_verify_only_with_the_gateways_public_key() -> None:
    from kyodo_common.assertion import (
        AssertionSigner,
        GatewayKeys,
        load_private_key,
        load_public_keys,
        new_gateway_key,
        sign_service_token,
        verify_service_token,
    )

    private, public = new_gateway_key()
    other_private, _ = new_gateway_key()
    keys = GatewayKeys(load_public_keys(public))
    token = sign_service_token(AssertionSigner(load_private_key(private)), "gateway")
    assert verify_service_token(keys, token) == "gateway"
    with pytest.raises(Problem):
        verify_service_token(keys, sign_service_token(
            AssertionSigner(load_private_key(other_private)), "gateway"))


def test_field_cipher_round_trips_binds_to_the_row_and_hashes_without_revealing() -> None:
    from cryptography.exceptions import InvalidTag

    from kyodo_common.crypto import FieldCipher

    cipher = FieldCipher("platform-secret", "my_number")
    sealed = cipher.encrypt("123456789018", bound_to="resident-1")
    assert b"123456789018" not in sealed
    assert cipher.decrypt(sealed, bound_to="resident-1") == "123456789018"
    with pytest.raises(InvalidTag):
        cipher.decrypt(sealed, bound_to="resident-2")  # a ciphertext moved to another row
    assert cipher.lookup_hash("123456789018") == cipher.lookup_hash("123456789018")
    assert cipher.lookup_hash("123456789018") != FieldCipher("other", "my_number").lookup_hash(
        "123456789018")


def test_a_field_cipher_with_a_new_key_in_front_still_opens_what_the_old_one_sealed() -> None:
    from cryptography.exceptions import InvalidTag

    from kyodo_common.crypto import FieldCipher

    old, rotating, new = (FieldCipher(["old"], "my_number"),
                          FieldCipher(["new", "old"], "my_number"),
                          FieldCipher(["new"], "my_number"))
    sealed = old.encrypt("123456789018", bound_to="r1")
    assert rotating.decrypt_with_index(sealed, bound_to="r1") == ("123456789018", 1)
    resealed = rotating.encrypt("123456789018", bound_to="r1")
    assert new.decrypt(resealed, bound_to="r1") == "123456789018"
    with pytest.raises(InvalidTag):
        new.decrypt(sealed, bound_to="r1")
    assert rotating.lookup_hash("123456789018") == new.lookup_hash("123456789018")
    assert old.lookup_hash("123456789018") in rotating.lookup_hashes("123456789018")


async def test_a_consumers_fetch_wait_comes_from_its_settings_and_reaches_the_kafka_client(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kyodo_common.events.inbox import InboxConsumer
    from kyodo_common.events.kafka import make_consumer

    assert ServiceSettings().consumer_fetch_max_wait_ms == 10  # latency first by default
    monkeypatch.setenv("KYODO_CONSUMER_FETCH_MAX_WAIT_MS", "250")
    assert ServiceSettings().consumer_fetch_max_wait_ms == 250
    monkeypatch.setenv("KYODO_CONSUMER_FETCH_MAX_WAIT_MS", "0")
    with pytest.raises(ValidationError):
        ServiceSettings()
    consumer = make_consumer("127.0.0.1:1", "group", "topic", fetch_max_wait_ms=250)
    assert consumer._fetch_max_wait_ms == 250
    inbox = InboxConsumer(name="n", db=None, bootstrap_servers="127.0.0.1:1",  # type: ignore[arg-type]
                          subscriptions=[], dead_letters=None,
                          fetch_max_wait_ms=100)
    assert inbox._fetch_max_wait_ms == 100



class _ScriptedConsumer:
    """Stands for the Kafka consumer: hands out the scripted fetches (setting ``done`` after
    the last), notes each commit as the number of fetches handed out by then."""

    def __init__(self, fetches: list[dict[str, list[object]]], done: Any) -> None:
        self.fetches, self.done, self.handed = fetches, done, 0
        self.commits: list[int] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def getmany(self, **_: object) -> dict[str, list[object]]:
        batch = self.fetches[self.handed]
        self.handed += 1
        if self.handed == len(self.fetches):
            self.done.set()
        return batch

    async def commit(self) -> None:
        self.commits.append(self.handed)


@pytest.mark.parametrize(("interval_ms", "expected"), [
    (60_000, [3, 5]),  # when a fetch comes back empty, and when stopping
    (0, [1, 2, 4, 5]),  # after every fetch that brought events
])
async def test_a_consumer_commits_its_offsets_at_most_every_interval_while_events_flow(
        monkeypatch: pytest.MonkeyPatch, interval_ms: int, expected: list[int]) -> None:
    import asyncio

    from kyodo_common.events import inbox as inbox_module

    monkeypatch.setenv("KYODO_CONSUMER_COMMIT_INTERVAL_MS", "250")
    assert ServiceSettings().consumer_commit_interval_ms == 250
    stop = asyncio.Event()
    events = {"tp": ["event"]}
    scripted = _ScriptedConsumer([events, events, {}, events, events], stop)
    monkeypatch.setattr(inbox_module, "make_consumer", lambda *_, **__: scripted)
    consumer = inbox_module.InboxConsumer(
        name="n", db=None, bootstrap_servers="127.0.0.1:1",  # type: ignore[arg-type]
        subscriptions=[], dead_letters=None, commit_interval_ms=interval_ms)
    handled: list[int] = []

    async def handle_batch(messages: list[object]) -> None:
        handled.append(len(messages))

    monkeypatch.setattr(consumer, "handle_batch", handle_batch)
    await consumer.run(stop)
    assert handled == [1, 1, 1, 1]
    assert scripted.commits == expected


def test_a_started_process_freezes_what_it_loaded_and_collects_less_often() -> None:
    import gc

    from kyodo_common.runtime import GC_THRESHOLDS, settle_garbage_collector

    before = gc.get_threshold()
    try:
        settle_garbage_collector()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert GC_THRESHOLDS[0] > before[0]
        assert gc.get_freeze_count() > 10_000  # the modules, the framework: out of the scans
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


async def test_a_workers_own_loops_get_its_stop_event_and_at_most_a_bound_to_finish(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from kyodo_common import worker

    async def relay_and_consumer_until_sigterm(_settings: object, ended: asyncio.Event,
                                               *_: object) -> None:
        await asyncio.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)  # the worker's handler sets its stop event
        await ended.wait()  # which ends this session too

    class _Provider:
        def shutdown(self) -> None: ...

    monkeypatch.setattr(worker, "_run", relay_and_consumer_until_sigterm)
    monkeypatch.setattr(worker, "setup_logging", lambda *_: None)
    monkeypatch.setattr(worker, "setup_tracing", lambda *_, **__: _Provider())
    monkeypatch.setattr(worker, "ALSO_RUN_STOP_SECONDS", 0.2)
    seen: list[str] = []

    async def job_queue(stop: asyncio.Event) -> None:
        await stop.wait()
        seen.append("job queue stopped")

    async def stubborn(stop: asyncio.Event) -> None:
        try:
            await asyncio.sleep(60)  # ignores the stop event
        except asyncio.CancelledError:
            seen.append("stubborn cancelled")
            raise

    settings = ServiceSettings()
    started = time.monotonic()
    await worker.run_worker(settings, also_run=[job_queue, stubborn])
    assert sorted(seen) == ["job queue stopped", "stubborn cancelled"]
    assert time.monotonic() - started < 5
