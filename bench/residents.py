"""Residents: lookups and kana-prefix searches on a 1,000,000-resident register beside a
10,000-resident one, and move-in registrations with their events, through the gateway.

Targets (docs/PERFORMANCE.md): lookup by id and kana-prefix search on 1,000,000 residents,
through the gateway, p50 ≤ 20 ms and ≤ 1.3× the same on 10,000 residents; move-in
registrations with their events ≥ 300 per second.

The launcher starts the whole platform on loopback; a synthetic register (bench/_register_data.py,
deterministic) is bulk-loaded with COPY as the database owner: 1,000,000 residents in Nagaoka
(152021) and 10,000 in Mitsuke (152111), in the same tables, then VACUUM ANALYZE. Load rates are
reported. Then, in every run, side by side:

* through the gateway, for each municipality: GET by id (random ids of the register), search by
  a 2-character kana prefix of common family names (ヤマ) and by a 3-character one (ヤマダ),
  page_size 20: latencies at 1 connection, and throughput (with latencies) at 16 connections.
  Each read writes its access-log rows, as the service does (a search: one per hit);
* the database alone, as the service's role with its tenant set (row-level security on): the
  endpoint's query by itself, and all the statements the endpoint runs in its transaction
  (set_config, the query, the 支援措置 check, the access-log inserts, commit) as round trips
  from asyncpg: the cost of the database beside that of the HTTP stack. For the searches also
  the query as it could be written (``starts_with`` and the municipality named), with the
  endpoint's statements around it, and with the page's access-log entries in one INSERT; the
  COMMIT's share (every read writes the access log, so it waits for the WAL flush); and the
  EXPLAIN ANALYZE plans (first run). SQLAlchemy compiles the statements beforehand: only the
  round trips are timed;
* move-in registrations (POST …/move-ins, a new household each) at 16 connections for ~10 s
  into each municipality: 201s per second, and the events the relay published in the window
  (queued at its start + written in it − queued at its end); CPU per registration of each
  platform process (/proc), also net of what the process uses idle (measured just before;
  the residents worker may still be sealing the access log of the lookups then, so its "net"
  figure is a lower bound).

Before the runs, reads of the generated register check that it reads as the service's own
(a resident and a household now and as of their first day, 404 the day before), and a search
by family and given name is tried. The machine is shared: its busy share and the part of it
not from this benchmark are reported per phase. Bounded: ~10 minutes in all (runs that would
not fit are skipped). ``KYODO_BENCH_RESIDENTS=200000`` loads another size for the large
register (the target is judged at 1,000,000 only); ``--quick`` loads 100,000, with fewer and
shorter runs.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import aiohttp
import asyncpg
import sqlalchemy as sa
from rich.console import Console
from rich.table import Table
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql.compiler import SQLCompiler

from bench._cpu import cpu_seconds, machine_seconds, used_between
from bench._platform import RunningPlatform, running_platform
from bench._register_data import (
    FAMILY_NAMES,
    FEMALE_NAMES,
    MALE_NAMES,
    PLACES,
    PREVIOUS_ADDRESSES,
    LoadResult,
    load,
)
from bench._report import distribution, fmt, summarise, write_results
from kyodo_common.audit import access_log
from kyodo_common.db import asyncpg_dsn
from kyodo_residents.adapters.tables import protection_measures, residents

NAME = "residents"
TARGET_P50_MS = 20.0
TARGET_RATIO = 1.3
TARGET_MOVE_INS_PER_S = 300.0
TARGET_SIZE = 1_000_000
LARGE_CODE, SMALL_CODE = "152021", "152111"  # 長岡市, 見附市
SMALL_SIZE = 10_000
CONCURRENCY = 16
PAGE_SIZE = 20
PURPOSE = "identity-check"
PREFIXES = {"search2": "ヤマ", "search3": "ヤマダ"}
OPERATIONS = {"get": "GET by id", "search2": "search ヤマ (2 kana)",
              "search3": "search ヤマダ (3 kana)"}
TIME_LIMIT_SECONDS = 600  # the whole benchmark, platform start and stop included
STOP_RESERVE_SECONDS = 45
LOAD_LIMIT_SECONDS = 240
JST = timezone(timedelta(hours=9))
APP_ROLE = "kyodo_residents_app"

console = Console() if sys.stdout.isatty() else Console(width=180)


@dataclass(frozen=True)
class Config:
    large_size: int
    runs: int
    latency_seconds: float  # per operation and municipality, at 1 connection
    latency_max_requests: int
    throughput_seconds: float  # per operation and municipality, at CONCURRENCY
    move_in_seconds: float  # per municipality
    db_seconds: float  # per reference query and municipality
    idle_seconds: float  # the platform's CPU with no requests, once per run
    quick: bool


def _config(quick: bool) -> Config:
    size = int(os.environ.get("KYODO_BENCH_RESIDENTS", "100000" if quick else str(TARGET_SIZE)))
    if quick:
        return Config(size, 2, 1.5, 300, 2.0, 4.0, 0.5, 1.0, True)
    return Config(size, 3, 3.0, 1000, 4.0, 10.0, 1.0, 2.0, False)


# ------------------------------------------------------------------------------------------
# Load generation: one closed loop per connection, bounded in time and count.


@dataclass
class Phase:
    latencies_ms: list[float] = field(default_factory=list)
    ok: int = 0
    failed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def failure(self, text: str, status: int | None = None) -> None:
        self.failed += 1
        key = str(status) if status is not None else "error"
        self.statuses[key] = self.statuses.get(key, 0) + 1
        if len(self.errors) < 5:
            self.errors.append(text)

    def figures(self) -> dict[str, Any]:
        return {"latency_ms": distribution(self.latencies_ms), "ok": self.ok,
                "failed": self.failed,
                "per_s": self.ok / self.seconds if self.seconds else math.nan}


Request = Callable[[aiohttp.ClientSession, random.Random], Awaitable[tuple[int, bytes]]]


async def _closed_loop(session: aiohttp.ClientSession, request: Request, *, connections: int,
                       seconds: float, max_requests: int | None = None,
                       expect: int = 200, seed: int = 0) -> Phase:
    """``connections`` workers, each sending its next request when the last one answered,
    until ``seconds`` passed (or ``max_requests`` were sent). Only ``expect`` counts as done."""
    phase = Phase()
    sent = 0
    deadline = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + n)
        while time.perf_counter() < deadline and (max_requests is None or sent < max_requests):
            sent += 1
            t0 = time.perf_counter()
            try:
                status, body = await request(session, rng)
            except (aiohttp.ClientError, TimeoutError) as exc:
                phase.failure(f"{type(exc).__name__}: {exc}")
                continue
            if status == expect:
                phase.latencies_ms.append((time.perf_counter() - t0) * 1000)
                phase.ok += 1
            else:
                phase.failure(f"{status}: {body[:200].decode(errors='replace')}", status)

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    phase.seconds = time.perf_counter() - started
    return phase


@dataclass
class Tenant:
    code: str
    size: int
    sample_ids: list[uuid.UUID]
    token: str = ""

    @property
    def base(self) -> str:
        return f"/v1/municipalities/{self.code}/residents"


async def _login(session: aiohttp.ClientSession, gateway: str, code: str) -> str:
    form = {"grant_type": "password", "municipality_code": code, "username": "clerk",
            "password": "kyodo-clerk"}
    async with session.post(f"{gateway}/v1/auth/token", data=form) as response:
        response.raise_for_status()
        token: str = (await response.json())["access_token"]
        return token


def _reader(gateway: str, tenant: Tenant, operation: str) -> Request:
    headers = {"Authorization": f"Bearer {tenant.token}", "X-Kyodo-Purpose": PURPOSE}
    if operation == "get":
        ids = tenant.sample_ids

        async def get(session: aiohttp.ClientSession, rng: random.Random) -> tuple[int, bytes]:
            url = f"{gateway}{tenant.base}/{rng.choice(ids)}"
            async with session.get(url, headers=headers) as response:
                return response.status, await response.read()
        return get
    body = {"kana_prefix": PREFIXES[operation], "limit": PAGE_SIZE}
    url = f"{gateway}{tenant.base}/search"

    async def search(session: aiohttp.ClientSession, rng: random.Random) -> tuple[int, bytes]:
        async with session.post(url, json=body, headers=headers) as response:
            return response.status, await response.read()
    return search


def _move_in_body(rng: random.Random, code: str, today: date) -> dict[str, Any]:
    sex = rng.choice(("male", "female"))
    family = rng.choice(FAMILY_NAMES)
    given = rng.choice(MALE_NAMES if sex == "male" else FEMALE_NAMES)
    town, postal = rng.choice(PLACES[code].towns)
    birth = date.fromordinal(rng.randint(date(1940, 1, 1).toordinal(),
                                         date(2005, 12, 31).toordinal()))
    return {
        "kind": "domestic", "effective_date": today.isoformat(),
        "person": {"family_name": family[0], "given_name": given[0],
                   "family_name_kana": family[1], "given_name_kana": given[1], "sex": sex,
                   "birth_date": birth.isoformat()},
        "household": {"new_household": {
            "postal_code": f"{postal[:3]}-{postal[3:]}",
            "address": f"{PLACES[code].prefix}{town}{rng.randint(1, 5)}丁目"
                       f"{rng.randint(1, 30)}番{rng.randint(1, 25)}号"}},
        "previous_address": rng.choice(PREVIOUS_ADDRESSES),
    }


def _mover(gateway: str, tenant: Tenant) -> Request:
    url = f"{gateway}{tenant.base}/move-ins"
    auth = f"Bearer {tenant.token}"
    today = datetime.now(JST).date()

    async def move_in(session: aiohttp.ClientSession, rng: random.Random) -> tuple[int, bytes]:
        headers = {"Authorization": auth, "Idempotency-Key": uuid.uuid4().hex}
        async with session.post(url, json=_move_in_body(rng, tenant.code, today),
                                headers=headers) as response:
            return response.status, await response.read()
    return move_in


# ------------------------------------------------------------------------------------------
# The database alone: the endpoint's statements, as the service's role (row-level security).

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


def _sql(statement: sa.ClauseElement) -> tuple[str, list[Any]]:
    """The SQL and positional arguments SQLAlchemy's asyncpg dialect sends for a statement."""
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
    assert isinstance(compiled, SQLCompiler)
    params = compiled.construct_params()
    return str(compiled), [params[name] for name in compiled.positiontup or ()]


def _search_statement(prefix: str, code: str) -> sa.Select[Any]:
    """As kyodo_residents.api.queries.search builds it: the municipality named in the query and
    ``starts_with`` (leakproof, unlike LIKE), so that row-level security leaves the
    (municipality_code, kana_full, id) index to it."""
    return (sa.select(residents)
            .where(residents.c.municipality_code == code,
                   sa.func.starts_with(residents.c.kana_full, prefix),
                   residents.c.status == "resident")
            .order_by(residents.c.kana_full, residents.c.id).limit(PAGE_SIZE + 1))


def _earlier_search_statement(prefix: str) -> sa.Select[Any]:
    """The search as the service first built it (LIKE, the municipality left to the policy):
    kept side by side to show what it costs on a large register."""
    return (sa.select(residents)
            .where(residents.c.kana_full.like(prefix.replace("_", "\\_") + "%"),
                   residents.c.status == "resident")
            .order_by(residents.c.kana_full, residents.c.id).limit(PAGE_SIZE + 1))


def _get_statement(resident_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(residents).where(residents.c.id == resident_id)


def _protection_statement(ids: list[uuid.UUID], today: date) -> sa.Select[Any]:
    return sa.select(protection_measures.c.resident_id).where(
        protection_measures.c.resident_id.in_(ids), protection_measures.c.starts_on <= today,
        protection_measures.c.ends_on >= today)


def _access_statement(code: str, resident_id: uuid.UUID, fields: list[str]) -> sa.Insert:
    return sa.insert(access_log).values(
        municipality_code=code, occurred_at=datetime.now(UTC), actor="bench-reference",
        actor_home=code, acting_municipality=code, purpose=PURPOSE, action="read",
        subject_type="resident", subject_id=str(resident_id), fields=fields, trace_id=None,
        grant_id=None)


def _access_rows_statement(code: str, ids: list[uuid.UUID], fields: list[str]) -> sa.Insert:
    """The access-log entries of a whole page in one INSERT (a proposal, not what runs)."""
    now = datetime.now(UTC)
    return sa.insert(access_log).values([{
        "municipality_code": code, "occurred_at": now, "actor": "bench-reference",
        "actor_home": code, "acting_municipality": code, "purpose": PURPOSE, "action": "read",
        "subject_type": "resident", "subject_id": str(resident_id), "fields": fields,
        "trace_id": None, "grant_id": None} for resident_id in ids])


class _Compiled:
    """The SQL of the reference's statements, compiled once per row count (SQLAlchemy's
    compilation is the client's cost, not the database's: it stays out of the timings)."""

    def __init__(self) -> None:
        self._sql: dict[tuple[str, int], str] = {}

    def _cached(self, key: tuple[str, int], build: Callable[[], sa.ClauseElement],
                args: list[Any]) -> tuple[str, list[Any]]:
        sql = self._sql.get(key)
        if sql is None:
            sql, expected = _sql(build())
            def same(a: Any, b: Any) -> bool:  # the access log's timestamps are taken apart
                return type(a) is type(b) and (isinstance(a, datetime) or a == b)
            if len(expected) != len(args) or not all(map(same, expected, args)):
                raise AssertionError(f"arguments of {key} differ: {expected} vs {args}")
            self._sql[key] = sql
        return sql, args

    def protection(self, ids: list[uuid.UUID], today: date) -> tuple[str, list[Any]]:
        return self._cached(("protection", len(ids)),
                            lambda: _protection_statement(ids, today), [today, today, *ids])

    @staticmethod
    def _entry(code: str, resident_id: uuid.UUID, now: datetime,
               fields: list[str]) -> list[Any]:
        return [code, now, "bench-reference", code, code, PURPOSE, "read", "resident",
                str(resident_id), fields, None, None]

    def access(self, code: str, resident_id: uuid.UUID,
               fields: list[str]) -> tuple[str, list[Any]]:
        now = datetime.now(UTC)
        return self._cached(("access", 1), lambda: _access_statement(code, resident_id, fields),
                            self._entry(code, resident_id, now, fields))

    def access_rows(self, code: str, ids: list[uuid.UUID],
                    fields: list[str]) -> tuple[str, list[Any]]:
        now = datetime.now(UTC)
        return self._cached(("access_rows", len(ids)),
                            lambda: _access_rows_statement(code, ids, fields),
                            [a for i in ids for a in self._entry(code, i, now, fields)])


class DatabaseReference:
    """One connection as the owner, switched to the service's role (RLS applies to it)."""

    def __init__(self, url: str) -> None:
        self._dsn = asyncpg_dsn(url)
        self.conn: asyncpg.Connection | None = None
        self._compiled = _Compiled()

    async def __aenter__(self) -> DatabaseReference:
        self.conn = await asyncpg.connect(self._dsn)
        await self.conn.execute(f"SET ROLE {APP_ROLE}")
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.conn is not None:
            await self.conn.close()

    def _query(self, tenant: Tenant, operation: str, rng: random.Random,
               earlier: bool = False) -> tuple[str, list[Any]]:
        if operation == "get":
            return _sql(_get_statement(rng.choice(tenant.sample_ids)))
        if earlier:
            return _sql(_earlier_search_statement(PREFIXES[operation]))
        return _sql(_search_statement(PREFIXES[operation], tenant.code))

    async def query_alone(self, tenant: Tenant, operation: str, seconds: float,
                          earlier: bool = False) -> list[float]:
        """Round trips of the endpoint's query alone, in a transaction with the tenant set."""
        assert self.conn is not None
        rng = random.Random(7)
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        async with self.conn.transaction():
            await self.conn.execute("SELECT set_config('kyodo.municipality', $1, true)",
                                    tenant.code)
            while time.perf_counter() < deadline or len(times) < 3:
                sql, args = self._query(tenant, operation, rng, earlier)
                t0 = time.perf_counter()
                await self.conn.fetch(sql, *args)
                times.append((time.perf_counter() - t0) * 1000)
                if len(times) >= 2000:
                    break
        return times

    async def endpoint(self, tenant: Tenant, operation: str, seconds: float,
                       earlier: bool = False,
                       one_log_insert: bool = False) -> tuple[list[float], list[float]]:
        """All the statements the endpoint runs in its transaction, as round trips (with
        ``one_log_insert``, the access-log entries in one INSERT instead of one each).
        Returns the transactions' times and, of them, their COMMITs' (the WAL flush: the
        access-log entries make every read a writing transaction)."""
        assert self.conn is not None
        rng = random.Random(11)
        times: list[float] = []
        commits: list[float] = []
        deadline = time.perf_counter() + seconds
        today = datetime.now(JST).date()
        fields = ["register"] if operation == "get" else ["search"]
        while time.perf_counter() < deadline or len(times) < 3:
            sql, args = self._query(tenant, operation, rng, earlier)
            t0 = time.perf_counter()
            transaction = self.conn.transaction()
            await transaction.start()
            try:
                await self.conn.execute("SELECT set_config('kyodo.municipality', $1, true)",
                                        tenant.code)
                rows = await self.conn.fetch(sql, *args)
                ids = [r["id"] for r in rows[:PAGE_SIZE]]
                if ids:
                    await self.conn.fetch(*_unpack(self._compiled.protection(ids, today)))
                if one_log_insert and ids:
                    await self.conn.execute(*_unpack(self._compiled.access_rows(
                        tenant.code, ids, fields)))
                else:
                    for resident_id in ids:
                        await self.conn.execute(*_unpack(self._compiled.access(
                            tenant.code, resident_id, fields)))
            except BaseException:
                await transaction.rollback()
                raise
            t_commit = time.perf_counter()
            await transaction.commit()
            done = time.perf_counter()
            times.append((done - t0) * 1000)
            commits.append((done - t_commit) * 1000)
            if len(times) >= 2000:
                break
        return times, commits

    async def explain(self, tenant: Tenant, operation: str, earlier: bool = False) -> str:
        assert self.conn is not None
        sql, args = self._query(tenant, operation, random.Random(3), earlier)
        async with self.conn.transaction():
            await self.conn.execute("SELECT set_config('kyodo.municipality', $1, true)",
                                    tenant.code)
            rows = await self.conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
        return "\n".join(r[0] for r in rows)


def _unpack(statement: tuple[str, list[Any]]) -> tuple[Any, ...]:
    sql, args = statement
    return (sql, *args)


def _plan_summary(plan: str) -> dict[str, Any]:
    lines = plan.splitlines()
    scans = [line.strip().split("  (")[0].lstrip("-> ").strip() for line in lines
             if " Scan" in line and "->" in line]
    removed = sum(int(line.split(":")[1].split()[0]) for line in lines
                  if "Rows Removed by Filter" in line)
    execution = next((float(line.split(":")[1].split()[0]) for line in lines
                      if line.startswith("Execution Time")), math.nan)
    index_conditions = [line.strip() for line in lines if "Index Cond" in line]
    return {"scans": scans, "rows_removed_by_filter": removed,
            "execution_ms": execution, "index_conditions": index_conditions}


# ------------------------------------------------------------------------------------------
# Measuring


class Watch:
    """CPU of the platform's processes and of the bench, and the machine's busy share."""

    def __init__(self, processes: dict[str, int]) -> None:
        self._processes = processes
        self._cpu = cpu_seconds(processes)
        self._bench = time.process_time()
        self._machine = machine_seconds()

    def stop(self) -> dict[str, Any]:
        cpu = used_between(self._cpu, cpu_seconds(self._processes))
        cpu["bench (load generator)"] = time.process_time() - self._bench
        busy, steal, total = (b - a for a, b in zip(self._machine, machine_seconds(),
                                                    strict=True))
        ours = sum(cpu.values())
        return {"cpu_seconds": cpu,
                "machine_busy_pct": busy / total * 100 if total else math.nan,
                "other_load_pct": max(0.0, busy - ours) / total * 100 if total else math.nan,
                "steal_pct": steal / total * 100 if total else math.nan}


@dataclass
class Context:
    platform: RunningPlatform
    session: aiohttp.ClientSession
    tenants: dict[str, Tenant]  # "large", "small"
    config: Config
    processes: dict[str, int]
    owner: asyncpg.Connection
    reference: DatabaseReference
    plans: dict[str, Any] = field(default_factory=dict)
    correctness: dict[str, Any] = field(default_factory=dict)


async def _lookups(ctx: Context, run: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    order = ["large", "small"] if run % 2 else ["small", "large"]
    for operation in OPERATIONS:
        per: dict[str, Any] = {}
        for which in order:
            tenant = ctx.tenants[which]
            request = _reader(ctx.platform.gateway, tenant, operation)
            single = await _closed_loop(ctx.session, request, connections=1,
                                        seconds=ctx.config.latency_seconds,
                                        max_requests=ctx.config.latency_max_requests,
                                        seed=run)
            sessions = await _sessions(ctx.owner)
            watch = Watch(ctx.processes)
            loaded = await _closed_loop(ctx.session, request, connections=CONCURRENCY,
                                        seconds=ctx.config.throughput_seconds, seed=run + 100)
            load_figures = watch.stop()
            load_figures["db_connections_opened_per_100_requests"] = (
                (await _sessions(ctx.owner) - sessions) * 100 / max(1, loaded.ok))
            cpu = load_figures.pop("cpu_seconds")
            per[which] = {
                "one_connection": single.figures(),
                "concurrent": {**loaded.figures(), **load_figures,
                               "cpu_ms_per_request": {
                                   name: s * 1000 / max(1, loaded.ok) for name, s in
                                   cpu.items()}},
                "errors": single.errors + loaded.errors,
                "db_query_alone_ms": distribution(await ctx.reference.query_alone(
                    tenant, operation, ctx.config.db_seconds)),
            }
            times, commits = await ctx.reference.endpoint(tenant, operation,
                                                          ctx.config.db_seconds)
            per[which]["db_endpoint_statements_ms"] = distribution(times)
            per[which]["db_endpoint_commit_ms"] = distribution(commits)
            if operation != "get":
                per[which]["db_earlier_query_ms"] = distribution(
                    await ctx.reference.query_alone(tenant, operation, ctx.config.db_seconds,
                                                    earlier=True))
                times, _ = await ctx.reference.endpoint(tenant, operation,
                                                        ctx.config.db_seconds,
                                                        one_log_insert=True)
                per[which]["db_endpoint_one_log_insert_ms"] = distribution(times)
            if run == 1 and operation != "get":
                current = await ctx.reference.explain(tenant, operation)
                earlier = await ctx.reference.explain(tenant, operation, earlier=True)
                ctx.plans[f"{operation} {tenant.code}"] = {
                    "current": {"plan": current, **_plan_summary(current)},
                    "earlier": {"plan": earlier, **_plan_summary(earlier)}}
            for error in per[which]["errors"][:2]:
                console.print(f"  [red]{OPERATIONS[operation]} {tenant.code}: {error}[/]")
        large, small = per["large"], per["small"]
        per["ratios"] = {
            "p50_1conn": large["one_connection"]["latency_ms"]["p50"]
            / small["one_connection"]["latency_ms"]["p50"],
            "throughput": large["concurrent"]["per_s"] / small["concurrent"]["per_s"],
        }
        figures[operation] = per
        console.print(
            f"  {OPERATIONS[operation]}: p50 {large['one_connection']['latency_ms']['p50']:.1f}"
            f" ms vs {small['one_connection']['latency_ms']['p50']:.1f} ms "
            f"({per['ratios']['p50_1conn']:.2f}×); {large['concurrent']['per_s']:.0f} vs "
            f"{small['concurrent']['per_s']:.0f} req/s at {CONCURRENCY}; database "
            f"{large['db_endpoint_statements_ms']['p50']:.1f} vs "
            f"{small['db_endpoint_statements_ms']['p50']:.1f} ms")
    return figures


async def _sessions(conn: asyncpg.Connection) -> int:
    """Connections opened to the residents database so far (a pool that churns opens many)."""
    opened: int = await conn.fetchval(
        "SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
    return opened


async def _db_now(conn: asyncpg.Connection) -> datetime:
    now: datetime = await conn.fetchval("SELECT clock_timestamp()")
    return now


async def _idle(ctx: Context, seconds: float) -> dict[str, Any]:
    """What the platform's processes use with no requests (pollers, sealer, consumers'
    fetches): CPU ms per second, to take out of the CPU per registration."""
    watch = Watch(ctx.processes)
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - started
    figures = watch.stop()
    cpu = figures.pop("cpu_seconds")
    cpu.pop("bench (load generator)", None)
    return {"cpu_ms_per_s": {name: s * 1000 / elapsed for name, s in cpu.items()},
            **figures}


async def _move_ins(ctx: Context, run: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    order = ["large", "small"] if run % 2 else ["small", "large"]
    idle = await _idle(ctx, ctx.config.idle_seconds)
    figures["idle"] = idle
    for which in order:
        tenant = ctx.tenants[which]
        sessions = await _sessions(ctx.owner)
        watch = Watch(ctx.processes)
        queued_at_start = await _queued(ctx.owner)
        start = await _db_now(ctx.owner)
        phase = await _closed_loop(ctx.session, _mover(ctx.platform.gateway, tenant),
                                   connections=CONCURRENCY, seconds=ctx.config.move_in_seconds,
                                   expect=201, seed=run * 10 + len(figures))
        end = await _db_now(ctx.owner)
        load_figures = watch.stop()
        cpu = load_figures.pop("cpu_seconds")
        window = (end - start).total_seconds()
        queued_at_end = await _queued(ctx.owner)
        written: int = await ctx.owner.fetchval(
            "SELECT count(*) FROM outbox WHERE created_at >= $1 AND created_at < $2", start, end)
        published = queued_at_start + written - queued_at_end
        drained = await _drain(ctx.owner, start, end, limit=10.0)
        figures[which] = {
            **phase.figures(), **load_figures,
            "statuses": ", ".join(f"{k}: {v}" for k, v in sorted(phase.statuses.items())),
            "errors": phase.errors,
            "events_published_in_window": published,
            "events_published_per_s": published / window if window else math.nan,
            "events_written_in_window": drained["written"],
            "events_unpublished_after_drain": drained["unpublished"],
            "drain_seconds": drained["seconds"],
            "db_connections_opened_per_100_requests":
                (await _sessions(ctx.owner) - sessions) * 100 / max(1, phase.ok),
            "cpu_ms_per_registration": {name: s * 1000 / max(1, phase.ok)
                                        for name, s in cpu.items()},
            # The same, less what the process uses when idle (over the phase's length).
            "cpu_ms_per_registration_net_of_idle": {
                name: max(0.0, s - idle["cpu_ms_per_s"].get(name, 0.0) / 1000 * phase.seconds)
                * 1000 / max(1, phase.ok) for name, s in cpu.items()},
        }
        f = figures[which]
        console.print(
            f"  move-ins {tenant.code}: {f['per_s']:.0f}/s ({f['ok']} × 201, {f['failed']} "
            f"failed), p50 {f['latency_ms']['p50']:.1f} ms; events published in the window "
            f"{published} ({f['events_published_per_s']:.0f}/s), {drained['unpublished']} "
            f"unpublished after {drained['seconds']:.1f} s; machine "
            f"{f['machine_busy_pct']:.0f} % busy, {f['other_load_pct']:.0f} % by others")
        for error in phase.errors[:2]:
            console.print(f"  [red]{error}[/]")
    figures["ratios"] = {"rate": figures["large"]["per_s"] / figures["small"]["per_s"]}
    return figures


async def _queued(conn: asyncpg.Connection) -> int:
    """Events not published yet."""
    count: int = await conn.fetchval("SELECT count(*) FROM outbox_pending")
    return count


async def _drain(conn: asyncpg.Connection, start: datetime, end: datetime,
                 limit: float) -> dict[str, Any]:
    """The window's events: written, and still unpublished after at most ``limit`` s."""
    started = time.perf_counter()
    while True:
        row = await conn.fetchrow(
            "SELECT count(*) AS written, count(p.id) AS unpublished FROM outbox AS o "
            "LEFT JOIN outbox_pending AS p USING (id) "
            "WHERE o.created_at >= $1 AND o.created_at < $2", start, end)
        if row["unpublished"] == 0 or time.perf_counter() - started > limit:
            return {"written": row["written"], "unpublished": row["unpublished"],
                    "seconds": time.perf_counter() - started}
        await asyncio.sleep(0.2)


async def _checks(ctx: Context) -> None:
    """The generated register reads as the service's own: a resident and a household now and
    as of their first day (history rows), none the day before; and whether a search with the
    given name finds anyone (the stored フリガナ joins 氏 and 名 with an ASCII space, the search
    turns the prefix's space into a full-width one)."""
    tenant = ctx.tenants["small"]
    headers = {"Authorization": f"Bearer {tenant.token}", "X-Kyodo-Purpose": PURPOSE}
    row = await ctx.owner.fetchrow(
        "SELECT r.id, r.family_name_kana, r.given_name_kana, r.became_resident_on, "
        "h.id AS household_id, h.formed_on, (SELECT count(*) FROM residents m WHERE "
        "m.household_id = h.id) AS members FROM residents r JOIN households h ON "
        "h.id = r.household_id WHERE r.municipality_code = $1 AND r.relationship = '世帯主' "
        "ORDER BY r.kana_full LIMIT 1 OFFSET 100", tenant.code)
    base = f"{ctx.platform.gateway}{tenant.base}"

    async def status_of(url: str, **params: str) -> tuple[int, Any]:
        async with ctx.session.get(url, params=params, headers=headers) as response:
            return response.status, await response.json()

    day = row["became_resident_on"]
    checks: dict[str, Any] = {}
    for label, url, params, expect in (
            ("resident now", f"{base}/{row['id']}", {}, 200),
            ("resident as of the first day", f"{base}/{row['id']}",
             {"as_of": day.isoformat()}, 200),
            ("resident as of the day before", f"{base}/{row['id']}",
             {"as_of": (day - timedelta(days=1)).isoformat()}, 404),
            ("household now", f"{base}/households/{row['household_id']}", {}, 200),
            ("household as of its forming", f"{base}/households/{row['household_id']}",
             {"as_of": row["formed_on"].isoformat()}, 200)):
        status, body = await status_of(url, **params)
        members = len(body.get("members", [])) if isinstance(body, dict) else None
        checks[label] = {"status": status, "expected": expect, "ok": status == expect,
                         **({"members": members, "expected_members": row["members"]}
                            if label == "household now" else {})}
    ctx.correctness["reads"] = checks
    failed = [label for label, c in checks.items() if not c["ok"]]
    if failed:
        console.print(f"[yellow]reads of the generated register: unexpected status for "
                      f"{', '.join(failed)}: {checks}[/]")

    family, given = row["family_name_kana"], row["given_name_kana"]
    found: dict[str, Any] = {}
    for label, prefix in (("family name only", family),
                          ("family and given name, space", f"{family} {given}"),
                          ("family and given name, full-width space", f"{family}\u3000{given}")):
        async with ctx.session.post(
                f"{base}/search", json={"kana_prefix": prefix, "limit": PAGE_SIZE},
                headers=headers) as response:
            body = await response.json()
            found[label] = {"prefix": prefix, "status": response.status,
                            "hits": len(body.get("items", []))}
    ctx.correctness["full_name_search"] = found
    if found["family and given name, space"]["hits"] == 0:
        console.print(f"[yellow]a search by family and given name finds nobody: "
                      f"{json.dumps(found, ensure_ascii=False)}[/]")


async def _measure(platform: RunningPlatform, config: Config, deadline: float,
                   out: dict[str, Any]) -> None:
    """Fills ``out`` as it goes (kept if the time limit cuts the benchmark short)."""
    processes = {name: p["pid"] for name, p in platform.state()["processes"].items()
                 if p["pid"]}
    url = platform.database("residents")
    plan = [(LARGE_CODE, config.large_size), (SMALL_CODE, SMALL_SIZE)]

    def progress(code: str, count: int, seconds: float) -> None:
        if count % 250_000 < 20_000 and count >= 250_000:
            console.print(f"  [dim]{code}: {count:,} residents in {seconds:.0f} s[/]")

    watch = Watch(processes)
    started = time.perf_counter()
    loaded, timings = await asyncio.wait_for(load(asyncpg_dsn(url), plan, progress=progress),
                                             timeout=LOAD_LIMIT_SECONDS)
    out["load"] = _load_figures(loaded, timings, time.perf_counter() - started, watch.stop())
    console.print(f"register loaded: {_load_line(out['load'])}")

    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    owner = await asyncpg.connect(asyncpg_dsn(url))
    try:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session, \
                DatabaseReference(url) as reference:
            by_code = {r.code: r for r in loaded}
            tenants = {"large": Tenant(LARGE_CODE, by_code[LARGE_CODE].residents,
                                       by_code[LARGE_CODE].sample_ids),
                       "small": Tenant(SMALL_CODE, by_code[SMALL_CODE].residents,
                                       by_code[SMALL_CODE].sample_ids)}
            ctx = Context(platform, session, tenants, config, processes, owner, reference)
            out["plans"], out["correctness"] = ctx.plans, ctx.correctness
            for tenant in tenants.values():
                tenant.token = await _login(session, platform.gateway, tenant.code)
            await _warm_up(ctx)
            await _checks(ctx)
            for run in range(1, config.runs + 1):
                if time.monotonic() > deadline - _run_seconds(config):
                    console.print(f"[yellow]time limit near: {run - 1} of {config.runs} "
                                  f"runs[/]")
                    break
                for tenant in tenants.values():  # tokens live 15 minutes
                    tenant.token = await _login(session, platform.gateway, tenant.code)
                console.print(f"run {run}/{config.runs}")
                result = {"lookups": await _lookups(ctx, run),
                          "move_ins": await _move_ins(ctx, run)}
                out["runs"].append(result)
    finally:
        await owner.close()


async def _warm_up(ctx: Context) -> None:
    """Connections, caches, prepared statements: a little of each operation, both tenants."""
    for tenant in ctx.tenants.values():
        for operation in OPERATIONS:
            phase = await _closed_loop(ctx.session, _reader(ctx.platform.gateway, tenant,
                                                            operation),
                                       connections=4, seconds=0.5, max_requests=40)
            if phase.ok == 0:
                raise RuntimeError(f"warm-up {operation} {tenant.code} failed: {phase.errors}")
        phase = await _closed_loop(ctx.session, _mover(ctx.platform.gateway, tenant),
                                   connections=4, seconds=0.5, max_requests=20, expect=201)
        if phase.ok == 0:
            raise RuntimeError(f"warm-up move-ins {tenant.code} failed: {phase.errors}")


def _run_seconds(config: Config) -> float:
    """About how long one run takes (to stop before the time limit)."""
    lookups = len(OPERATIONS) * 2 * (config.latency_seconds * 1.5 + config.throughput_seconds
                                     + config.db_seconds * 5 + 1)
    return lookups + 2 * (config.move_in_seconds + 3) + config.idle_seconds


def _load_figures(loaded: list[LoadResult], timings: dict[str, float], seconds: float,
                  watch: dict[str, Any]) -> dict[str, Any]:
    rows = sum(r.rows for r in loaded)
    copy_seconds = sum(r.seconds for r in loaded)
    return {
        "municipalities": {r.code: {"residents": r.residents, "households": r.households,
                                    "rows": r.rows, "seconds": r.seconds,
                                    "rows_per_s": r.rows_per_second,
                                    "residents_per_s": r.residents / r.seconds}
                           for r in loaded},
        "rows": rows, "copy_seconds": copy_seconds,
        "copy_rows_per_s": rows / copy_seconds if copy_seconds else math.nan,
        "total_seconds": seconds, "total_rows_per_s": rows / seconds, **timings,
        "machine_busy_pct": watch["machine_busy_pct"],
        "other_load_pct": watch["other_load_pct"],
        "cpu_seconds": watch["cpu_seconds"],
    }


def _load_line(figures: dict[str, Any]) -> str:
    parts = [f"{code}: {m['residents']:,} residents, {m['rows']:,} rows in {m['seconds']:.1f} s"
             f" ({m['rows_per_s']:,.0f} rows/s)" for code, m in figures["municipalities"].items()]
    return (f"{'; '.join(parts)}; indexes {figures.get('index_build_seconds', 0):.1f} s, "
            f"VACUUM ANALYZE {figures.get('analyze_seconds', 0):.1f} s; total "
            f"{figures['total_seconds']:.0f} s ({figures['total_rows_per_s']:,.0f} rows/s); "
            f"machine {figures['machine_busy_pct']:.0f} % busy, "
            f"{figures['other_load_pct']:.0f} % by others")


# ------------------------------------------------------------------------------------------
# Report


def _tables(summary: dict[str, Any], load_figures: dict[str, Any], plans: dict[str, Any],
            config: Config, runs: int) -> dict[str, Any]:
    large, small = f"{config.large_size:,}", f"{SMALL_SIZE:,}"
    lookups = summary["lookups"]
    table = Table(title=f"Lookups through the gateway: {large} vs {small} residents; "
                        f"median of {runs} runs (min–max)")
    table.add_column("measure")
    table.add_column(f"{large} ({LARGE_CODE})", justify="right")
    table.add_column(f"{small} ({SMALL_CODE})", justify="right")
    table.add_column("ratio", justify="right")
    for operation, label in OPERATIONS.items():
        figures = lookups[operation]
        big, ref = figures["large"], figures["small"]
        table.add_section()
        for measure, key in (("p50", "p50"), ("p95", "p95"), ("p99", "p99")):
            table.add_row(f"{label}: {measure} at 1 connection, ms",
                          fmt(big["one_connection"]["latency_ms"][key]),
                          fmt(ref["one_connection"]["latency_ms"][key]),
                          fmt(figures["ratios"]["p50_1conn"], 2, "×") if key == "p50" else "")
        table.add_row(f"{label}: req/s at {CONCURRENCY} connections",
                      fmt(big["concurrent"]["per_s"], 0), fmt(ref["concurrent"]["per_s"], 0),
                      fmt(figures["ratios"]["throughput"], 2, "×"))
        table.add_row(f"{label}: p50 / p99 at {CONCURRENCY} connections, ms",
                      f"{fmt(big['concurrent']['latency_ms']['p50'])} / "
                      f"{fmt(big['concurrent']['latency_ms']['p99'])}",
                      f"{fmt(ref['concurrent']['latency_ms']['p50'])} / "
                      f"{fmt(ref['concurrent']['latency_ms']['p99'])}", "")
        table.add_row("  database alone: the query, p50 ms", fmt(big["db_query_alone_ms"]["p50"],
                                                                  2),
                      fmt(ref["db_query_alone_ms"]["p50"], 2), "")
        table.add_row("  database alone: the endpoint's statements, p50 ms",
                      fmt(big["db_endpoint_statements_ms"]["p50"], 2),
                      fmt(ref["db_endpoint_statements_ms"]["p50"], 2), "")
        table.add_row("    of which the COMMIT (WAL flush for the access log), p50 ms",
                      fmt(big["db_endpoint_commit_ms"]["p50"], 2),
                      fmt(ref["db_endpoint_commit_ms"]["p50"], 2), "")
        if "db_earlier_query_ms" in big:
            table.add_row("  … with the page's access-log entries in one INSERT, p50 ms",
                          fmt(big["db_endpoint_one_log_insert_ms"]["p50"], 2),
                          fmt(ref["db_endpoint_one_log_insert_ms"]["p50"], 2), "")
            table.add_row("  database alone: the earlier LIKE query (policy-only tenant), p50 ms",
                          fmt(big["db_earlier_query_ms"]["p50"], 2),
                          fmt(ref["db_earlier_query_ms"]["p50"], 2), "")
        cpu = big["concurrent"]["cpu_ms_per_request"]
        ref_cpu = ref["concurrent"]["cpu_ms_per_request"]
        for name in ("gateway", "residents", "postgres", "residents-worker"):
            if name in cpu:
                table.add_row(f"  CPU per request at {CONCURRENCY}: {name}, ms",
                              fmt(cpu[name], 2), fmt(ref_cpu[name], 2), "")
        table.add_row(f"  database connections opened per 100 requests at {CONCURRENCY}",
                      fmt(big["concurrent"]["db_connections_opened_per_100_requests"], 1),
                      fmt(ref["concurrent"]["db_connections_opened_per_100_requests"], 1), "")
        table.add_row(f"  machine busy / by others at {CONCURRENCY}",
                      f"{fmt(big['concurrent']['machine_busy_pct'], 0, ' %')} / "
                      f"{fmt(big['concurrent']['other_load_pct'], 0, ' %')}",
                      f"{fmt(ref['concurrent']['machine_busy_pct'], 0, ' %')} / "
                      f"{fmt(ref['concurrent']['other_load_pct'], 0, ' %')}", "")
    console.print(table)

    moves = summary["move_ins"]
    table = Table(title=f"Move-ins through the gateway, {CONCURRENCY} connections, "
                        f"{config.move_in_seconds:.0f} s each; median of {runs} runs (min–max)")
    table.add_column("measure")
    table.add_column(f"{large} ({LARGE_CODE})", justify="right")
    table.add_column(f"{small} ({SMALL_CODE})", justify="right")
    table.add_column("ratio", justify="right")
    big, ref = moves["large"], moves["small"]
    table.add_row("registrations per second (201s)", fmt(big["per_s"], 0), fmt(ref["per_s"], 0),
                  fmt(moves["ratios"]["rate"], 2, "×"))
    table.add_row("events published per second in the window",
                  fmt(big["events_published_per_s"], 0), fmt(ref["events_published_per_s"], 0),
                  "")
    table.add_row("events unpublished after the drain",
                  fmt(big["events_unpublished_after_drain"], 0),
                  fmt(ref["events_unpublished_after_drain"], 0), "")
    table.add_row("p50 / p99, ms", f"{fmt(big['latency_ms']['p50'])} / "
                                   f"{fmt(big['latency_ms']['p99'])}",
                  f"{fmt(ref['latency_ms']['p50'])} / {fmt(ref['latency_ms']['p99'])}", "")
    table.add_row("failed requests", fmt(big["failed"], 0), fmt(ref["failed"], 0), "")
    table.add_row("database connections opened per 100 registrations",
                  fmt(big["db_connections_opened_per_100_requests"], 1),
                  fmt(ref["db_connections_opened_per_100_requests"], 1), "")
    cpu, ref_cpu = big["cpu_ms_per_registration"], ref["cpu_ms_per_registration"]
    net, ref_net = (big["cpu_ms_per_registration_net_of_idle"],
                    ref["cpu_ms_per_registration_net_of_idle"])
    idle = moves["idle"]["cpu_ms_per_s"]
    for name in sorted(cpu, key=lambda n: -cpu[n]["median"]):
        if cpu[name]["median"] < 0.05:
            continue
        idle_note = f" (idle: {idle[name]['median']:.0f} ms/s)" if name in idle else ""
        table.add_row(f"CPU per registration: {name}{idle_note}, ms; net of idle",
                      f"{fmt(cpu[name], 2)}; {fmt(net[name], 2)}",
                      f"{fmt(ref_cpu[name], 2)}; {fmt(ref_net[name], 2)}", "")
    table.add_row("CPU per registration: all (sum of medians), ms; net of idle",
                  f"{sum(v['median'] for v in cpu.values()):.2f}; "
                  f"{sum(v['median'] for v in net.values()):.2f}",
                  f"{sum(v['median'] for v in ref_cpu.values()):.2f}; "
                  f"{sum(v['median'] for v in ref_net.values()):.2f}", "")
    table.add_row("machine busy / by others, idle platform",
                  f"{fmt(moves['idle']['machine_busy_pct'], 0, ' %')} / "
                  f"{fmt(moves['idle']['other_load_pct'], 0, ' %')}", "", "")
    table.add_row("machine busy / by others",
                  f"{fmt(big['machine_busy_pct'], 0, ' %')} / "
                  f"{fmt(big['other_load_pct'], 0, ' %')}",
                  f"{fmt(ref['machine_busy_pct'], 0, ' %')} / "
                  f"{fmt(ref['other_load_pct'], 0, ' %')}", "")
    console.print(table)
    console.print(f"register load: {_load_line(load_figures)}")
    for name, plan in plans.items():
        for variant in ("current", "earlier"):
            p = plan[variant]
            console.print(f"EXPLAIN ANALYZE {name}, {variant} query: {', '.join(p['scans'])}; "
                          f"{p['rows_removed_by_filter']:,} rows removed by filter; "
                          f"{p['execution_ms']:.2f} ms")

    verdicts: dict[str, Any] = {}
    judged = config.large_size == TARGET_SIZE
    for operation, label in OPERATIONS.items():
        p50 = lookups[operation]["large"]["one_connection"]["latency_ms"]["p50"]["median"]
        ratio = lookups[operation]["ratios"]["p50_1conn"]["median"]
        ok = p50 <= TARGET_P50_MS and ratio <= TARGET_RATIO
        verdicts[operation] = {"p50_ms": p50, "ratio": ratio, "meets": ok if judged else None}
        console.print(f"{label}: p50 {p50:.1f} ms (target ≤ {TARGET_P50_MS:.0f}), "
                      f"{ratio:.2f}× the {small} register (target ≤ {TARGET_RATIO}) "
                      f"{_verdict(ok, judged)}")
    rate = moves["large"]["per_s"]["median"]
    verdicts["move_ins"] = {"per_s": rate,
                            "meets": rate >= TARGET_MOVE_INS_PER_S if judged else None}
    console.print(f"move-ins: {rate:.0f}/s (target ≥ {TARGET_MOVE_INS_PER_S:.0f}/s) "
                  f"{_verdict(rate >= TARGET_MOVE_INS_PER_S, judged)}")
    return verdicts


def _verdict(ok: bool, judged: bool) -> str:
    if not judged:
        return f"[yellow](not judged: the target is for {TARGET_SIZE:,} residents)[/]"
    return "[green]meets the target[/]" if ok else "[red]misses the target[/]"


def _run_loop(coroutine: Coroutine[Any, Any, None]) -> None:
    try:
        import uvloop
    except ImportError:
        asyncio.run(coroutine)
        return
    uvloop.run(coroutine)


def main(*, quick: bool = False) -> dict[str, Any]:
    config = _config(quick)
    started = time.monotonic()
    deadline = started + TIME_LIMIT_SECONDS - STOP_RESERVE_SECONDS
    out: dict[str, Any] = {"runs": []}
    with running_platform() as platform:
        console.print(f"platform ready in {platform.startup_seconds:.1f} s; loading "
                      f"{config.large_size:,} + {SMALL_SIZE:,} residents")
        try:
            _run_loop(asyncio.wait_for(_measure(platform, config, deadline, out),
                                       timeout=deadline - time.monotonic()))
        except TimeoutError:
            if not out["runs"]:
                raise
            console.print(f"[yellow]time limit of {TIME_LIMIT_SECONDS} s reached: "
                          f"{len(out['runs'])} of {config.runs} runs[/]")
    if not out["runs"]:
        raise RuntimeError("no run completed")
    summary = summarise(out["runs"])
    verdicts = _tables(summary, out["load"], out.get("plans", {}), config, len(out["runs"]))
    path = write_results(NAME, {
        "config": {**config.__dict__, "small_size": SMALL_SIZE, "large_code": LARGE_CODE,
                   "small_code": SMALL_CODE, "concurrency": CONCURRENCY,
                   "page_size": PAGE_SIZE, "prefixes": PREFIXES, "client": "aiohttp",
                   "runs_completed": len(out["runs"]),
                   "targets": {"p50_ms": TARGET_P50_MS, "ratio": TARGET_RATIO,
                               "move_ins_per_s": TARGET_MOVE_INS_PER_S,
                               "register_size": TARGET_SIZE}},
        "verdicts": verdicts, "load": out["load"], "correctness": out.get("correctness", {}),
        "summary": summary, "plans": out.get("plans", {}), "runs": out["runs"],
        "elapsed_seconds": time.monotonic() - started,
    })
    console.print(f"results: {path}")
    return summary

