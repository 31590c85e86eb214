"""Capacity (issue #22): the highest rate of a municipality's counter workload that the platform
answers with p99 ≤ 300 ms and no errors, as inhabitants served per core at the March–April peak.

The workload (bench/_capacity_model.py, where every proportion names its source or says it is
an assumption): counter clerks of 長岡市, 三条市 and 見附市 (by their population) search the
register by kana, read residents and households, take 転入 / 転居 / 転出 and issue 住民票の写し
(signed PDF); in 長岡市 they also issue 課税証明書 and the tax office reads assessments. The
shares are those of the requests at the March–April peak: the counter app's pages' API calls
(bench/counter.py) for each transaction, transactions per inhabitant a year from 総務省's
住民基本台帳人口移動報告 and 就業構造基本調査 and certificate counts, March's factor applied.

Setup (not timed): the platform (`kyodo up` on free loopback ports); each town's register
bulk-loaded (bench/_register_data.py; real populations, a tenth with ``--quick``); in each
town residents registered through the gateway for certificates' read model to hold
(bench/_counters.Town); in 長岡市 taxpayers moved in, their salary reports imported and
assessed by a tax officer (kyodo_launcher.casework), until a 課税証明書 is issued.

Then an open loop: requests start at Poisson arrivals of the step's rate whatever the answers'
times, each once (no retry: a 5xx, a timeout or an unexpected status is an error), its latency
from the time it was due (so a late load generator does not hide queueing). A short warm-up,
then steps of rising rate (30 s each, 15 s with ``--quick``), until two steps in a row fail or
the time limit (10 minutes after the platform's start, which takes 100–240 s on this shared
machine; 4 with ``--quick``) is near. Per step: achieved rate, p50/p95/p99 per kind and
overall, errors, the CPU of every platform process and of the load generator (/proc), and the
machine's busy share and the part of it not from this run (the machine is shared).

The capacity is the step of the highest rate with p99 ≤ 300 ms and no errors; its achieved
rate divided by the peak hour's requests per second per inhabitant is the inhabitants served,
per core of the machine and per core the platform actually used at that step. Because the
machine is shared, the CPU also speaks apart from latency: the platform's CPU per request at
the capacity step (else the busiest step without errors), its idle work included, gives the
inhabitants one busy core serves; net of its idle cores (measured for 5 s before the warm-up),
the rate the platform would carry with the machine to itself (labelled so: an extrapolation).
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import sys
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiohttp
import asyncpg
import httpx
from rich.console import Console
from rich.table import Table

from bench import _capacity_model as model
from bench._counters import Town
from bench._municipalities import municipalities
from bench._platform import RunningPlatform, running_platform
from bench._register_data import FAMILY_NAMES, PLACES, load
from bench._report import distribution, write_results
from bench.residents import JST, Watch, _move_in_body
from kyodo_common.db import asyncpg_dsn
from kyodo_launcher.casework import FISCAL_YEAR, TAX_PURPOSE, Casework, prepare

NAME = "capacity"
NAGAOKA = "152021"
TOWNS = ("152021", "152048", "152111")  # 長岡市, 三条市, 見附市
RATES = (5, 10, 20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 350, 400)
QUICK_RATES = (5, 10, 25, 50, 80, 120, 160, 200, 250)
STEP_SECONDS, QUICK_STEP_SECONDS = 30.0, 15.0
WARM_SECONDS, QUICK_WARM_SECONDS = 10.0, 5.0
IDLE_SECONDS = 5.0  # the platform's own CPU with no requests, measured before the warm-up
# From the platform's start (100–240 s on this shared machine, reported) to the report.
TIME_LIMIT, QUICK_TIME_LIMIT = 600.0, 240.0
STOP_RESERVE = 30.0  # the platform's stop and the report
REGISTER_SCALE, QUICK_REGISTER_SCALE = 1.0, 0.1  # of each town's real population
CERTIFICATE_RESIDENTS = 10  # per town, registered through the gateway
READ_HOUSEHOLDS = 2_000  # per town, read at random (others are moved, each once)
TAXPAYERS = 4
FAILED_STEPS_TO_STOP = 2
REQUEST_TIMEOUT = 30.0
CONNECTIONS = 256
DESTINATION = {"address": "東京都千代田区千代田1番1号", "municipality_code": "131016",
               "postal_code": "100-0001"}  # 転出 to a municipality not on the platform
KANA = [kana for _, kana in FAMILY_NAMES[:60]]  # common family names' readings
console = Console() if sys.stdout.isatty() else Console(width=180)


@dataclass
class Pools:
    """What the clerks work on, per town: loaded residents and households to read, loaded
    households to move (each once), residents known to certificates, 長岡市's taxpayers."""
    residents: dict[str, list[str]]
    households: dict[str, list[str]]
    movable: dict[str, list[str]]
    issuable: dict[str, list[str]]
    taxpayers: list[dict[str, Any]]


@dataclass
class Outcome:
    kind: str
    ms: float
    error: str | None = None


@dataclass
class Counters:
    """The clerks of every town and the tax officer, sending one request of a kind."""
    gateway: str
    session: aiohttp.ClientSession
    towns: dict[str, Town]
    tax_token: str
    pools: Pools
    rng: random.Random
    today: date  # in Japan

    def _auth(self, town: str, purpose: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.towns[town].token}"}
        if purpose:
            headers["X-Kyodo-Purpose"] = purpose
        return headers

    def request(self, kind: str, town: str) -> tuple[str, str, dict[str, str],
                                                     dict[str, Any] | None, int] | None:
        """(method, url, headers, JSON body, expected status); None when nothing is left to
        work on."""
        r, pools = self.rng, self.pools
        base = f"{self.gateway}/v1/municipalities/{town}"
        write = {**self._auth(town), "Idempotency-Key": uuid.uuid4().hex}
        if kind == "get":
            return ("GET", f"{base}/residents/{r.choice(pools.residents[town])}",
                    self._auth(town, "identity-check"), None, 200)
        if kind == "search":
            return ("POST", f"{base}/residents/search", self._auth(town, "identity-check"),
                    {"kana_prefix": r.choice(KANA), "limit": 20}, 200)
        if kind == "household":
            return ("GET", f"{base}/residents/households/{r.choice(pools.households[town])}",
                    self._auth(town, "identity-check"), None, 200)
        if kind == "move_in":
            body = {**_move_in_body(r, town, self.today), "confirm_not_duplicate": True}
            return "POST", f"{base}/residents/move-ins", write, body, 201
        if kind in ("relocation", "move_out"):
            if not pools.movable[town]:
                return None
            household = pools.movable[town].pop()
            headers = {**write, "If-Match": 'W/"1"'}  # loaded households are at version 1
            if kind == "move_out":
                return ("POST", f"{base}/residents/households/{household}/move-out", headers,
                        {"effective_date": self.today.isoformat(), "destination": DESTINATION},
                        200)
            place = PLACES[town]
            street, postal = r.choice(place.towns)
            return ("POST", f"{base}/residents/households/{household}/relocation", headers,
                    {"effective_date": self.today.isoformat(),
                     "postal_code": f"{postal[:3]}-{postal[3:]}",
                     "address": f"{place.prefix}{street}{r.randint(1, 9)}丁目"
                                f"{r.randint(1, 40)}番{r.randint(1, 30)}号"}, 200)
        pdf = {"Accept": "application/pdf"}
        counter = {"terminal": "本庁1", "printer": "プリンタ001"}
        if kind == "residence_certificate":
            return ("POST", f"{base}/certificates/residence",
                    {**write, **pdf, "X-Kyodo-Purpose": "residence-certificate"},
                    {"resident_id": r.choice(pools.issuable[town]), "items": ["relationship"],
                     **counter}, 201)
        taxpayer = r.choice(pools.taxpayers)
        nagaoka = f"{self.gateway}/v1/municipalities/{NAGAOKA}"
        if kind == "tax_certificate":
            return ("POST", f"{nagaoka}/certificates/tax",
                    {**self._auth(NAGAOKA, "tax-certificate"), **pdf,
                     "Idempotency-Key": uuid.uuid4().hex},
                    {"resident_id": taxpayer["resident_id"], "fiscal_year": FISCAL_YEAR,
                     **counter}, 201)
        if kind == "tax_read":
            return ("GET", f"{nagaoka}/tax/persons/{taxpayer['platform_person_id']}/assessments"
                           f"?fiscal_year={FISCAL_YEAR}",
                    {"Authorization": f"Bearer {self.tax_token}", **TAX_PURPOSE}, None, 200)
        raise ValueError(f"unknown kind {kind}")

    async def one(self, kind: str, town: str, due: float) -> Outcome | None:
        """One request, timed from when it was due (perf_counter)."""
        request = self.request(kind, town)
        if request is None:
            return None
        method, url, headers, body, expected = request
        try:
            async with self.session.request(method, url, headers=headers, json=body) as answer:
                payload = await answer.read()
                status = answer.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Outcome(kind, (time.perf_counter() - due) * 1000,
                           f"{type(exc).__name__}: {exc}"[:200])
        ms = (time.perf_counter() - due) * 1000
        if status != expected:
            return Outcome(kind, ms, f"{status}: {payload[:200].decode(errors='replace')}")
        return Outcome(kind, ms)


def _arrivals(rng: random.Random, rate: float, seconds: float, kinds: dict[str, float],
              towns: dict[str, float]) -> list[tuple[float, str, str]]:
    """(offset in s, kind, town) of a Poisson stream; the tax office's work is 長岡市's."""
    names, weights = list(kinds), list(kinds.values())
    codes, shares = list(towns), list(towns.values())
    out: list[tuple[float, str, str]] = []
    t = 0.0
    while True:
        t += rng.expovariate(rate)
        if t >= seconds:
            return out
        kind = rng.choices(names, weights)[0]
        town = NAGAOKA if kind.startswith("tax_") else rng.choices(codes, shares)[0]
        out.append((t, kind, town))


async def _step(counters: Counters, rate: float, seconds: float, towns: dict[str, float],
                processes: dict[str, int]) -> dict[str, Any]:
    """An open loop at ``rate`` for ``seconds``: the step's figures."""
    schedule = _arrivals(counters.rng, rate, seconds, model.mix(), towns)
    tasks: list[asyncio.Future[Outcome | None]] = []
    lags: list[float] = []
    watch = Watch(processes)
    start = time.perf_counter()
    for offset, kind, town in schedule:
        due = start + offset
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        lags.append((time.perf_counter() - due) * 1000)
        tasks.append(asyncio.ensure_future(counters.one(kind, town, due)))
    await asyncio.sleep(max(0.0, start + seconds - time.perf_counter()))
    elapsed = time.perf_counter() - start
    load = watch.stop()  # over the step's window; answers still in flight finish below
    outcomes = [o for o in await asyncio.gather(*tasks) if o is not None]
    figures = _figures(rate, elapsed, outcomes, lags, load)
    figures["skipped"] = len(tasks) - len(outcomes)  # no household left to move
    return figures


def _figures(rate: float, elapsed: float, outcomes: list[Outcome], lags: list[float],
             load: dict[str, Any]) -> dict[str, Any]:
    ok = [o for o in outcomes if o.error is None]
    failed = [o for o in outcomes if o.error is not None]
    overall = distribution([o.ms for o in ok])
    cpu = load.pop("cpu_seconds")
    platform_cpu = sum(s for name, s in cpu.items() if not name.startswith("bench"))
    return {
        "rate_per_s": rate, "seconds": round(elapsed, 1), "sent": len(outcomes),
        "ok": len(ok), "errors": len(failed), "achieved_per_s": len(ok) / elapsed,
        "p50_ms": overall["p50"], "p95_ms": overall["p95"], "p99_ms": overall["p99"],
        "max_ms": overall["max"],
        "kinds": {kind: {**distribution([o.ms for o in ok if o.kind == kind]),
                         "errors": sum(1 for o in failed if o.kind == kind)}
                  for kind in model.KINDS},
        "first_errors": [f"{o.kind} {o.error}" for o in failed[:5]],
        "generator_lag_p99_ms": distribution(lags)["p99"],
        "cpu_cores": {name: s / elapsed for name, s in sorted(cpu.items())},
        "platform_cores": platform_cpu / elapsed,
        "cpu_ms_per_request": {name: s * 1000 / max(1, len(ok)) for name, s in cpu.items()},
        **load,
    }


async def _taxes(client: httpx.AsyncClient, clerk: Town) -> Casework:
    """Taxpayers of 長岡市 assessed, until a 課税証明書 is issued for each."""
    work = await prepare(client, taxpayers=TAXPAYERS, houses=0)
    for _ in work.taxpayers:
        await work.tax_case()
    refused = work.tax.ledger.refusals
    if refused:
        raise RuntimeError(f"tax setup refused: {refused}")
    url = f"{clerk.base}/certificates/tax"
    for person in work.taxpayers:
        deadline = time.monotonic() + 120
        while True:
            answer = await client.post(url, json={
                "resident_id": person["resident_id"], "fiscal_year": FISCAL_YEAR,
                "terminal": "本庁1", "printer": "プリンタ001"}, headers={
                "Authorization": f"Bearer {clerk.token}", "X-Kyodo-Purpose": "tax-certificate",
                "Idempotency-Key": uuid.uuid4().hex})
            if answer.status_code == 201:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"no 課税証明書 in 120 s: {answer.status_code} "
                                   f"{answer.text[:300]}")
            await asyncio.sleep(0.5)
    return work


async def _households(owner: asyncpg.Connection, code: str, count: int) -> list[str]:
    rows = await owner.fetch("SELECT id::text AS id FROM households WHERE municipality_code = $1 "
                             "AND version = 1 ORDER BY random() LIMIT $2", code, count)
    return [row["id"] for row in rows]


def _movable_needed(rates: tuple[int, ...], seconds: float, warm: float, share: float) -> int:
    """Households moved (転居 + 転出) in the run, with room for chance."""
    sent = sum(rates) * seconds + rates[0] * warm
    return int(sent * share * 1.5) + 50


async def _run(platform: RunningPlatform, quick: bool, deadline: float) -> dict[str, Any]:
    rates = QUICK_RATES if quick else RATES
    seconds = QUICK_STEP_SECONDS if quick else STEP_SECONDS
    warm = QUICK_WARM_SECONDS if quick else WARM_SECONDS
    scale = QUICK_REGISTER_SCALE if quick else REGISTER_SCALE
    people = {m.code: m.population for m in municipalities() if m.code in TOWNS}
    plan = [(code, int(people[code] * scale)) for code in TOWNS]
    started = time.perf_counter()
    loaded, _ = await load(asyncpg_dsn(platform.database("residents")), plan)
    console.print(f"registers loaded: {', '.join(f'{r.code} {r.residents:,}' for r in loaded)}"
                  f" in {time.perf_counter() - started:.0f} s")
    shares = {r.code: r.residents / sum(x.residents for x in loaded) for r in loaded}
    mix = model.mix()
    needed = _movable_needed(rates, seconds, warm, mix["relocation"] + mix["move_out"])
    owner = await asyncpg.connect(asyncpg_dsn(platform.database("residents")))
    try:
        households: dict[str, list[str]] = {}
        movable: dict[str, list[str]] = {}
        for code in TOWNS:
            moves = max(100, int(needed * shares[code]))
            picked = await _households(owner, code, READ_HOUSEHOLDS + moves)
            movable[code], households[code] = picked[:moves], picked[moves:]
    finally:
        await owner.close()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session, \
            httpx.AsyncClient(base_url=platform.gateway, timeout=60) as client:
        towns = {code: Town(platform, session, code) for code in TOWNS}
        for town in towns.values():
            await town.login()
        await asyncio.gather(*(t.register(CERTIFICATE_RESIDENTS) for t in towns.values()))
        tax = await _taxes(client, towns[NAGAOKA])
        console.print(f"setup done in {time.perf_counter() - started:.0f} s")
        pools = Pools({r.code: [str(i) for i in r.sample_ids] for r in loaded}, households,
                      movable, {c: t.residents for c, t in towns.items()}, tax.taxpayers)
        counters = Counters(platform.gateway, session, towns, tax.tax.token, pools,
                            random.Random(20261207), datetime.now(JST).date())
        processes = {n: p["pid"] for n, p in platform.state()["processes"].items() if p["pid"]}
        idle = await _idle(processes)
        warm_up = await _step(counters, rates[0], warm, shares, processes)
        if warm_up["errors"]:
            console.print(f"[yellow]warm-up errors: {warm_up['first_errors']}[/]")
        steps: list[dict[str, Any]] = []
        failed_in_a_row = 0
        for rate in rates:
            if time.monotonic() + seconds + 10 > deadline:
                console.print(f"[yellow]time limit near: stopped before {rate}/s[/]")
                break
            step = await _step(counters, rate, seconds, shares, processes)
            step["passed"] = model.passes(step)
            steps.append(step)
            console.print(_line(step))
            failed_in_a_row = 0 if step["passed"] else failed_in_a_row + 1
            if failed_in_a_row >= FAILED_STEPS_TO_STOP:
                break
    return _result(steps, warm_up, idle, plan, shares, quick)


async def _idle(processes: dict[str, int]) -> float:
    """The platform's cores used with no requests (pollers, consumers, the broker)."""
    watch = Watch(processes)
    started = time.perf_counter()
    await asyncio.sleep(IDLE_SECONDS)
    cpu: dict[str, float] = watch.stop()["cpu_seconds"]
    used = sum(s for n, s in cpu.items() if not n.startswith("bench"))
    return used / (time.perf_counter() - started)


def _by_cpu(steps: list[dict[str, Any]], idle_cores: float, cores: int,
            per_inhabitant: float) -> dict[str, Any]:
    """What the platform's CPU per request says, whatever the other load did to latency:
    from the capacity step, else the busiest step without errors, else the first."""
    clean = [s for s in steps if s["errors"] == 0 and s["ok"]]
    step = (model.capacity_step(steps)
            or (max(clean, key=lambda s: s["achieved_per_s"]) if clean else None)
            or (steps[0] if steps else None))
    if step is None or not step["ok"]:
        return {}
    seconds, ok = step["seconds"], step["ok"]
    platform_cpu = step["platform_cores"] * seconds
    gross = platform_cpu / ok  # CPU seconds per request, the platform's idle work included
    net = max(1e-9, platform_cpu - idle_cores * seconds) / ok
    per_busy_core = 1 / gross  # requests per second one core of the platform's CPU answers
    return {"step_per_s": step["rate_per_s"], "idle_cores": idle_cores,
            "cpu_ms_per_request": platform_cpu * 1000 / ok, "net_cpu_ms_per_request": net * 1000,
            "requests_per_busy_core_s": per_busy_core,
            "inhabitants_per_busy_core": per_busy_core / per_inhabitant,
            "ceiling_per_s_if_alone": max(0.0, cores - idle_cores) / net}


def _line(step: dict[str, Any]) -> str:
    return (f"  {step['rate_per_s']:>4}/s: achieved {step['achieved_per_s']:.1f}/s, p50 "
            f"{step['p50_ms']:.0f} p99 {step['p99_ms']:.0f} ms, errors {step['errors']}, "
            f"platform {step['platform_cores']:.2f} cores, machine "
            f"{step['machine_busy_pct']:.0f} % busy ({step['other_load_pct']:.0f} % others)"
            f" {'✓' if step['passed'] else '✗'}")


def _result(steps: list[dict[str, Any]], warm_up: dict[str, Any], idle_cores: float,
            plan: list[tuple[str, int]], shares: dict[str, float], quick: bool
            ) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    per_inhabitant = model.peak_requests_per_second_per_inhabitant()
    best = model.capacity_step(steps)
    served: dict[str, Any] = {}
    if best is not None:
        rate = best["achieved_per_s"]
        served = {"capacity_per_s": rate, "offered_per_s": best["rate_per_s"],
                  "p99_ms": best["p99_ms"], "cores": cores,
                  **model.inhabitants_served(rate, cores, per_inhabitant),
                  "platform_cores_used": best["platform_cores"],
                  "per_platform_core": model.inhabitants_served(
                      rate, best["platform_cores"], per_inhabitant)["per_core"],
                  "per_core_at_published_sizing": model.inhabitants_served(
                      rate, cores, model.PUBLISHED_PEAK_PER_100K / 100_000)["per_core"],
                  "machine_busy_pct": best["machine_busy_pct"],
                  "other_load_pct": best["other_load_pct"]}
    return {
        "quick": quick, "registers": dict(plan), "town_shares": shares,
        "p99_limit_ms": model.P99_LIMIT_MS,
        "model": {
            "mix": model.mix(),
            "requests_per_inhabitant_year_at_march_rate":
                model.requests_per_inhabitant_year(),
            "peak_requests_per_s_per_100k_inhabitants": per_inhabitant * 100_000,
            "march_factor_moves": model.MARCH_FACTOR, "within_ratio": model.WITHIN_RATIO,
            "counter_days": model.COUNTER_DAYS, "counter_hours": model.COUNTER_HOURS,
            "peak_day_factor": model.PEAK_DAY_FACTOR,
            "peak_hour_factor": model.PEAK_HOUR_FACTOR,
            "transactions": [{"name": t.name, "per_inhabitant_year": t.per_inhabitant_year,
                              "march_factor": t.march_factor, "requests": dict(t.requests),
                              "source": t.source} for t in model.TRANSACTIONS],
        },
        "warm_up": {k: warm_up[k] for k in ("rate_per_s", "ok", "errors", "first_errors")},
        "steps": steps, "capacity": served,
        "by_cpu": _by_cpu(steps, idle_cores, cores, per_inhabitant),
    }


def _tables(result: dict[str, Any]) -> list[Table]:
    steps = Table(title="Mixed counter workload through the gateway, open loop: per step")
    for column in ("offered /s", "achieved /s", "p50 ms", "p95 ms", "p99 ms", "errors",
                   "platform cores", "bench cores", "machine busy %", "others %",
                   f"p99 ≤ {model.P99_LIMIT_MS:.0f}, no error"):
        steps.add_column(column, justify="right")
    for s in result["steps"]:
        bench = sum(v for k, v in s["cpu_cores"].items() if k.startswith("bench"))
        steps.add_row(f"{s['rate_per_s']}", f"{s['achieved_per_s']:.1f}", f"{s['p50_ms']:.0f}",
                      f"{s['p95_ms']:.0f}", f"{s['p99_ms']:.0f}", f"{s['errors']}",
                      f"{s['platform_cores']:.2f}", f"{bench:.2f}",
                      f"{s['machine_busy_pct']:.0f}", f"{s['other_load_pct']:.0f}",
                      "✓" if s["passed"] else "✗")
    kinds = Table(title="p50 / p99 ms per kind and step (share of requests)")
    kinds.add_column("kind")
    for s in result["steps"]:
        kinds.add_column(f"{s['rate_per_s']}/s", justify="right")
    for kind, label in model.KINDS.items():
        cells = []
        for s in result["steps"]:
            k = s["kinds"][kind]
            cells.append("–" if not k["n"] else
                         f"{k['p50']:.0f} / {k['p99']:.0f}" + (f" [red]{k['errors']}✗[/]"
                                                             if k["errors"] else ""))
        kinds.add_row(f"{label} ({result['model']['mix'][kind] * 100:.1f} %)", *cells)
    cpu = Table(title="CPU per request at each step, ms (all processes)")
    cpu.add_column("process")
    for s in result["steps"]:
        cpu.add_column(f"{s['rate_per_s']}/s", justify="right")
    names = sorted({n for s in result["steps"] for n in s["cpu_ms_per_request"]})
    for name in names:
        cpu.add_row(name, *(f"{s['cpu_ms_per_request'].get(name, math.nan):.2f}"
                            for s in result["steps"]))
    return [steps, kinds, cpu]


def _summary(result: dict[str, Any]) -> str:
    m = result["model"]
    peak = m["peak_requests_per_s_per_100k_inhabitants"]
    c, b = result["capacity"], result["by_cpu"]
    cpu = (f"; by CPU (step {b['step_per_s']}/s): {b['cpu_ms_per_request']:.1f} ms of the "
           f"platform's CPU per request, its idle work included ({b['net_cpu_ms_per_request']:.1f}"
           f" over its idle {b['idle_cores']:.2f} cores) → "
           f"{b['inhabitants_per_busy_core']:,.0f} inhabitants per busy core; "
           f"{b['ceiling_per_s_if_alone']:.0f} requests/s if the platform had the machine"
           if b else "")
    if not c:
        return (f"no step held p99 ≤ {model.P99_LIMIT_MS:.0f} ms without errors; the peak "
                f"hour asks {peak:.3f} requests/s per 100,000 inhabitants{cpu}")
    return (f"capacity {c['capacity_per_s']:.1f} requests/s (step {c['offered_per_s']}/s, p99 "
            f"{c['p99_ms']:.0f} ms); the March–April peak hour asks {peak:.3f} requests/s per "
            f"100,000 inhabitants → {c['inhabitants']:,.0f} inhabitants, "
            f"{c['per_core']:,.0f} per core of the machine's {c['cores']}, "
            f"{c['per_platform_core']:,.0f} per core the platform used "
            f"({c['platform_cores_used']:.2f}); at the published sizing of "
            f"{model.PUBLISHED_PEAK_PER_100K:.0f}/s per 100,000: "
            f"{c['per_core_at_published_sizing']:,.0f} per core; machine "
            f"{c['machine_busy_pct']:.0f} % busy, {c['other_load_pct']:.0f} % of it others{cpu}")


def _run_loop(coroutine: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main(quick: bool = False) -> dict[str, Any]:
    limit = QUICK_TIME_LIMIT if quick else TIME_LIMIT
    with running_platform() as platform:
        console.print(f"platform ready in {platform.startup_seconds:.0f} s")
        deadline = time.monotonic() + limit - STOP_RESERVE
        result = _run_loop(_run(platform, quick, deadline))
    for table in _tables(result):
        console.print(table)
    console.print(_summary(result))
    path = write_results(NAME, result)
    console.print(f"written to {path}")
    return result

if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
