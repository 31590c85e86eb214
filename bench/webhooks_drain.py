"""Webhooks' delivery engine alone, the current one and a reference side by side in one run:
deliveries per second and CPU per delivery draining a backlog to one local receiver, and
p50/p99 from the commit to the receiver's 2xx at 200 events/s.

Set-up, not measured: PostgreSQL and the broker as the integration tests start them (migrated),
the webhooks API in process to subscribe, a receiver (kyodo_launcher.webhook_receiver) in a
child process of its own so that its CPU is not counted as the sender's. The reference is the
delivery engine (dispatcher and sender) of a git revision (``KYODO_BENCH_WEBHOOKS_REFERENCE``,
default the commit before this benchmark existed), read with ``git show`` and run against the
same database; both engines are run alternately, ``KYODO_BENCH_WEBHOOKS_ROUNDS`` times
(quick: 1), each draining a backlog of 5,000 messages (quick: 2,000) queued while its
subscription was paused.

Counted per drain: wall time from the resume to the last arrival, and the CPU seconds of this
process (the engine; the API and the queueing are outside the window) and of PostgreSQL (its
backends) in that window, divided by the messages delivered. ``KYODO_BENCH_WEBHOOKS_PROFILE=1``
adds a cProfile of the current engine's last drain (its top functions in the results).
"""

from __future__ import annotations

import asyncio
import cProfile
import importlib.util
import io
import json
import multiprocessing
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench._cpu import cpu_seconds, used_between
from bench._report import across_runs, distribution, write_results
from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_launcher import broker, postgres
from kyodo_launcher.catalogue import all_roles
from kyodo_testing import Infrastructure, _provision, free_port
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.service_layer.fan_out import when_events_notify
from kyodo_webhooks.service_layer.unit_of_work import WebhooksInboxUnitOfWork
from tests.integration.webhooks_kit import admin, key, moved_out, settings, state, webhooks_api

NAME = "webhooks_drain"
CODE = "152021"
MOVED_OUT = "jp.kyodo.resident.moved_out.v1"
REPO = Path(__file__).resolve().parent.parent
ENGINE = "services/webhooks/src/kyodo_webhooks"
# The engine as measured in docs/webhooks.md on 7 December 2026 (479 deliveries/s).
DEFAULT_REFERENCE = "d9ce73ef0fb247369b657a27addba7f7e7c454ff"
console = Console()
Dispatch = Callable[[str, WebhooksContext, asyncio.Event], Coroutine[Any, Any, None]]


# --- the receiver, in a child process --------------------------------------------------------

def _receive(port: int, commands: Connection) -> None:
    """Answers 200 to everything; on "stats" sends (distinct webhook-ids, last arrival on
    the monotonic clock, milliseconds from each notification's time to its arrival)."""
    from kyodo_launcher.webhook_receiver import Receiver

    async def serve() -> None:
        receiver = Receiver(port=port)
        ids: set[str] = set()
        last = 0.0
        latencies: list[float] = []

        def answer(headers: dict[str, str], body: bytes) -> int:
            nonlocal last
            last = time.monotonic()
            if headers["webhook-id"] not in ids:
                ids.add(headers["webhook-id"])
                sent = datetime.fromisoformat(json.loads(body)["time"]).timestamp()
                latencies.append((time.time() - sent) * 1000)
            return 200

        receiver.answer = answer
        await receiver.up()
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, commands.recv)
            if command == "stop":
                break
            if command == "reset":
                ids.clear()
                latencies.clear()
            receiver.received.clear()  # only what is counted above is kept
            commands.send((len(ids), last, list(latencies) if command == "stats" else []))
        await receiver.down()

    asyncio.run(serve())


class ReceiverProcess:
    def __init__(self) -> None:
        self.port = free_port()
        self.pipe, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("spawn").Process(
            target=_receive, args=(self.port, child), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def ask(self, command: str) -> tuple[int, float, list[float]]:
        self.pipe.send(command)
        answer: tuple[int, float, list[float]] = self.pipe.recv()
        return answer

    async def until(self, count: int, timeout: float) -> tuple[int, float, list[float]]:
        deadline = time.monotonic() + timeout
        while True:
            seen = await asyncio.to_thread(self.ask, "count")
            if seen[0] >= count or time.monotonic() > deadline:
                return await asyncio.to_thread(self.ask, "stats")
            await asyncio.sleep(0.05)


# --- the engines -------------------------------------------------------------------------------

def _module(name: str, source: str) -> types.ModuleType:
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def reference_engine(revision: str) -> Dispatch:
    """The dispatcher of ``revision`` with that revision's sender (the rest of the service,
    its database included, is today's)."""
    def show(path: str) -> str:
        return subprocess.run(["git", "show", f"{revision}:{ENGINE}/{path}"], cwd=REPO,
                              check=True, capture_output=True, text=True).stdout

    _module("kyodo_webhooks_reference_sender", show("adapters/sender.py"))
    source = show("service_layer/dispatcher.py").replace(
        "from kyodo_webhooks.adapters import sender",
        "import kyodo_webhooks_reference_sender as sender")
    module = _module("kyodo_webhooks_reference_dispatcher", source)
    run: Dispatch = module.run_dispatcher
    return run


def current_engine() -> Dispatch:
    from kyodo_webhooks.service_layer.dispatcher import run_dispatcher
    run: Dispatch = run_dispatcher
    return run


# --- one platform for both ---------------------------------------------------------------------

@asynccontextmanager
async def infrastructure(root: Path) -> Any:
    password = secrets.token_urlsafe(16)
    pg_port, broker_port = free_port(), free_port()
    postgres.init_cluster(root / "pg", password)
    pg = postgres.server(root / "pg", pg_port, root / "postgres.log")
    kafka = broker.broker(broker_port, root / "broker.log")
    pg.start()
    kafka.start()
    infra = Infrastructure(
        admin_url=f"postgresql://postgres:{password}@127.0.0.1:{pg_port}/postgres",
        passwords={role: secrets.token_urlsafe(16) for role in all_roles()},
        bootstrap_servers=f"127.0.0.1:{broker_port}", broker=kafka, postgres=pg)
    try:
        await _provision(infra)
        yield infra
    finally:
        kafka.stop()
        pg.stop()


class Drain:
    def __init__(self, infra: Infrastructure, var_dir: Path, receiver: ReceiverProcess) -> None:
        self.config = settings(infra, var_dir, poll_seconds=0.2)
        self.context = WebhooksContext.from_settings(self.config)
        self.db = Database(self.config.database_url, pool_size=4)
        self.receiver = receiver
        assert infra.postgres.pid is not None
        self.pg_pid = infra.postgres.pid

    async def queue(self, count: int, batch: int = 500) -> None:
        for start in range(0, count, batch):
            events = [moved_out(CODE, state()) for _ in range(min(batch, count - start))]
            now = datetime.now(UTC)
            pairs = [(e, Envelope(type=MOVED_OUT, source="kyodo/residents", subject=e.subject,
                                  municipality=CODE, data=b"{}", time=now)) for e in events]
            async with self.db.tenant_transaction(CODE) as session:
                await when_events_notify(WebhooksInboxUnitOfWork(session), pairs)

    async def subscription(self, api: Any) -> str:
        base = f"/v1/municipalities/{CODE}/webhooks/subscriptions"
        made = await api.post(base, headers={**admin(CODE), **key()},
                              json={"callback_url": self.receiver.url,
                                    "event_types": [MOVED_OUT]})
        made.raise_for_status()
        sid: str = made.json()["id"]
        return sid

    async def act(self, api: Any, sid: str, what: str) -> None:
        base = f"/v1/municipalities/{CODE}/webhooks/subscriptions/{sid}"
        if what == "end":
            (await api.delete(base, headers={**admin(CODE), **key()})).raise_for_status()
        else:
            (await api.post(f"{base}/{what}", headers={**admin(CODE), **key()})
             ).raise_for_status()

    async def run(self, engine: Dispatch, count: int, latency_seconds: float,
                  profile: cProfile.Profile | None) -> dict[str, Any]:
        async with webhooks_api(self.config) as api:
            sid = await self.subscription(api)
            await self.act(api, sid, "pause")
            await self.queue(count)
            await asyncio.to_thread(self.receiver.ask, "reset")
            stop = asyncio.Event()
            task = asyncio.create_task(engine(self.config.database_url, self.context, stop))
            await asyncio.sleep(1.0)  # the engine's start (pools, listener), not measured
            # This process's CPU counts its children's: the receiver's is taken out of it.
            assert self.receiver.process.pid is not None
            roots = {"engine": os.getpid(), "receiver": self.receiver.process.pid,
                     "postgres": self.pg_pid}
            cpu_before, started = cpu_seconds(roots), time.monotonic()
            if profile is not None:
                profile.enable()
            await self.act(api, sid, "resume")
            seen, last, _ = await self.receiver.until(count, 600)
            if profile is not None:
                profile.disable()
            used = used_between(cpu_before, cpu_seconds(roots))
            drain = last - started
            # Then a steady 200 events/s: latency from the commit to the receiver's answer.
            await asyncio.to_thread(self.receiver.ask, "reset")
            sent = 0
            began = time.monotonic()
            while time.monotonic() - began < latency_seconds:
                due = int((time.monotonic() - began) * 200) - sent
                if due > 0:
                    await self.queue(due)
                    sent += due
                await asyncio.sleep(0.0125)
            arrived, _, latencies = await self.receiver.until(sent, 120)
            stop.set()
            await asyncio.wait_for(task, 60)
            await self.act(api, sid, "end")
        return {
            "backlog": count, "delivered": seen, "drain_seconds": drain,
            "deliveries_per_second": seen / drain,
            "cpu_ms_per_delivery": {
                "engine": (used["engine"] - used["receiver"]) * 1000 / seen,
                "receiver": used["receiver"] * 1000 / seen,
                "postgres": used["postgres"] * 1000 / seen},
            "latency_ms_at_200_per_s": distribution(latencies),
            "latency_lost": sent - arrived,
        }


def _top(profile: cProfile.Profile, deliveries: int, limit: int = 40) -> list[str]:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    lines = [f"profiled CPU: {total * 1e6 / deliveries:.0f} µs per delivery (tottime sum)"]
    return lines + out.getvalue().splitlines()


async def run(quick: bool) -> dict[str, Any]:
    revision = os.environ.get("KYODO_BENCH_WEBHOOKS_REFERENCE", DEFAULT_REFERENCE)
    rounds = int(os.environ.get("KYODO_BENCH_WEBHOOKS_ROUNDS", 1 if quick else 3))
    count = 2000 if quick else 5000
    latency_seconds = 5.0 if quick else 15.0
    engines = {"reference": reference_engine(revision), "current": current_engine()}
    # CPU time, not wall time: on a shared machine the wall clock charges whatever function was
    # running when the process was preempted.
    profile = (cProfile.Profile(time.process_time)
               if os.environ.get("KYODO_BENCH_WEBHOOKS_PROFILE") else None)
    receiver = ReceiverProcess()
    receiver.process.start()
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in engines}
    try:
        with tempfile.TemporaryDirectory(prefix="kyodo-bench-webhooks-") as tmp:
            async with infrastructure(Path(tmp)) as infra:
                drain = Drain(infra, Path(tmp) / "var", receiver)
                try:
                    for n in range(rounds):
                        for name, engine in engines.items():
                            last = profile is not None and name == "current" and n == rounds - 1
                            console.print(f"round {n + 1}: {name} …")
                            figures = await drain.run(engine, count, latency_seconds,
                                                      profile if last else None)
                            console.print(figures)
                            runs[name].append(figures)
                finally:
                    await drain.db.dispose()
    finally:
        receiver.pipe.send("stop")
        receiver.process.join(10)
        if receiver.process.is_alive():
            receiver.process.kill()
    out: dict[str, Any] = {"reference": revision, "rounds": rounds, "backlog": count}
    for name, done in runs.items():
        out[name] = {
            "runs": done,
            "deliveries_per_second": across_runs(f["deliveries_per_second"] for f in done),
            "cpu_ms_per_delivery_engine": across_runs(
                f["cpu_ms_per_delivery"]["engine"] for f in done),
            "cpu_ms_per_delivery_postgres": across_runs(
                f["cpu_ms_per_delivery"]["postgres"] for f in done),
            "cpu_ms_per_delivery_receiver": across_runs(
                f["cpu_ms_per_delivery"]["receiver"] for f in done),
            "p99_ms_at_200_per_s": across_runs(
                f["latency_ms_at_200_per_s"]["p99"] for f in done),
            "p50_ms_at_200_per_s": across_runs(
                f["latency_ms_at_200_per_s"]["p50"] for f in done),
        }
    out["ratio_deliveries_per_second"] = [
        c["deliveries_per_second"] / r["deliveries_per_second"]
        for r, c in zip(runs["reference"], runs["current"], strict=True)]
    if profile is not None:
        out["profile_current"] = _top(profile, count)
    return out


def main(quick: bool = False) -> None:
    figures = asyncio.run(run(quick))
    table = Table(title="webhooks' delivery engine, reference vs current (median of rounds)")
    table.add_column("figure")
    for name in ("reference", "current"):
        table.add_column(name, justify="right")

    def row(label: str, key: str, fmt: str) -> None:
        table.add_row(label, *(format(figures[n][key]["median"], fmt)
                               for n in ("reference", "current")))

    row("drain, deliveries/s", "deliveries_per_second", ",.0f")
    row("CPU per delivery, engine (ms)", "cpu_ms_per_delivery_engine", ".2f")
    row("CPU per delivery, PostgreSQL (ms)", "cpu_ms_per_delivery_postgres", ".2f")
    row("CPU per delivery, the receiver (ms)", "cpu_ms_per_delivery_receiver", ".2f")
    row("commit → 2xx at 200/s, p50 (ms)", "p50_ms_at_200_per_s", ".0f")
    row("commit → 2xx at 200/s, p99 (ms)", "p99_ms_at_200_per_s", ".0f")
    console.print(table)
    if "profile_current" in figures:
        console.print("\n".join(figures["profile_current"][:30]))
    console.print(f"results: {write_results(NAME, figures)}")
