"""The soak (issue #21): the platform for 30 minutes at half its measured capacity, and whether
it stays the same: every process's memory after warm-up, its file descriptors, p99 per window.

One platform (`kyodo up` on free loopback ports). First the capacity: clerks of Nagaoka and
Sanjo register residents and issue 住民票の写し (kyodo_launcher.faults, every fourth request a
certificate) back to back, 8 at a time, for a minute; the 2xx answers per second are the
capacity. Then the soak: the same requests started at half that rate on a fixed schedule (an
open loop: a slow answer does not slow the load down), for ``--minutes`` (30).

Every 10 s, from the capacity phase on, each process of the platform is sampled: its resident
memory (RSS; PostgreSQL: the private memory (USS) of the postmaster and all its backends,
since their shared buffers fill up as a cache and are counted in every backend's RSS), its
open file descriptors (with its descendants') apart from its sockets, its sockets
(connections), and PostgreSQL's backends. The first window (5 minutes; a sixth of a shorter
run) is the warm-up: "after warm-up" is the median of the samples of its last minute, "end"
that of the run's last minute. Latency is the answering attempt's time of each 2xx, per window.

Promised (and checked here, exit 1 otherwise):
- every process's memory grows ≤ 10 % from after warm-up to the end; but the embedded broker,
  whose in-memory log grows with every event (Tansu 0.6's memory engine has no retention), is
  held under its bound by rotation (kyodo_launcher.recovery): its peak after the warm-up is
  within 10 % of KYODO_BROKER_MEMORY_MB, and its restarts are its rotations; and the workers,
  started again with every rotation (kyodo_launcher.broker.restart_empty), whose every later
  life peaks within 10 % of their memory after warm-up, and whose restarts are the rotations;
- no file-descriptor growth apart from connections (≤ 2 descriptors or 5 %, whichever is
  larger): files and pipes, where a leak would show;
- connections (sockets; PostgreSQL: backends) no more at the end than the most seen during
  the capacity phase and the warm-up (+ 2 or 5 %): the pools (SQLAlchemy's, httpx's) open
  connections lazily up to their high-water mark, which the capacity phase's back-to-back
  load reaches; a leak grows past it;
- PostgreSQL's descriptors: every one of its processes keeps open the relation files it has
  read or written (a cache, closed least recently used first beyond max_files_per_process,
  1,000): a backend those of its service's tables, the background writer, the checkpointer
  and the I/O workers those of every database as they flush them. Their total rises for
  tens of minutes, towards a bound: no process above max_files_per_process + FD_OVERHEAD
  (its log, pipes, signalfd…) is checked, and the backends as connections above. Measured
  per process over /proc/<pid>/fd in a 5-minute run: the background writer held 993, the
  checkpointer 833, each client backend 16–65; the second 30-minute run's 2,060 → 2,925 was
  that cache filling, not a leak;
- p99 stable: no window after the warm-up has a p99 above twice the lowest window's;
- after the load, nothing lost or doubled (the fault suite's count,
  kyodo_launcher.faults.verdict).

Not in `python -m bench`'s default list: `make soak` (MINUTES=…) or
`python -m bench soak --minutes 5`.
"""

from __future__ import annotations

import asyncio
import functools
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import psutil
from rich.console import Console
from rich.table import Table

from bench._platform import RunningPlatform, running_platform
from bench._report import distribution, write_results
from kyodo_common.db import asyncpg_dsn
from kyodo_launcher.config import LauncherSettings
from kyodo_launcher.faults import TOWNS, Clerk, Ledger, login, quiet, verdict

NAME = "soak"
MINUTES = 30.0
WINDOW_SECONDS = 300.0
SAMPLE_SECONDS = 10.0
CAPACITY_CLIENTS = 8
CAPACITY_WARM_SECONDS = 10.0
CAPACITY_SECONDS = 60.0
ISSUE_EVERY = 4
MEMORY_GROWTH_LIMIT = 0.10
FD_GROWTH = (2, 0.05)  # descriptors, connections: the larger of these more at the end
FD_OVERHEAD = 32  # a PostgreSQL process's descriptors that are not relation files
P99_SPREAD_LIMIT = 2.0
QUIET_TIMEOUT = 300.0
console = Console() if sys.stdout.isatty() else Console(width=160)


@dataclass
class Sample:
    at: float  # seconds since the soak began
    memory: dict[str, int]  # process name → bytes
    fds: dict[str, int]  # all but sockets
    sockets: dict[str, int]
    pids: dict[str, int]
    backends: int = 0  # PostgreSQL's (children of the postmaster)
    largest: int = 0  # the most descriptors one PostgreSQL process holds


@dataclass
class Samples:
    taken: list[Sample] = field(default_factory=list)


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _sockets(pid: int) -> int:
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:
            continue  # closed meanwhile
    return count


def _measure(name: str, pid: int) -> tuple[int, int, int, int, int]:
    """(memory bytes, descriptors but sockets, sockets, children, the most descriptors of
    one of them) of a process and its descendants."""
    memory = fds = sockets = largest = 0
    tree = _tree(pid)
    for process in tree:
        try:
            with process.oneshot():
                memory += (process.memory_full_info().uss if name == "postgres"
                           else process.memory_info().rss)
                own_sockets = _sockets(process.pid)
                own = process.num_fds()
                fds += own - own_sockets
                sockets += own_sockets
                largest = max(largest, own)
        except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError):
            continue  # a backend that ended meanwhile
    return memory, fds, sockets, len(tree) - 1, largest


async def _sample(platform: RunningPlatform, samples: Samples, began: float,
                  stop: asyncio.Event) -> None:
    while not stop.is_set():
        pids = {n: p["pid"] for n, p in platform.state()["processes"].items() if p["pid"]}
        memory, fds, sockets = {}, {}, {}
        backends = largest = 0
        for name, pid in pids.items():
            try:
                memory[name], fds[name], sockets[name], children, most = (
                    await asyncio.to_thread(_measure, name, pid))
            except (psutil.NoSuchProcess, FileNotFoundError):
                continue
            if name == "postgres":
                backends, largest = children, most
        samples.taken.append(Sample(time.monotonic() - began, memory, fds, sockets, pids,
                                    backends, largest))
        try:
            await asyncio.wait_for(stop.wait(), timeout=SAMPLE_SECONDS)
        except TimeoutError:
            pass


async def _setup(platform: RunningPlatform, client: httpx.AsyncClient
                 ) -> dict[str, Clerk]:
    """Each town's clerk, with residents already in certificates' read model to issue for."""
    ledger = Ledger()
    clerks = {town: Clerk(town, await login(platform.gateway, town), client, ledger, [],
                          functools.partial(login, platform.gateway, town))
              for town in TOWNS}
    for clerk in clerks.values():
        made = [await clerk.register() for _ in range(5)]
        clerk.residents.extend(i for i in made if i)
    await asyncio.sleep(5)  # the registrations reach certificates' read model
    return clerks


def _clerks(clerks: dict[str, Clerk], ledger: Ledger) -> list[Clerk]:
    return [Clerk(c.town, c.token, c.client, ledger, c.residents, c.relogin)
            for c in clerks.values()]


async def _capacity(clerks: dict[str, Clerk], seconds: float) -> float:
    """2xx answers per second with CAPACITY_CLIENTS clients sending back to back."""
    ledger = Ledger()
    mine = _clerks(clerks, ledger)
    stop = asyncio.Event()
    load = [asyncio.ensure_future(mine[i % len(mine)].work(stop, 0.0, ISSUE_EVERY))
            for i in range(CAPACITY_CLIENTS)]
    await asyncio.sleep(CAPACITY_WARM_SECONDS)
    start = time.monotonic()
    await asyncio.sleep(seconds)
    end = time.monotonic()
    stop.set()
    await asyncio.gather(*load)
    return sum(1 for t in ledger.ok_times if start <= t <= end) / (end - start)


async def _paced(clerks: list[Clerk], rate: float, seconds: float) -> None:
    """Requests started at ``rate`` per second whatever the answers' times (an open loop)."""
    start = time.monotonic()
    running: set[asyncio.Future[Any]] = set()
    n = 0
    while time.monotonic() - start < seconds:
        n += 1
        clerk = clerks[n % len(clerks)]
        request = clerk.issue() if n % ISSUE_EVERY == 0 else clerk.register()
        task = asyncio.ensure_future(request)
        running.add(task)
        task.add_done_callback(running.discard)
        await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
    await asyncio.gather(*running)


def _median_between(samples: list[Sample], start: float, end: float, kind: str
                    ) -> dict[str, float]:
    chosen = [s for s in samples if start <= s.at <= end]
    names = {n for s in chosen for n in getattr(s, kind)}
    return {n: statistics.median(getattr(s, kind)[n] for s in chosen if n in getattr(s, kind))
            for n in sorted(names)}


def _within(end: float, start: float) -> bool:
    """No growth: at most FD_GROWTH more (a connection being opened at a sample)."""
    return end - start <= max(FD_GROWTH[0], start * FD_GROWTH[1])


def _processes(samples: list[Sample], capacity: list[Sample], window: float, total: float,
               broker_rotations: int, max_files: int) -> dict[str, dict[str, Any]]:
    warm = (window - 60, window)
    last = (total - 60, total + SAMPLE_SECONDS)
    memory_warm = _median_between(samples, *warm, "memory")
    memory_end = _median_between(samples, *last, "memory")
    fds_warm = _median_between(samples, *warm, "fds")
    fds_end = _median_between(samples, *last, "fds")
    sockets_end = _median_between(samples, *last, "sockets")
    # The pools' high-water mark: the capacity phase and the warm-up.
    before = [*capacity, *(s for s in samples if s.at <= window)]
    broker_limit = LauncherSettings().broker_memory_mb * 2**20
    out = {}
    for name in memory_warm:
        pids = {s.pids.get(name) for s in samples} - {None}
        growth = memory_end.get(name, 0) / memory_warm[name] - 1 if memory_warm[name] else 0
        peak_after = max((s.memory.get(name, 0) for s in samples if s.at > window), default=0)
        sockets_mark = max((s.sockets.get(name, 0) for s in before), default=0)
        # A rotation restarts the workers with the broker (kyodo_launcher.broker.restart_empty):
        # then no later life of theirs may peak past the first's memory after warm-up.
        renewed = broker_rotations if name.endswith("-worker") else 0
        rotated = broker_rotations if name == "broker" and broker_limit else renewed
        out[name] = {
            "memory_mb_after_warm_up": round(memory_warm[name] / 2**20, 1),
            "memory_mb_end": round(memory_end.get(name, 0) / 2**20, 1),
            "memory_growth_pct": round(100 * growth, 1),
            "memory_peak_mb": round(max(s.memory.get(name, 0) for s in samples) / 2**20, 1),
            "fds_after_warm_up": fds_warm[name], "fds_end": fds_end.get(name, 0),
            "sockets_high_water_mark": sockets_mark, "sockets_end": sockets_end.get(name, 0),
            "restarted": len(pids) - 1 > rotated, "rotations": rotated,
            "memory_ok": (peak_after <= memory_warm[name] * (1 + MEMORY_GROWTH_LIMIT)
                          if renewed
                          else peak_after <= broker_limit * (1 + MEMORY_GROWTH_LIMIT)
                          if rotated or (name == "broker" and broker_limit)
                          else growth <= MEMORY_GROWTH_LIMIT),
            "fds_ok": (_within(fds_end.get(name, 0), fds_warm[name])
                       and _within(sockets_end.get(name, 0), sockets_mark)),
        }
        if name == "postgres":
            out[name].update(_postgres(samples, before, last, max_files))
    return out


def _postgres(samples: list[Sample], before: list[Sample], last: tuple[float, float],
              max_files: int) -> dict[str, Any]:
    """Backends against the pools' high-water mark; no process's descriptors past the
    relation-file cache's bound (replaces the totals' check: see the module's text)."""
    mark = max((s.backends for s in before), default=0)
    ends = [s.backends for s in samples if last[0] <= s.at <= last[1]]
    end = statistics.median(ends) if ends else 0
    largest = max((s.largest for s in samples), default=0)
    return {"backends_high_water_mark": mark, "backends_end": end,
            "largest_process_fds": largest, "max_files_per_process": max_files,
            "fds_ok": _within(end, mark) and largest <= max_files + FD_OVERHEAD}


async def _max_files_per_process(database_url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return int(await conn.fetchval("SHOW max_files_per_process"))
    finally:
        await conn.close()


def _windows(ledger: Ledger, began: float, window: float, total: float
             ) -> list[dict[str, Any]]:
    out = []
    start = 0.0
    while start < total - 1:
        end = min(start + window, total)
        latencies = [s * 1000 for t, s in ledger.latencies if start <= t - began < end]
        out.append({"from_min": round(start / 60, 1), "to_min": round(end / 60, 1),
                    "ok_per_s": round(len(latencies) / (end - start), 1),
                    **{f"{k}_ms" if k != "n" else k: v
                       for k, v in distribution(latencies).items()}})
        start = end
    return out


async def _soak(platform: RunningPlatform, minutes: float, capacity_seconds: float
                ) -> dict[str, Any]:
    total = minutes * 60
    window = min(WINDOW_SECONDS, total / 6)
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30,
                                 limits=httpx.Limits(max_connections=200)) as client:
        clerks = await _setup(platform, client)
        at_capacity, measuring = Samples(), asyncio.Event()
        sampler = asyncio.ensure_future(
            _sample(platform, at_capacity, time.monotonic(), measuring))
        capacity = await _capacity(clerks, capacity_seconds)
        measuring.set()
        await sampler
        rate = capacity / 2
        console.print(f"capacity {capacity:.1f} 2xx/s; soaking at {rate:.1f} requests/s "
                      f"for {minutes:g} min")
        ledger = Ledger()
        samples = Samples()
        stop = asyncio.Event()
        began = time.monotonic()
        sampler = asyncio.ensure_future(_sample(platform, samples, began, stop))
        await _paced(_clerks(clerks, ledger), rate, total)
        total = time.monotonic() - began
        stop.set()
        await sampler
        state = platform.state()
        deadline = time.monotonic() + QUIET_TIMEOUT
        while not await quiet(state["databases"], state["bootstrap_servers"]):
            if time.monotonic() > deadline:
                console.print("[red]not quiet after the soak[/]")
                break
            await asyncio.sleep(1)
        found = await verdict(ledger, state["databases"])
    windows = _windows(ledger, began, window, total)
    after_warm_up = [w["p99_ms"] for w in windows[1:] if w["p99_ms"] == w["p99_ms"]]
    spread = max(after_warm_up) / min(after_warm_up) if after_warm_up else float("nan")
    rotations = (state.get("recovery") or {}).get("broker_rotations", 0)
    max_files = await _max_files_per_process(state["databases"]["residents"])
    processes = _processes(samples.taken, at_capacity.taken, window, total, rotations,
                           max_files)
    return {
        "minutes": minutes, "window_s": window, "capacity_ok_per_s": round(capacity, 1),
        "rate_per_s": round(rate, 1), "requests": found.requests, "ok": found.ok,
        "lost": found.lost, "duplicated": found.duplicated,
        # What is missing where, by kind (the service, or "registration"/"issuance"), and
        # the first of each: enough to tell a lost event from a lost read-model row.
        "details_by_kind": _by_kind(found.details), "details": found.details[:40],
        "answered_differently": found.answered_differently, "given_up": found.given_up,
        "refused": dict(ledger.refused),
        "windows": windows, "p99_spread_after_warm_up": round(spread, 2),
        "p99_ok": spread <= P99_SPREAD_LIMIT, "processes": processes,
        "broker_rotations": rotations,
        "broker_memory_limit_mb": LauncherSettings().broker_memory_mb,
        "samples": [{"at_s": round(s.at), "memory_mb": {n: round(m / 2**20, 1)
                                                        for n, m in s.memory.items()},
                     "fds": s.fds, "sockets": s.sockets, "backends": s.backends,
                     "postgres_largest_process_fds": s.largest}
                    for s in samples.taken],
    }


def _tables(result: dict[str, Any]) -> tuple[Table, Table]:
    windows = Table(title=f"Soak at {result['rate_per_s']} requests/s (capacity "
                          f"{result['capacity_ok_per_s']} 2xx/s): latency per window")
    for column in ("minutes", "2xx/s", "p50 ms", "p99 ms", "max ms"):
        windows.add_column(column, justify="right")
    for w in result["windows"]:
        windows.add_row(f"{w['from_min']:g}–{w['to_min']:g}", f"{w['ok_per_s']:.1f}",
                        f"{w['p50_ms']:.0f}", f"{w['p99_ms']:.0f}", f"{w['max_ms']:.0f}")
    processes = Table(title="Memory (MB; PostgreSQL: private) and descriptors, after warm-up "
                            "→ end")
    for column in ("process", "memory", "growth %", "peak", "fds", "sockets (mark → end)",
                   "ok"):
        processes.add_column(column, justify="left" if column == "process" else "right")
    for name, p in result["processes"].items():
        processes.add_row(name, f"{p['memory_mb_after_warm_up']} → {p['memory_mb_end']}",
                          f"{p['memory_growth_pct']:+.1f}", f"{p['memory_peak_mb']}",
                          f"{p['fds_after_warm_up']:g} → {p['fds_end']:g}",
                          f"{p['sockets_high_water_mark']:g} → {p['sockets_end']:g}",
                          "✓" if p["memory_ok"] and p["fds_ok"] and not p["restarted"]
                          else "✗")
    return windows, processes


def main(quick: bool = False, minutes: float | None = None) -> None:
    minutes = minutes if minutes is not None else (3.0 if quick else MINUTES)
    with running_platform() as platform:
        console.print(f"platform ready in {platform.startup_seconds:.0f} s")
        result = asyncio.run(_soak(platform, minutes,
                                   20.0 if quick else CAPACITY_SECONDS))
    for table in _tables(result):
        console.print(table)
    if result["details"]:
        console.print(f"missing or doubled, by kind: {result['details_by_kind']}")
        for detail in result["details"][:8]:
            console.print(f"  {detail}")
    console.print(f"requests {result['requests']}, 2xx {result['ok']}, lost {result['lost']}, "
                  f"duplicated {result['duplicated']}, given up {result['given_up']}, 4xx "
                  f"{result['refused']}; p99 "
                  f"spread after warm-up {result['p99_spread_after_warm_up']}×")
    pg = result["processes"].get("postgres", {})
    console.print(f"PostgreSQL backends: high-water mark {pg.get('backends_high_water_mark')}"
                  f" → end {pg.get('backends_end')}; most descriptors of one process "
                  f"{pg.get('largest_process_fds')} (max_files_per_process "
                  f"{pg.get('max_files_per_process')}); broker rotations "
                  f"{result['broker_rotations']} (bound {result['broker_memory_limit_mb']:g} MB)")
    path = write_results(NAME, result)
    console.print(f"written to {path}")
    bad = [n for n, p in result["processes"].items()
           if not (p["memory_ok"] and p["fds_ok"]) or p["restarted"]]
    if (bad or not result["p99_ok"] or result["lost"] or result["duplicated"]
            or result["refused"] or result["given_up"]):
        raise SystemExit(f"soak not stable: processes {bad}, p99 ok {result['p99_ok']}, "
                         f"lost {result['lost']}, duplicated {result['duplicated']}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)


def _by_kind(details: list[str]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for detail in details:
        kind = detail.split(":")[0].split(" ")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds
