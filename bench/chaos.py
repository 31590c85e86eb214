"""The fault suite (`make chaos`; issue #21): a load through the gateway while one fault at a
time is injected, then a check that nothing a client was told succeeded is lost or doubled.

One platform (`kyodo up` on free loopback ports) for the whole suite. Per fault, a phase:
clerks of Nagaoka and Sanjo register residents and issue 住民票の写し (kyodo_launcher.faults:
an Idempotency-Key per request, sent again with the same key after a network error or a 5xx),
beside them a tax officer and a disaster-support clerk (kyodo_launcher.casework: salary-report
imports and assessments, re-surveys, 罹災証明書 jobs), the fault after a few seconds, the load on
for a while, then quiescence (outboxes empty, consumer lag 0, jobs done) and the count: every
2xx registration's event once in residents' outbox, once in certificates', tax's and
disaster's inboxes and as certificates' snapshot at version 1; every 2xx issuance's
certificate once; every 2xx of the casework its effect once, per event id or issuance
(casework_verdict); retried keys (and a sample of the others) asked again answer the same.

"Recover" is the time from the end of the fault (the SIGKILL itself, the SIGCONT, the re-drive)
until a registration sent then (retried as every request is) is in certificates' read model:
the register's whole path (gateway, residents API, relay, broker, certificates' consumer)
works again; a process off that path (identity, tax, …) shows ~0. "Gap" is the longest
stretch without any 2xx answer, issuances included (the certificates API's outage shows there).

Faults: SIGKILL of every API, every worker (the relays run there) and the gateway; the broker
SIGKILLed (the launcher restarts it and republishes from the outboxes) and paused (SIGSTOP) for
30 s; PostgreSQL paused (every server process SIGSTOPped) for 15 s; certificates' consumer
failing for one event (a trigger refuses its row) until it is dead-lettered, then fixed and
`kyodo events redrive`; PostgreSQL stopped (fast shutdown) and SIGKILLed, each time started
again by the launcher's supervisor. `--quick` runs the cheap subset with shorter phases;
CHAOS_ONLY=part,part runs only the faults whose names contain one of the parts.

Not in `python -m bench`'s default list (minutes of runtime): `python -m bench chaos`.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

import asyncpg
import httpx
import psutil
from rich.console import Console
from rich.table import Table

from bench._platform import RunningPlatform, running_platform
from bench._report import write_results
from kyodo_common.db import asyncpg_dsn
from kyodo_launcher.casework import Casework, casework_quiet, casework_verdict, prepare
from kyodo_launcher.faults import (
    REGISTER_TOPIC,
    TOWNS,
    Clerk,
    Ledger,
    ask_again,
    login,
    quiet,
    verdict,
)

NAME = "chaos"
CLERKS_PER_TOWN = 2
INTERVAL = 0.3  # seconds between one clerk's requests
ISSUE_EVERY = 4  # every fourth request of a clerk is a certificate
CASEWORK_INTERVAL = 2.0  # seconds between the officials' pieces of casework (three kinds)
CASES_PER_PHASE = 3  # houses to re-survey, and applications, prepared per phase
QUIET_TIMEOUT = 240.0
RECOVER_TIMEOUT = 180.0
console = Console() if sys.stdout.isatty() else Console(width=160)

Fault = Callable[[RunningPlatform], Awaitable[None]]


def kill(name: str) -> Fault:
    """SIGKILL; the fault ends there (recovery counts the supervisor's restart too). Whether
    the process came back is checked at the end of the phase."""
    async def fault(platform: RunningPlatform) -> None:
        os.kill(platform.pid(name), signal.SIGKILL)
    return fault


async def _restarted(platform: RunningPlatform, before: dict[str, int | None]) -> list[str]:
    """The processes that died during the phase and were not started again within 60 s."""
    deadline = time.monotonic() + 60
    while True:
        now = {n: p["pid"] for n, p in platform.state()["processes"].items()}
        missing = [n for n, pid in now.items()
                   if pid is None or (pid == before.get(n) and not psutil.pid_exists(pid))]
        if not missing or time.monotonic() > deadline:
            return [f"{n} not running after the phase" for n in missing]
        await asyncio.sleep(0.5)


def stop_postgres(how: signal.Signals) -> Fault:
    """PostgreSQL really stopped: the postmaster sent SIGINT (fast shutdown: clients cut off,
    a checkpoint) or SIGKILL (a crash: its backends exit when they notice, and the next
    server replays its WAL). The launcher's supervisor starts it again; the fault ends at the
    signal, so "recover" includes the restart."""
    async def fault(platform: RunningPlatform) -> None:
        os.kill(platform.pid("postgres"), how)
    return fault


def _tree(pid: int) -> list[int]:
    process = psutil.Process(pid)
    return [pid, *(c.pid for c in process.children(recursive=True))]


def pause(name: str, seconds: float) -> Fault:
    """SIGSTOP of the process and its children (PostgreSQL's backends), SIGCONT after."""
    async def fault(platform: RunningPlatform) -> None:
        pids = _tree(platform.pid(name))
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            await asyncio.sleep(seconds)
        finally:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
    return fault


_FAIL = """
CREATE TABLE IF NOT EXISTS chaos_failing (resident_id uuid PRIMARY KEY);
CREATE OR REPLACE FUNCTION chaos_fail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM chaos_failing WHERE resident_id = NEW.resident_id) THEN
    RAISE EXCEPTION 'chaos: this handler fails for this event';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER chaos_fail BEFORE INSERT OR UPDATE ON resident_snapshots
  FOR EACH ROW EXECUTE FUNCTION chaos_fail();
"""
_FIXED = ("DROP TRIGGER IF EXISTS chaos_fail ON resident_snapshots; "
          "DROP FUNCTION IF EXISTS chaos_fail(); DROP TABLE IF EXISTS chaos_failing")


async def _sql(url: str, sql: str, *args: object) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


def failing_handler(clerk: Callable[[], Clerk]) -> Fault:
    """Certificates' read-model handler fails for one registration (a trigger refuses its row)
    until the event is dead-lettered; then the fault is fixed and the dead letter re-driven."""
    async def fault(platform: RunningPlatform) -> None:
        db = platform.database("certificates")
        worker = platform.pid("certificates-worker")
        os.kill(worker, signal.SIGSTOP)  # so the event is not applied before the trigger
        try:
            await _sql(db, _FAIL)
            victim = await clerk().register()
            if victim is None:
                raise RuntimeError("the failing handler's registration got no 2xx")
            await _sql(db, "INSERT INTO chaos_failing VALUES ($1)", uuid.UUID(victim))
        finally:
            os.kill(worker, signal.SIGCONT)
        deadline = time.monotonic() + 120
        while not await _dead_lettered(platform):
            if time.monotonic() > deadline:
                raise RuntimeError("the failing event was not dead-lettered")
            await asyncio.sleep(0.5)
        await _sql(db, _FIXED)
        redrive = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "kyodo_launcher", "events", "redrive",
                             "--topic", REGISTER_TOPIC, "--var-dir", str(platform.var_dir)],
            capture_output=True, text=True, timeout=120, check=False)
        if redrive.returncode != 0:
            raise RuntimeError(f"redrive failed: {redrive.stderr}")
        console.print(f"  [dim]{redrive.stdout.strip()}[/]")
    return fault


async def _dead_lettered(platform: RunningPlatform) -> bool:
    url = platform.state()["processes"]["certificates-worker"].get("metrics")
    if not url:
        return False
    async with httpx.AsyncClient(timeout=5) as client:
        try:
            text = (await client.get(url)).text
        except httpx.HTTPError:
            return False
    return any(line.startswith("kyodo_consumer_dead_letters_total{")
               and 'group="certificates.read-models"' in line
               and float(line.rsplit(" ", 1)[1]) >= 1 for line in text.splitlines())


@dataclass
class Row:
    fault: str
    requests: int
    ok: int
    lost: int
    duplicated: int
    answered_differently: int
    given_up: int
    retried: int
    refused: dict[int, int]  # 4xx answers by status (not retried; no effect expected)
    gap_s: float
    recover_s: float | None
    details: list[str]
    refusals: list[str]


async def _snapshot_of(platform: RunningPlatform, resident: str) -> bool:
    conn = await asyncpg.connect(asyncpg_dsn(platform.database("certificates")), timeout=10)
    try:
        found = await conn.fetchval("SELECT 1 FROM resident_snapshots WHERE resident_id = $1",
                                    uuid.UUID(resident))
    finally:
        await conn.close()
    return found is not None


async def _recovered(platform: RunningPlatform, clerk: Clerk, since: float) -> float | None:
    """A registration made now, and the time until it is in certificates' read model."""
    resident = await clerk.register()
    deadline = time.monotonic() + RECOVER_TIMEOUT
    while resident is not None and time.monotonic() < deadline:
        try:
            if await _snapshot_of(platform, resident):
                return time.monotonic() - since
        except (OSError, asyncpg.PostgresError, TimeoutError):
            pass
        await asyncio.sleep(0.2)
    return None


async def _casework(work: Casework, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await work.one()
        try:
            await asyncio.wait_for(stop.wait(), timeout=CASEWORK_INTERVAL)
        except TimeoutError:
            pass


async def _phase(platform: RunningPlatform, client: httpx.AsyncClient, tokens: dict[str, str],
                 residents: dict[str, list[str]], casework: Casework | None, name: str,
                 make_fault: Callable[[Callable[[], Clerk]], Fault],
                 warm: float, after: float) -> Row:
    ledger = Ledger()
    clerks = {town: Clerk(town, tokens[town], client, ledger, residents[town],
                          functools.partial(login, platform.gateway, town))
              for town in TOWNS}
    fault = make_fault(lambda: clerks[next(iter(TOWNS))])
    stop = asyncio.Event()
    load = [asyncio.ensure_future(clerk.work(stop, INTERVAL, ISSUE_EVERY))
            for clerk in clerks.values() for _ in range(CLERKS_PER_TOWN)]
    if casework is not None:
        load.append(asyncio.ensure_future(_casework(casework.for_ledger(ledger), stop)))
    pids = {n: p["pid"] for n, p in platform.state()["processes"].items()}
    started = time.monotonic()
    await asyncio.sleep(warm)
    await fault(platform)
    ended = time.monotonic()
    recovery = asyncio.ensure_future(_recovered(platform, clerks[next(iter(TOWNS))], ended))
    await asyncio.sleep(after)
    stop.set()
    await asyncio.gather(*load)
    recover_s = await recovery
    state = platform.state()
    deadline = time.monotonic() + QUIET_TIMEOUT
    while True:
        try:
            if (await quiet(state["databases"], state["bootstrap_servers"])
                    and await casework_quiet(state["databases"])):
                break
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            console.print(f"  [dim]not quiet yet: {type(exc).__name__}[/]")
        if time.monotonic() > deadline:
            console.print(f"[red]{name}: not quiet after {QUIET_TIMEOUT:.0f} s[/]")
            break
        await asyncio.sleep(0.5)
    gap = ledger.longest_gap(started, time.monotonic())
    again = sorted(ledger.retried & ledger.answers.keys())
    await ask_again(clerks, ledger, again + list(ledger.registered)[:10]
                    + list(ledger.issued)[:10]
                    + [k for kind in ledger.other.values() for k in list(kind)[:3]])
    found = await verdict(ledger, state["databases"])
    cases = await casework_verdict(ledger, state["databases"])
    found.lost += cases.lost
    found.duplicated += cases.duplicated
    found.details[:0] = await _restarted(platform, pids) + cases.details
    return Row(name, found.requests, found.ok, found.lost, found.duplicated,
               found.answered_differently, found.given_up, found.retried, dict(ledger.refused),
               round(gap, 1),
               None if recover_s is None else round(recover_s, 1), found.details,
               ledger.refusals)


def _faults(platform: RunningPlatform, quick: bool
            ) -> list[tuple[str, Callable[[Callable[[], Clerk]], Fault]]]:
    def just(fault: Fault) -> Callable[[Callable[[], Clerk]], Fault]:
        return lambda _clerk: fault

    names = list(platform.state()["processes"])
    if quick:
        kills = ["residents", "residents-worker", "certificates-worker", "gateway"]
    else:
        kills = [n for n in names if n not in ("postgres", "broker")]
    faults = [(f"SIGKILL {n}", just(kill(n))) for n in kills]
    faults += [("SIGKILL broker", just(kill("broker"))),
               (f"SIGSTOP broker {10 if quick else 30} s",
                just(pause("broker", 10 if quick else 30))),
               (f"SIGSTOP postgres {5 if quick else 15} s",
                just(pause("postgres", 5 if quick else 15))),
               ("postgres fast shutdown, restarted", just(stop_postgres(signal.SIGINT))),
               ("SIGKILL postgres, restarted", just(stop_postgres(signal.SIGKILL))),
               ("certificates handler fails once", failing_handler)]
    only = [part for part in os.environ.get("CHAOS_ONLY", "").split(",") if part]
    return [f for f in faults if not only or any(part in f[0] for part in only)]


async def _setup(platform: RunningPlatform, client: httpx.AsyncClient
                 ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Tokens of each town's clerk, and residents already in certificates' read model."""
    tokens = {town: await login(platform.gateway, town) for town in TOWNS}
    residents: dict[str, list[str]] = {}
    ledger = Ledger()
    for town in TOWNS:
        clerk = Clerk(town, tokens[town], client, ledger, [])
        made = [await clerk.register() for _ in range(3)]
        residents[town] = [i for i in made if i]
    for town_residents in residents.values():
        for resident in town_residents:
            deadline = time.monotonic() + 60
            while not await _snapshot_of(platform, resident):
                if time.monotonic() > deadline:
                    raise RuntimeError("setup: residents not in certificates' read model")
                await asyncio.sleep(0.2)
    return tokens, residents


async def _suite(platform: RunningPlatform, quick: bool) -> list[Row]:
    warm, after = (3.0, 8.0) if quick else (5.0, 15.0)
    rows = []
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
        tokens, residents = await _setup(platform, client)
        faults = _faults(platform, quick)
        started = time.monotonic()
        try:
            casework: Casework | None = await prepare(client,
                                                      houses=CASES_PER_PHASE * len(faults))
            console.print(f"casework prepared in {time.monotonic() - started:.0f} s")
        except Exception as exc:  # the registrations' suite still runs; the table says so
            console.print(f"[red]casework not prepared ({type(exc).__name__}: {exc}); "
                          "registrations and certificates only[/]")
            casework = None
        for name, fault in faults:
            console.print(f"[bold]{name}[/] …")
            try:
                row = await _phase(platform, client, tokens, residents, casework, name, fault,
                                   warm, after)
            except Exception as exc:  # the suite reports it and goes on
                console.print(f"[red]{name}: {type(exc).__name__}: {exc}[/]")
                row = Row(name, 0, 0, 0, 0, 0, 0, 0, {}, 0.0, None,
                          [f"{type(exc).__name__}: {exc}"], [])
            console.print(f"  {row.ok}/{row.requests} 2xx, lost {row.lost}, duplicated "
                          f"{row.duplicated}, recover {row.recover_s} s, 4xx {row.refused}")
            for detail in row.details[:5] + row.refusals[:2]:
                console.print(f"  [red]{detail}[/]")
            rows.append(row)
    return rows


def _table(rows: list[Row]) -> Table:
    table = Table(title="Faults under load (each 2xx counted per event id / issuance id)")
    for column in ("fault", "requests", "2xx", "lost", "duplicated", "answered differently",
                   "given up", "retried keys", "longest gap s", "recover s"):
        table.add_column(column, justify="left" if column == "fault" else "right")
    for r in rows:
        table.add_row(r.fault, str(r.requests), str(r.ok), str(r.lost), str(r.duplicated),
                      str(r.answered_differently), str(r.given_up), str(r.retried),
                      f"{r.gap_s:.1f}", "–" if r.recover_s is None else f"{r.recover_s:.1f}")
    return table


def main(quick: bool = False) -> None:
    with running_platform() as platform:
        console.print(f"platform ready in {platform.startup_seconds:.0f} s")
        rows = asyncio.run(_suite(platform, quick))
    console.print(_table(rows))
    path = write_results(NAME, {"quick": quick, "clerks_per_town": CLERKS_PER_TOWN,
                                "interval_s": INTERVAL, "issue_every": ISSUE_EVERY,
                                "faults": [asdict(r) for r in rows]})
    console.print(f"written to {path}")
    bad = [r.fault for r in rows if r.lost or r.duplicated or r.answered_differently
           or r.recover_s is None or any("not running" in d for d in r.details)]
    if bad:
        raise SystemExit(f"faults with a loss, a duplicate or no recovery: {', '.join(bad)}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
