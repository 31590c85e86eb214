"""Deliveries: signed CloudEvents without personal data, nothing about a protected person,
in order per subject, retries with the reason of each failure in the delivery log, dead
letters, redelivery, pause and resume, a test ping, and secret rotation with overlap."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from kyodo_common.db import Database
from kyodo_launcher.webhook_receiver import Receiver
from kyodo_testing import Infrastructure
from kyodo_webhooks.settings import WebhooksSettings

from .conftest import SANJO
from .webhooks_kit import (
    MOVED_OUT,
    admin,
    dispatcher,
    key,
    moved_out,
    publish,
    settings,
    state,
    until,
    webhooks_api,
)

pytestmark = pytest.mark.integration
BASE = f"/v1/municipalities/{SANJO}/webhooks"


@pytest.fixture(scope="module")
def config(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
           ) -> WebhooksSettings:
    # Development allows loopback receivers; retries and probes fast for the test.
    return settings(infrastructure, tmp_path_factory.mktemp("var"), retry_base_seconds=0.05,
                    retry_max_seconds=0.2, probe_max_seconds=0.3, poll_seconds=0.1,
                    request_timeout_seconds=2.0, dead_letter_after_seconds=3600)


@pytest.fixture(scope="module")
async def api(config: WebhooksSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with webhooks_api(config) as client:
        yield client


@pytest.fixture(scope="module")
async def db(config: WebhooksSettings) -> AsyncIterator[Database]:
    database = Database(config.database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    await r.up()
    yield r
    await r.down()


async def subscribe(api: httpx.AsyncClient, url: str, **extra: Any) -> dict[str, Any]:
    created = await api.post(f"{BASE}/subscriptions", headers={**admin(SANJO), **key()},
                             json={"callback_url": url, "event_types": [MOVED_OUT], **extra})
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    assert body["state"] == "active"
    return body


async def log_of(api: httpx.AsyncClient, sid: str, **params: Any) -> list[dict[str, Any]]:
    page = await api.get(f"{BASE}/subscriptions/{sid}/deliveries", headers=admin(SANJO),
                         params={"limit": 200, **params})
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def test_a_notification_is_a_signed_cloudevent_that_names_the_resource_and_no_one(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    sub = await subscribe(api, receiver.url)
    person = state()
    async with dispatcher(config):
        [envelope] = await publish(db, SANJO, moved_out(SANJO, person))
        await until(lambda: receiver.received, what="the delivery")

        async def recorded() -> bool:
            return bool(await log_of(api, sub["id"], state="delivered"))

        await until(recorded, what="the delivery recorded")
    headers, body, _ = receiver.received[0]
    Webhook(sub["secret"]).verify(body, headers)
    event = json.loads(body)
    assert headers["content-type"] == "application/cloudevents+json"
    assert event == {
        "specversion": "1.0", "id": envelope.id, "type": MOVED_OUT,
        "source": f"https://kyodo.example/v1/municipalities/{SANJO}/residents",
        "subject": f"https://kyodo.example/v1/municipalities/{SANJO}/residents/"
                   f"{person.resident_id}",
        "time": envelope.time.isoformat(), "municipality": SANJO}
    text = body.decode()
    for personal in (person.family_name, person.given_name, person.address,
                     person.resident_number, str(person.platform_person_id)):
        assert personal not in text
    [logged] = await log_of(api, sub["id"])
    assert logged["state"] == "delivered" and logged["webhook_id"] == headers["webhook-id"]
    for cursor in ("9" * 40, "abc", "１２"):
        bad = await api.get(f"{BASE}/subscriptions/{sub['id']}/deliveries",
                            headers=admin(SANJO), params={"cursor": cursor})
        assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "cursor"
    assert logged["log"][0]["status"] == 200


async def test_a_protected_person_is_never_announced_to_a_partner(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    sub = await subscribe(api, receiver.url)
    hidden, shown = state(protected=True), state()
    async with dispatcher(config):
        await publish(db, SANJO, moved_out(SANJO, hidden), moved_out(SANJO, shown))
        await until(lambda: receiver.received, what="the delivery")
        await asyncio.sleep(0.5)
    subjects = [json.loads(b)["subject"] for _, b, _ in receiver.received]
    assert subjects == [f"https://kyodo.example/v1/municipalities/{SANJO}/residents/"
                        f"{shown.resident_id}"]
    assert len(await log_of(api, sub["id"])) == 1, "nothing was even queued for them"


async def test_messages_of_one_subject_arrive_in_order_through_failures(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    sub = await subscribe(api, receiver.url)
    person = state()
    answers = iter([503, 500, 200, 429, 200, 200])
    receiver.answer = lambda h, b: next(answers, 200)
    events = [moved_out(SANJO, person.model_copy(update={"version": v})) for v in (1, 2, 3)]
    async with dispatcher(config):
        envelopes = []
        for event in events:
            envelopes += await publish(db, SANJO, event)
        await until(lambda: len({h["webhook-id"] for h, _, _ in receiver.received
                                 if True}) >= 3 and receiver.received[-1:] and
                    json.loads(receiver.received[-1][1])["id"] == envelopes[-1].id,
                    what="all three")
    order = [json.loads(b)["id"] for _, b, _ in receiver.received]
    assert order == [envelopes[0].id] * 3 + [envelopes[1].id] * 2 + [envelopes[2].id]
    log = {d["event_id"]: d for d in await log_of(api, sub["id"])}
    first = log[envelopes[0].id]
    assert [a["reason"] for a in first["log"]] == ["HTTP 503", "HTTP 500", None]
    assert first["state"] == "delivered" and first["attempts"] == 3


async def test_many_messages_of_one_failing_subject_do_not_hold_up_another_subject(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    # Heads are looked for among the queue's oldest messages, three per message wanted: with
    # two wanted, eight messages of one subject fill that window, and the other subject's
    # message beyond it must still be found.
    person = state()
    receiver.answer = lambda h, b: 503 if str(person.resident_id) in b.decode() else 200
    await subscribe(api, receiver.url)
    for v in range(1, 9):
        await publish(db, SANJO, moved_out(SANJO, person.model_copy(update={"version": v})))
    [other] = await publish(db, SANJO, moved_out(SANJO, state()))
    async with dispatcher(config.model_copy(update={"in_flight_per_subscription": 2})):
        await until(lambda: any(json.loads(b)["id"] == other.id
                                for _, b, _ in receiver.received),
                    timeout=10, what="the other subject's message")
    assert all(str(person.resident_id) in b.decode() for _, b, _ in receiver.received
               if json.loads(b)["id"] != other.id)

@pytest.mark.parametrize(("answer", "reason"), [
    (302, "HTTP 302: redirects are not followed"),
    (404, "HTTP 404"),
    ("tls", "TLS failed"),
    ("private", "refused before sending: the callback's host resolves to a non-public "
                "address (127.0.0.1)"),
    (b"SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP answer"),
    ("slow", "no answer within 2 s"),
    ("down", "connection refused"),
])
async def test_each_failure_has_its_reason_in_the_delivery_log(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings, receiver: Receiver,
        answer: Any, reason: str) -> None:
    url = receiver.url
    if answer == "tls":  # an https callback answered by a plain-HTTP server
        await receiver.down()

        async def plain(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(plain, "127.0.0.1", receiver.port)
        url = url.replace("http://", "https://")
    elif answer == "private":  # a name that resolves to loopback when delivering (rebinding)
        url = url.replace("127.0.0.1", "localhost")
        config = config.model_copy(update={"allow_private_callbacks": False,
                                           "environment": "production"})
    sub = await subscribe(api, url)

    async def slow(h: Any, b: Any) -> int:
        await asyncio.sleep(5)
        return 200

    if answer == "down":
        await receiver.down()
    elif answer == "slow":
        receiver.answer = slow
    elif isinstance(answer, int | bytes):
        receiver.answer = lambda h, b: answer
    async with dispatcher(config):
        await publish(db, SANJO, moved_out(SANJO, state()))

        async def failed() -> bool:
            items = await log_of(api, sub["id"])
            return bool(items and items[0]["log"])

        await until(failed, what="a failed attempt")
    if answer == "tls":
        server.close()
    [delivery] = await log_of(api, sub["id"])
    assert delivery["state"] == "pending" and delivery["log"][0]["outcome"] == "failed"
    assert reason in delivery["log"][0]["reason"]
    shown = (await api.get(f"{BASE}/subscriptions/{sub['id']}", headers=admin(SANJO))).json()
    assert shown["health"]["consecutive_failures"] >= 1
    assert reason in shown["health"]["last_error"]


async def test_a_message_past_the_window_is_dead_lettered_and_can_be_redelivered(
        api: httpx.AsyncClient, db: Database, infrastructure: Infrastructure,
        tmp_path_factory: pytest.TempPathFactory, receiver: Receiver) -> None:
    short = settings(infrastructure, tmp_path_factory.mktemp("var"), retry_base_seconds=0.05,
                     retry_max_seconds=0.2, probe_max_seconds=0.2, poll_seconds=0.1,
                     dead_letter_after_seconds=1.0)
    sub = await subscribe(api, receiver.url)
    receiver.answer = lambda h, b: 500
    async with dispatcher(short):
        await publish(db, SANJO, moved_out(SANJO, state()))

        async def dead() -> bool:
            return bool(await log_of(api, sub["id"], state="dead"))

        await until(dead, what="the dead letter")
        [delivery] = await log_of(api, sub["id"])
        assert delivery["dead_at"] and "HTTP 500" in delivery["last_error"]
        tries = len(receiver.received)
        receiver.answer = None
        again = await api.post(
            f"{BASE}/subscriptions/{sub['id']}/deliveries/{delivery['id']}/redeliver",
            headers={**admin(SANJO), **key()})
        assert again.status_code == 202, again.text

        async def delivered() -> bool:
            return bool(await log_of(api, sub["id"], state="delivered"))

        await until(delivered, what="the redelivery")
    assert receiver.received[-1][0]["webhook-id"] == delivery["webhook_id"]
    assert len(receiver.received) == tries + 1


async def test_pause_holds_messages_in_order_and_resume_sends_them(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    sub = await subscribe(api, receiver.url)
    paused = await api.post(f"{BASE}/subscriptions/{sub['id']}/pause",
                            headers={**admin(SANJO), **key()})
    assert paused.json()["state"] == "paused"
    async with dispatcher(config):
        envelopes = await publish(db, SANJO, *(moved_out(SANJO, state()) for _ in range(3)))
        await asyncio.sleep(0.6)
        assert receiver.received == [], "nothing is sent while paused"
        resumed = await api.post(f"{BASE}/subscriptions/{sub['id']}/resume",
                                 headers={**admin(SANJO), **key()})
        assert resumed.json()["state"] == "active"
        await until(lambda: len(receiver.received) == 3, what="the queued three")
    assert sorted(json.loads(b)["id"] for _, b, _ in receiver.received) == sorted(
        e.id for e in envelopes)


async def test_a_ping_and_a_rotated_secret_that_overlaps(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    sub = await subscribe(api, receiver.url)
    rotated = await api.post(f"{BASE}/subscriptions/{sub['id']}/secret/rotate",
                             headers={**admin(SANJO), **key()}, json={"overlap_seconds": 3600})
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != sub["secret"] and rotated.json()["previous_secret_valid_until"]
    async with dispatcher(config):
        pinged = await api.post(f"{BASE}/subscriptions/{sub['id']}/ping",
                                headers={**admin(SANJO), **key()})
        assert pinged.status_code == 202, pinged.text
        await until(lambda: receiver.received, what="the ping")
    headers, body, _ = receiver.received[0]
    assert json.loads(body)["type"] == "jp.kyodo.webhooks.ping.v1"
    Webhook(new_secret).verify(body, headers)
    Webhook(sub["secret"]).verify(body, headers)  # the old one still signs in the overlap
    assert len(headers["webhook-signature"].split(" ")) == 2

    ended = await api.post(f"{BASE}/subscriptions/{sub['id']}/secret/rotate",
                           headers={**admin(SANJO), **key()}, json={"overlap_seconds": 0})
    assert ended.json()["previous_secret_valid_until"] is None


async def test_a_subscription_only_gets_the_types_and_filters_it_asked_for(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    from kyodo_residents_events import ResidentDied

    await subscribe(api, receiver.url)
    person = state()
    died = ResidentDied(municipality_code=SANJO, effective_date=moved_out(SANJO, person)
                        .effective_date, reason="死亡", residents=(person,),
                        subject_id=person.resident_id)
    async with dispatcher(config):
        await publish(db, SANJO, died)
        moved = await publish(db, SANJO, moved_out(SANJO, state()))
        await until(lambda: receiver.received, what="the move-out")
        await asyncio.sleep(0.3)
    assert [json.loads(b)["id"] for _, b, _ in receiver.received] == [moved[0].id]
    assert uuid.UUID(receiver.received[0][0]["webhook-id"])


async def test_a_slow_receiver_does_not_hold_up_another_subscription(
        api: httpx.AsyncClient, db: Database, config: WebhooksSettings,
        receiver: Receiver) -> None:
    slow = Receiver()

    async def sleepy(h: Any, b: Any) -> int:
        await asyncio.sleep(1.5)
        return 200

    slow.answer = sleepy
    await slow.up()
    try:
        await subscribe(api, slow.url)
        await subscribe(api, receiver.url)
        async with dispatcher(config):
            for _ in range(5):
                await publish(db, SANJO, moved_out(SANJO, state()))
            started = asyncio.get_running_loop().time()
            await until(lambda: len(receiver.received) == 5, what="the fast receiver's five")
            fast = asyncio.get_running_loop().time() - started
            await until(lambda: len(slow.received) >= 5, what="the slow receiver's five")
        assert fast < 1.0, f"the fast receiver waited {fast:.2f} s"
    finally:
        await slow.down()
