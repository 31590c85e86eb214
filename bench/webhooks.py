"""Partners' webhooks (issue #20): a receiver's outage, throughput, latency and isolation.

Set-up, not measured: the whole platform started by the launcher (bench._platform), whose
webhooks worker delivers with its default settings; subscriptions made by Nagaoka's admin
through the gateway (active at once) to loopback receivers in this process
(kyodo_launcher.webhook_receiver; the platform runs in development, where loopback callbacks
are allowed). Events are the register's ResidentMovedOut, each about another resident, handed
to the webhooks fan-out in Nagaoka's transaction of the webhooks database (as its consumer
does after reading them from the broker): "commit" below is that transaction's commit, and a
notification's latency is the receiver's clock at arrival minus the event's time (set just
before the commit), so the residents service, its relay and the broker are not in it.

* **outage**: 50 events/s; the receiver is down (connection refused) for 300 s (quick: 30 s)
  from the 10th second. Counted: notifications lost (events without one), delivered twice
  (arrivals minus distinct webhook-ids; a receiver deduplicating by webhook-id counts each
  once), and how long after the receiver is back the last one arrives.
* **throughput**: the subscription paused, 20,000 events (quick: 5,000) queued, resumed: the
  deliveries per second of the drain. Then **latency**: 200 events/s for 30 s (quick: 10 s),
  p50/p99 from the event's commit to the receiver's answer.
* **isolation**: five subscriptions with fast receivers, 30 events/s (150 deliveries/s), p99
  of their latency in rounds of 15 s (quick: 10 s) without and with a sixth subscription
  whose receiver answers after 10 s, interleaved four times (quick: twice; after a warm-up
  round, not measured): between rounds the slow one is paused or resumed.

``KYODO_BENCH_WEBHOOKS_PARTS=isolation`` runs only the parts named (outage, throughput,
isolation); ``KYODO_BENCH_WEBHOOKS_OUTAGE=60`` shortens the outage.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from kyodo_residents_events import ResidentMovedOut, ResidentState
from rich.console import Console
from rich.table import Table

from bench._platform import RunningPlatform, running_platform
from bench._report import distribution, write_results
from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_launcher.webhook_receiver import Receiver
from kyodo_webhooks.service_layer.fan_out import when_events_notify
from kyodo_webhooks.service_layer.unit_of_work import WebhooksInboxUnitOfWork

NAME = "webhooks"
NAGAOKA = "152021"
MOVED_OUT = ResidentMovedOut.event_type
console = Console()


def _event(n: int) -> ResidentMovedOut:
    person = ResidentState(
        resident_id=uuid.uuid4(), platform_person_id=uuid.uuid4(),
        resident_number=f"{n:010d}", version=1, status="moved_out", family_name="長岡",
        given_name="転出", family_name_kana="ナガオカ", given_name_kana="テンシュツ",
        birth_date=date(1980, 1, 1), sex="female", nationality="JP", household_id=None,
        household_number=None, relationship="世帯主", postal_code="9408501",
        address="新潟県長岡市大手通1丁目1番")
    return ResidentMovedOut(municipality_code=NAGAOKA, effective_date=date.today(),
                            reason="転出", residents=(person,), subject_id=person.resident_id)


class Source:
    """Commits events to the webhooks fan-out and remembers when each was made."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.count = 0

    async def publish(self, count: int) -> None:
        events = [_event(self.count + i) for i in range(count)]
        self.count += count
        now = datetime.now(UTC)
        pairs = [(e, Envelope(type=MOVED_OUT, source="kyodo/residents", subject=e.subject,
                              municipality=NAGAOKA, data=b"{}", time=now)) for e in events]
        async with self.db.tenant_transaction(NAGAOKA) as session:
            await when_events_notify(WebhooksInboxUnitOfWork(session), pairs)

    async def stream(self, per_second: float, seconds: float, batch: int = 5) -> None:
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < seconds:
            due = int((time.monotonic() - started) * per_second) - sent
            if due > 0:
                n = min(due, batch * 4)
                await self.publish(n)
                sent += n
            await asyncio.sleep(batch / per_second / 2)


def latencies(receiver: Receiver) -> list[float]:
    """Milliseconds from each event's time to its first arrival."""
    out = []
    seen: set[str] = set()
    for headers, body, _arrived in receiver.received:
        if headers["webhook-id"] in seen:
            continue
        seen.add(headers["webhook-id"])
        event_time = datetime.fromisoformat(json.loads(body)["time"]).timestamp()
        out.append((float(headers["x-arrived-at"]) - event_time) * 1000)
    return out


class Bench:
    def __init__(self, platform: RunningPlatform, http: httpx.AsyncClient, admin: str,
                 source: Source) -> None:
        self.platform, self.http, self.admin, self.source = platform, http, admin, source
        self.base = f"/v1/municipalities/{NAGAOKA}/webhooks/subscriptions"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin}", "Idempotency-Key": uuid.uuid4().hex}

    async def subscribe(self, receiver: Receiver) -> str:
        created = await self.http.post(self.base, headers=self.headers(), json={
            "callback_url": receiver.url, "event_types": [MOVED_OUT]})
        created.raise_for_status()
        sid: str = created.json()["id"]
        return sid

    async def act(self, sid: str, what: str) -> None:
        (await self.http.post(f"{self.base}/{sid}/{what}", headers=self.headers())
         ).raise_for_status()

    async def end(self, sid: str) -> None:
        (await self.http.delete(f"{self.base}/{sid}", headers=self.headers())
         ).raise_for_status()


def stamped() -> Receiver:
    """A receiver that notes its wall clock at arrival (for latency from the event's time)."""
    receiver = Receiver()

    def answer(headers: dict[str, str], body: bytes) -> int:
        headers["x-arrived-at"] = repr(time.time())
        return 200

    receiver.answer = answer
    return receiver


async def until_all(receivers: list[Receiver], expected: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(len({h["webhook-id"] for h, _, _ in r.received}) >= expected
               for r in receivers):
            return True
        await asyncio.sleep(0.2)
    return False


async def outage(bench: Bench, seconds: float) -> dict[str, Any]:
    receiver = stamped()
    await receiver.up()
    sid = await bench.subscribe(receiver)
    before = bench.source.count
    back = 0.0

    async def saboteur() -> None:
        nonlocal back
        await asyncio.sleep(10)
        await receiver.down()
        await asyncio.sleep(seconds)
        await receiver.up()
        back = time.monotonic()

    await asyncio.gather(bench.source.stream(50, seconds + 20), saboteur())
    events = bench.source.count - before
    await until_all([receiver], events, 120 + seconds)
    ids = [h["webhook-id"] for h, _, _ in receiver.received]
    last = max(t for _, _, t in receiver.received)
    await bench.end(sid)
    await receiver.down()
    return {"events": events, "outage_seconds": seconds, "lost": events - len(set(ids)),
            "delivered_twice": len(ids) - len(set(ids)),
            "last_after_return_seconds": last - back}


async def throughput(bench: Bench, count: int, seconds: float) -> dict[str, Any]:
    receiver = stamped()
    await receiver.up()
    sid = await bench.subscribe(receiver)
    await bench.act(sid, "pause")
    for _ in range(count // 500):
        await bench.source.publish(500)
    started = time.monotonic()
    await bench.act(sid, "resume")
    await until_all([receiver], count, 600)
    drained = max(t for _, _, t in receiver.received) - started
    receiver.received.clear()
    before = bench.source.count
    await bench.source.stream(200, seconds)
    await until_all([receiver], bench.source.count - before, 120)
    lat = distribution(latencies(receiver))
    await bench.end(sid)
    await receiver.down()
    return {"backlog": count, "drain_seconds": drained,
            "deliveries_per_second": count / drained, "latency_ms_at_200_per_s": lat}


async def isolation(bench: Bench, seconds: float, rounds: int) -> dict[str, Any]:
    """Rounds without and with the slow receiver, interleaved (A B A B …), so the machine's
    swings fall on both sides alike: between rounds the slow subscription is paused (its
    backlog waits) or resumed (its messages wait 10 s each at its receiver)."""
    fast = [stamped() for _ in range(5)]
    for r in fast:
        await r.up()
    sids = [await bench.subscribe(r) for r in fast]

    async def measure() -> list[float]:
        for r in fast:
            r.received.clear()
        before = bench.source.count
        await bench.source.stream(30, seconds)
        await until_all(fast, bench.source.count - before, 120)
        return [ms for r in fast for ms in latencies(r)]

    slow = Receiver()

    async def sleepy(headers: dict[str, str], body: bytes) -> int:
        await asyncio.sleep(10)
        return 200

    slow.answer = sleepy
    await slow.up()
    slow_sid = await bench.subscribe(slow)
    await measure()  # warm-up: every subscription's first connections, not measured
    alone: list[float] = []
    with_slow: list[float] = []
    per_round: list[dict[str, float]] = []
    for _ in range(rounds):
        await bench.act(slow_sid, "pause")
        a = await measure()
        await bench.act(slow_sid, "resume")
        b = await measure()
        alone += a
        with_slow += b
        per_round.append({"alone_p99": distribution(a)["p99"],
                          "with_slow_p99": distribution(b)["p99"]})
    for sid in [*sids, slow_sid]:
        await bench.end(sid)
    for r in [*fast, slow]:
        await r.down()
    a_all, b_all = distribution(alone), distribution(with_slow)
    return {"fast_subscriptions": 5, "rounds": rounds, "round_seconds": seconds,
            "alone_ms": a_all, "with_a_10s_receiver_ms": b_all, "per_round": per_round,
            "p99_increase_percent": (b_all["p99"] / a_all["p99"] - 1) * 100,
            "slow_receiver_answered": len(slow.received)}


async def run(platform: RunningPlatform, quick: bool) -> dict[str, Any]:
    db = Database(platform.database("webhooks"), pool_size=4)
    try:
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=60) as http:
            token = (await http.post("/v1/auth/token", data={
                "grant_type": "password", "municipality_code": NAGAOKA, "username": "admin",
                "password": "kyodo-admin"})).json()["access_token"]
            bench = Bench(platform, http, token, Source(db))
            figures: dict[str, Any] = {}
            parts = os.environ.get("KYODO_BENCH_WEBHOOKS_PARTS",
                                   "outage,throughput,isolation").split(",")
            outage_seconds = float(os.environ.get("KYODO_BENCH_WEBHOOKS_OUTAGE",
                                                  30 if quick else 300))
            if "outage" in parts:
                console.print(f"outage of {outage_seconds:g} s at 50 events/s …")
                figures["outage"] = await outage(bench, outage_seconds)
                console.print(figures["outage"])
            if "throughput" in parts:
                console.print("throughput and latency …")
                figures["throughput"] = await throughput(bench, 5000 if quick else 20_000,
                                                         10 if quick else 30)
                console.print(figures["throughput"])
            if "isolation" in parts:
                console.print("isolation from a slow receiver …")
                figures["isolation"] = await isolation(bench, 10 if quick else 15,
                                                       2 if quick else 4)
                console.print(figures["isolation"])
            return figures
    finally:
        await db.dispose()


def main(quick: bool = False) -> None:
    with running_platform() as platform:
        figures = asyncio.run(run(platform, quick))
    table = Table(title="webhooks")
    table.add_column("figure")
    table.add_column("value", justify="right")
    if "outage" in figures:
        o = figures["outage"]
        table.add_row(f"outage {o['outage_seconds']:g} s: events", f"{o['events']:,}")
        table.add_row("lost / delivered twice", f"{o['lost']} / {o['delivered_twice']}")
        table.add_row("last arrival after the receiver is back",
                      f"{o['last_after_return_seconds']:.1f} s")
    if "throughput" in figures:
        t = figures["throughput"]
        table.add_row("drain of the backlog", f"{t['deliveries_per_second']:,.0f} deliveries/s")
        lat = t["latency_ms_at_200_per_s"]
        table.add_row("commit → 2xx at 200/s p50 / p99",
                      f"{lat['p50']:.0f} / {lat['p99']:.0f} ms")
    if "isolation" in figures:
        i = figures["isolation"]
        table.add_row("others' p99 alone / with a 10 s receiver",
                      f"{i['alone_ms']['p99']:.0f} / {i['with_a_10s_receiver_ms']['p99']:.0f} "
                      f"ms ({i['p99_increase_percent']:+.0f} %)")
    console.print(table)
    console.print(f"results: {write_results(NAME, figures)}")
