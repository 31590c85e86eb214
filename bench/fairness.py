"""Fairness (issue #22): one town's bulk work raises another town's counter p99 by at most 20 %.
`python -m bench fairness` (280,000 taxpayers, 100,000 houses), `--quick` (20,000 / 5,000),
or `python -m bench.fairness --taxpayers N --houses M`.

The launcher starts the whole platform on loopback. Setup (not timed), in 三条市 (town A): a
staff member with the tax_officer and disaster_support roles added through identity; N
taxpayers written to the tax database with COPY as bench/tax_bulk.py does (register history,
salary reports, declarations, for fiscal year 2025); one resident per house in the disaster and
certificates read models (COPY, as bench/disaster.py) and a declared disaster. In 長岡市 and
見附市 (town B), residents registered through the gateway.

Then the counters of town B (bench/_counters.py: in each town 3 clerks in a closed loop, one
operation every 0.5 s each, a 住民票の写し PDF and a resident read through the gateway) run
through the phases, in this order (bench/_fairness_model.plan):

* **alone**: nothing else asked of the platform, 60 s (quick: 20 s);
* **tax**: town A's officer starts the bulk assessment of the fiscal year through the gateway
  (`POST …/tax/bulk-assessments`; the tax worker runs it) and follows it until it finished,
  then until its events are published (tax's outbox empty) and the certificates read model
  holds every assessment (the 課税証明書 data, kyodo.tax.v1 consumed): the phase is all of it;
* **alone** again;
* **import**: the field-survey CSV of M houses POSTed through the gateway in parts of 2,000
  rows (the largest part imported within its request, bench/disaster.py), then until its
  events are published and the certificates service holds every house;
* **alone** again.

Each bulk phase stands between two alone phases and is compared with both together, so a swing
of the shared machine (other people's tests) falls on both sides: `p99 during / p99 alone`
per bulk phase, target ≤ 1.20; the worst decides. A few seconds after each bulk phase belong
to no phase (the last consumer's commit). For each phase: the machine's busy share, the
platform's, this load generator's and other processes' (bench/_cpu.py), and the load average.
The bulk work's own rate: persons assessed per second (request → job finished) and houses
imported per second, and the time until their events were consumed.

Each kind of bulk work runs once: a second assessment of the same year finds every person
unchanged and writes nothing, so it would not be the same work.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import secrets
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
import asyncpg
from rich.console import Console
from rich.table import Table

from bench import _fairness_model as model
from bench._counters import CLERKS_PER_TOWN, COUNTER_TOWNS, PACE, Latencies, clerk, open_counters
from bench._cpu import cpu_seconds, machine_seconds, used_between
from bench._platform import RunningPlatform, running_platform
from bench._report import write_results
from bench.disaster import AREA, PART_ROWS, SANJO, _csv_parts, _seed_read_models, _until
from bench.tax_bulk import FISCAL_YEAR, population, seed
from kyodo_common.clock import today_in_japan

NAME = "fairness"
TOWN_A = SANJO
TAXPAYERS, QUICK_TAXPAYERS = 280_000, 20_000
HOUSES, QUICK_HOUSES = 100_000, 5_000
ALONE_SECONDS, QUICK_ALONE_SECONDS = 60.0, 20.0
BULK = ("tax", "import")
SETTLE_SECONDS = 3.0  # after a bulk phase, before the next alone phase: in no phase
TOKEN_SECONDS = 600.0  # a staff token lasts 15 minutes: a new one after 10
DISASTER_PURPOSE = "disaster-response"

console = Console() if sys.stdout.isatty() else Console(width=160)


@dataclass
class Officer:
    """Town A's staff member for both bulk works; the token renewed before it runs out."""

    session: aiohttp.ClientSession
    gateway: str
    login: str = field(default_factory=lambda: f"bench-{secrets.token_hex(3)}")
    password: str = field(default_factory=lambda: "Bench-" + secrets.token_urlsafe(18))
    token: str = ""
    logged_at: float = -math.inf

    @property
    def base(self) -> str:
        return f"{self.gateway}/v1/municipalities/{TOWN_A}"

    async def create(self) -> None:
        admin = await self._token("admin", "kyodo-admin")
        async with self.session.post(
            f"{self.base}/identity/staff",
            json={"login": self.login, "initial_password": self.password,
                  "roles": ["tax_officer", "disaster_support"]},
            headers={"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex},
        ) as response:
            if response.status != 201:
                raise RuntimeError(f"staff: {response.status} {await response.text()}")

    async def _token(self, username: str, password: str) -> str:
        form = {"grant_type": "password", "municipality_code": TOWN_A, "username": username,
                "password": password}
        async with self.session.post(f"{self.gateway}/v1/auth/token", data=form) as response:
            response.raise_for_status()
            token: str = (await response.json())["access_token"]
            return token

    async def call(self, method: str, path: str, *, purpose: str | None = None,
                   **kwargs: Any) -> Any:
        if time.monotonic() - self.logged_at > TOKEN_SECONDS:
            self.token = await self._token(self.login, self.password)
            self.logged_at = time.monotonic()
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        if purpose:
            headers["X-Kyodo-Purpose"] = purpose
        if method == "POST":
            headers["Idempotency-Key"] = uuid.uuid4().hex
        async with self.session.request(method, self.base + path, headers=headers,
                                        **kwargs) as response:
            body = await response.json(content_type=None)  # problem+json too
            if response.status not in (200, 201, 202):
                raise RuntimeError(f"{method} {path}: {response.status} {body}")
            return body


async def _count(conn: asyncpg.Connection, sql: str, *args: Any) -> int:
    return int(await conn.fetchval(sql, *args))


def _at_least(conn: asyncpg.Connection, sql: str, target: int, *args: Any
              ) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await _count(conn, sql, *args) >= target
    return check


def _empty(conn: asyncpg.Connection) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await _count(conn, "SELECT count(*) FROM outbox_pending") == 0
    return check


async def _waited(check: Callable[[], Awaitable[bool]], timeout: float, what: str,
                  interval: float) -> bool:
    """True when ``check`` came true in time; a timeout is reported, not raised: the phase
    ends there and the figures say it."""
    try:
        await _until(check, timeout, what, interval=interval)
        return True
    except TimeoutError as error:
        console.print(f"[yellow]{error}[/]")
        return False


class BulkWork:
    """Town A's two bulk works, each measured from its first request to its last consequence."""

    def __init__(self, officer: Officer, owners: dict[str, asyncpg.Connection],
                 taxpayers: int) -> None:
        self.officer, self.owners, self.taxpayers = officer, owners, taxpayers
        self.disaster_id, self.parts, self.houses = "", list[str](), 0

    async def prepare_import(self, numbers: list[str]) -> None:
        """A declared disaster and its CSV in parts (not timed)."""
        today = today_in_japan()
        occurred = today - timedelta(days=2)
        declaration = {
            "name": "ベンチ豪雨", "kind": "flood", "occurred_on": occurred.isoformat(),
            "affected_area": [AREA], "application_opens_on": occurred.isoformat(),
            "application_closes_on": (occurred + timedelta(days=60)).isoformat()}
        disaster = await self.officer.call("POST", "/disaster/disasters",
                                           purpose=DISASTER_PURPOSE, json=declaration)
        self.disaster_id = str(disaster["id"])
        self.parts, self.houses = _csv_parts(1, numbers, today), len(numbers)

    async def tax(self, mark: Callable[[str], None]) -> dict[str, Any]:
        """The bulk assessment through the gateway, followed to the certificates read model."""
        n = self.taxpayers
        started = time.perf_counter()
        job = await self.officer.call("POST", "/tax/bulk-assessments",
                                      json={"fiscal_year": FISCAL_YEAR})
        latest: dict[str, Any] = dict(job)

        async def finished() -> bool:
            latest.update(await self.officer.call("GET", f"/tax/bulk-assessments/{job['id']}"))
            return latest["state"] in ("finished", "failed")

        done = await _waited(finished, max(300.0, n / 100), "the bulk assessment", 0.5)
        job_seconds = time.perf_counter() - started
        mark("job finished")
        if latest["state"] == "failed":
            raise RuntimeError(f"the bulk assessment failed: {latest['error']}")
        written = int(latest["assessed"]) + int(latest["corrected"])
        published = done and await _waited(_empty(self.owners["tax"]), max(180.0, n / 200),
                                           "the assessments' events published", 1.0)
        events_seconds = time.perf_counter() - started
        consumed = published and await _waited(_at_least(
            self.owners["certificates"],
            "SELECT count(*) FROM tax_assessments WHERE municipality_code = $1 "
            "AND fiscal_year = $2 AND dependant_of IS NULL", written, TOWN_A, FISCAL_YEAR),
            max(300.0, n / 100), "the assessments in the certificates read model", 2.0)
        seconds = time.perf_counter() - started
        return {"kind": "tax", "persons": latest.get("total"), "assessed": latest["assessed"],
                "corrected": latest["corrected"], "unchanged": latest["unchanged"],
                "refused": latest["refused"], "job_finished": done,
                "job_seconds": job_seconds,
                "rate_per_s": (latest.get("total") or 0) / job_seconds,
                "events_published": published, "events_published_seconds": events_seconds,
                "consumed": consumed, "consumed_seconds": seconds, "seconds": seconds}

    async def survey_import(self, mark: Callable[[str], None]) -> dict[str, Any]:
        """The survey CSV through the gateway in parts, followed to the certificates service."""
        started = time.perf_counter()
        recorded, part_ms = 0, list[float]()
        for part in self.parts:
            sent = time.perf_counter()
            report = await self.officer.call(
                "POST", f"/disaster/disasters/{self.disaster_id}/surveys/import",
                purpose=DISASTER_PURPOSE, data=part.encode(),
                headers={"Content-Type": "text/csv"})
            part_ms.append((time.perf_counter() - sent) * 1000)
            if report.get("errors") or "surveys_recorded" not in report:
                raise RuntimeError(f"import: {str(report)[:300]}")
            recorded += int(report["surveys_recorded"])
        import_seconds = time.perf_counter() - started
        mark("parts imported")
        published = await _waited(_empty(self.owners["disaster"]),
                                  max(180.0, self.houses / 100), "the import's events published",
                                  1.0)
        events_seconds = time.perf_counter() - started
        consumed = published and await _waited(_at_least(
            self.owners["certificates"],
            "SELECT count(*) FROM damage_assessments WHERE disaster_id = $1", self.houses,
            uuid.UUID(self.disaster_id)), max(300.0, self.houses / 50),
            "the houses in the certificates service", 2.0)
        seconds = time.perf_counter() - started
        return {"kind": "import", "houses": self.houses, "recorded": recorded,
                "parts": len(self.parts), "part_rows": PART_ROWS,
                "part_ms_max": max(part_ms, default=math.nan),
                "part_ms_mean": sum(part_ms) / len(part_ms) if part_ms else math.nan,
                "import_seconds": import_seconds, "rate_per_s": recorded / import_seconds,
                "events_published": published, "events_published_seconds": events_seconds,
                "consumed": consumed, "consumed_seconds": seconds, "seconds": seconds}


@dataclass
class Snapshot:
    """The clocks at a phase's edge."""

    at: float
    processes: dict[str, float]
    platform: float
    bench: float
    machine: tuple[float, float, float]

    @classmethod
    def take(cls, platform: RunningPlatform) -> Snapshot:
        pids = {name: p["pid"] for name, p in platform.state()["processes"].items() if p["pid"]}
        return cls(time.perf_counter(), cpu_seconds(pids),
                   # the launcher with every descendant: processes restarted or gone count too
                   cpu_seconds({"platform": platform.launcher.pid})["platform"],
                   time.process_time(), machine_seconds())


def _machine(first: Snapshot, last: Snapshot) -> dict[str, Any]:
    busy, _, total = (b - a for a, b in zip(first.machine, last.machine, strict=True))
    return {**model.machine_share(busy, total, last.platform - first.platform,
                                  last.bench - first.bench),
            "load_average_1min": os.getloadavg()[0],
            "cpu_seconds": used_between(first.processes, last.processes)}


async def _phases(platform: RunningPlatform, work: BulkWork, latencies: Latencies,
                  phases: list[str], alone_seconds: float) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in phases:
        marks: dict[str, float] = {}

        def mark(what: str, marks: dict[str, float] = marks) -> None:
            marks[what] = time.perf_counter()

        first = Snapshot.take(platform)
        bulk: dict[str, Any] | None = None
        if name == model.ALONE:
            await asyncio.sleep(alone_seconds)
        elif name == "tax":
            bulk = await work.tax(mark)
        elif name == "import":
            bulk = await work.survey_import(mark)
        else:
            raise ValueError(f"unknown phase {name!r}")
        last = Snapshot.take(platform)
        phase: dict[str, Any] = {
            "phase": name, "start": first.at, "end": last.at, "seconds": last.at - first.at,
            "counters": latencies.between(first.at, last.at),
            "machine": _machine(first, last), "bulk": bulk,
            # the bulk's own work alone (the job running, the parts posted)
            "counters_while_working": {what: latencies.between(first.at, at)
                                       for what, at in marks.items()}}
        out.append(phase)
        counters = phase["counters"]["all"]
        console.print(f"{name}: {phase['seconds']:.0f} s, counters p50/p99 "
                      f"{counters['p50']:.0f}/{counters['p99']:.0f} ms (n={counters['n']}), "
                      f"machine busy {phase['machine']['busy_pct']:.0f} %, others "
                      f"{phase['machine']['others_pct']:.0f} %")
        if name != model.ALONE:
            await asyncio.sleep(SETTLE_SECONDS)
    return out


async def _measure(platform: RunningPlatform, taxpayers: int, houses: int,
                   alone_seconds: float) -> dict[str, Any]:
    owners = {name: await asyncpg.connect(platform.database(name))
              for name in ("tax", "disaster", "certificates")}
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=64)
    try:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            officer = Officer(session, platform.gateway)
            await officer.create()
            towns = await open_counters(platform, session)
            started = time.perf_counter()
            await _until(_at_least(owners["tax"], "SELECT count(*) FROM tax_configs "
                                   "WHERE municipality_code = $1", 1, TOWN_A),
                         120, "三条市's tax configuration from identity", interval=0.5)
            await seed(platform.database("tax"), population(taxpayers), code=TOWN_A)
            work = BulkWork(officer, owners, taxpayers)
            await work.prepare_import(await _seed_read_models(
                {"disaster": owners["disaster"], "certificates": owners["certificates"]},
                houses))
            console.print(f"town A: {taxpayers:,} taxpayers and {houses:,} residents seeded in "
                          f"{time.perf_counter() - started:.0f} s")
            latencies, stop = Latencies(), asyncio.Event()
            clerks = [asyncio.create_task(clerk(t, latencies, stop))
                      for t in towns for _ in range(CLERKS_PER_TOWN)]
            plan = model.plan(BULK)
            try:
                await asyncio.sleep(3)  # the clerks' first requests: connections, caches
                phases = await _phases(platform, work, latencies, plan, alone_seconds)
            finally:
                stop.set()
                await asyncio.gather(*clerks)
            compared = model.compare(plan, [latencies.values(p["start"], p["end"])
                                            for p in phases])
            failed_during = sum(p["counters"]["failed"] for p in phases
                                if p["phase"] != model.ALONE)
            return {"phases": phases, "comparison": compared, "failed_during": failed_during,
                    "meets_target": compared["meets"] and failed_during == 0}
    finally:
        for conn in owners.values():
            await conn.close()


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}"


def _table(figures: dict[str, Any], taxpayers: int, houses: int) -> None:
    table = Table(title=f"Town B's counters ({len(COUNTER_TOWNS)} towns × {CLERKS_PER_TOWN} "
                        f"clerks) while town A assesses {taxpayers:,} taxpayers and imports "
                        f"{houses:,} houses")
    for column in ("phase", "s", "ops/s", "n", "p50 ms", "p99 ms", "failed", "p99 / alone",
                   "busy %", "platform %", "others %", "load"):
        table.add_column(column, justify="left" if column == "phase" else "right")
    ratios = {c["index"]: c for c in figures["comparison"]["phases"]}
    for index, phase in enumerate(figures["phases"]):
        counters, machine = phase["counters"], phase["machine"]
        compared = ratios.get(index)
        table.add_row(phase["phase"], f"{phase['seconds']:.0f}",
                      f"{counters['rate_per_s']:.1f}", str(counters["all"]["n"]),
                      _ms(counters["all"]["p50"]), _ms(counters["all"]["p99"]),
                      str(counters["failed"]),
                      f"[bold]{compared['ratio']:.2f}×[/]" if compared else "",
                      f"{machine['busy_pct']:.0f}", f"{machine['platform_pct']:.0f}",
                      f"{machine['others_pct']:.0f}", f"{machine['load_average_1min']:.1f}")
    console.print(table)
    for phase in figures["phases"]:
        bulk = phase["bulk"]
        if bulk is None:
            continue
        if bulk["kind"] == "tax":
            console.print(f"tax: {bulk['persons'] or 0:,} persons, {bulk['assessed']:,} "
                          f"assessed, {bulk['refused']:,} refused; job {bulk['job_seconds']:.1f}"
                          f" s ([bold]{bulk['rate_per_s']:,.0f}/s[/]); events published after "
                          f"{bulk['events_published_seconds']:.0f} s, in certificates after "
                          f"{bulk['consumed_seconds']:.0f} s")
        else:
            console.print(f"import: {bulk['recorded']:,} houses in {bulk['parts']} parts, "
                          f"{bulk['import_seconds']:.1f} s ([bold]{bulk['rate_per_s']:,.0f}/s"
                          f"[/], a part {bulk['part_ms_mean']:.0f} ms on average, at most "
                          f"{bulk['part_ms_max']:.0f}); events published after "
                          f"{bulk['events_published_seconds']:.0f} s, in certificates after "
                          f"{bulk['consumed_seconds']:.0f} s")
        for what, counters in phase["counters_while_working"].items():
            console.print(f"  counters until {what}: p50/p99 {_ms(counters['all']['p50'])}/"
                          f"{_ms(counters['all']['p99'])} ms (n={counters['all']['n']})")


def main(*, quick: bool = False, taxpayers: int | None = None,
         houses: int | None = None) -> dict[str, Any]:
    taxpayers = taxpayers or (QUICK_TAXPAYERS if quick else TAXPAYERS)
    houses = houses or (QUICK_HOUSES if quick else HOUSES)
    alone_seconds = QUICK_ALONE_SECONDS if quick else ALONE_SECONDS
    with running_platform() as platform:
        console.print(f"platform ready in {platform.startup_seconds:.1f} s")
        figures = asyncio.run(_measure(platform, taxpayers, houses, alone_seconds))
    _table(figures, taxpayers, houses)
    compared = figures["comparison"]
    kinds = ", ".join(f"{kind} {c['ratio']:.2f}×" for kind, c in compared["kinds"].items())
    note = "" if compared["enough_samples"] else (
        f" [yellow](fewer than {model.ENOUGH_SAMPLES} samples in a window: p99 is near "
        "its largest)[/]")
    failed = (f", {figures['failed_during']} counter operations failed"
              if figures["failed_during"] else "")
    console.print(
        f"counter p99 during / alone: worst {compared['worst_ratio']:.2f}× ({kinds}){failed}: "
        f"{'[green]meets[/]' if figures['meets_target'] else '[red]misses[/]'} the target "
        f"≤ {model.TARGET_RATIO:.2f}×{note}")
    path = write_results(NAME, {"config": {
        "quick": quick, "taxpayers": taxpayers, "houses": houses, "town_a": TOWN_A,
        "counter_towns": list(COUNTER_TOWNS), "clerks_per_town": CLERKS_PER_TOWN,
        "pace_seconds": PACE, "alone_seconds": alone_seconds, "settle_seconds": SETTLE_SECONDS,
        "fiscal_year": FISCAL_YEAR, "part_rows": PART_ROWS, "plan": model.plan(BULK),
        "target_ratio": model.TARGET_RATIO}, **figures})
    console.print(f"[dim]results: {path}[/]")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.fairness")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--taxpayers", type=int, default=None)
    parser.add_argument("--houses", type=int, default=None)
    args = parser.parse_args()
    main(quick=args.quick, taxpayers=args.taxpayers, houses=args.houses)
