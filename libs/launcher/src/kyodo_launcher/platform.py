"""Brings the platform up in order, keeps it running, and stops everything it started."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from kyodo_common.public_routes import PUBLIC_ROUTES
from kyodo_launcher import broker, postgres
from kyodo_launcher.catalogue import APPS, SERVICES, ServiceSpec, all_roles
from kyodo_launcher.config import LauncherSettings, local_role_passwords, local_secrets
from kyodo_launcher.keys import local_keys, service_env
from kyodo_launcher.locate import leave_pointer
from kyodo_launcher.processes import Child, pid_alive
from kyodo_launcher.provision import (
    database_urls,
    provision,
    seed,
    wait_for_postgres,
    with_database,
)
from kyodo_launcher.recovery import CHECKPOINT_INTERVAL, Recovery, should_rotate

T = TypeVar("T")


# /metrics of the gateway and the workers under `make run`: base port + 10 (+ the service's
# offset), clear of the APIs' ports (base + 1 …); a block of METRICS_OFFSET * 2 ports holds all.
METRICS_OFFSET = 10
# After the broker came back empty, its republication is tried this often (about 10 minutes).
REPUBLISH_ATTEMPTS = 60


class StartupFailed(Exception):
    def __init__(self, component: str, reason: str, log_path: Path | None) -> None:
        super().__init__(f"{component}: {reason}")
        self.component = component
        self.reason = reason
        self.log_path = log_path


@dataclass
class Platform:
    settings: LauncherSettings
    console: Console
    children: list[Child] = field(default_factory=list)
    admin_url: str = ""
    bootstrap: str = ""
    credentials: list[tuple[str, str, str, str]] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)  # database role -> its password
    recovery: Recovery | None = None  # with the embedded broker only: it keeps no log on disk
    _warned: set[str] = field(default_factory=set)
    _pointer: Path | None = None
    _republishing: asyncio.Lock = field(default_factory=asyncio.Lock)
    _restarting: asyncio.Lock = field(default_factory=asyncio.Lock)  # the broker's restarts

    @property
    def var_dir(self) -> Path:
        return self.settings.var_dir.resolve()

    def port(self, spec: ServiceSpec) -> int:
        return self.settings.base_port + spec.port_offset

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.base_port}"

    def log_path(self, name: str) -> Path:
        return self.var_dir / "log" / f"{name}.log"

    async def _step(
        self, component: str, action: Callable[[], Awaitable[T]], log: Path | None = None
    ) -> T:
        started = time.monotonic()
        with self.console.status(f"Starting {component}…"):
            try:
                result = await action()
            except StartupFailed:
                raise
            except Exception as exc:
                raise StartupFailed(component, f"{type(exc).__name__}: {exc}", log) from exc
        self.console.print(f"[green]✓[/] {component} [dim]({time.monotonic() - started:.1f} s)[/]")
        return result

    async def up(self, *, fresh: bool) -> None:
        running = read_state(self.settings.state_path)
        if running and pid_alive(running["launcher_pid"]):
            raise StartupFailed(
                "launcher",
                f"already running (pid {running['launcher_pid']}); use `kyodo down` first",
                None,
            )
        if fresh and self.var_dir.exists():
            shutil.rmtree(self.var_dir)
        self.var_dir.mkdir(parents=True, exist_ok=True)
        secrets = local_secrets(self.var_dir)
        self.passwords = local_role_passwords(self.var_dir, all_roles())
        self._write_state(ready=False)
        self._pointer = leave_pointer(self.var_dir, os.getpid())  # found from any directory

        if self.settings.database_url:
            self.admin_url = self.settings.database_url
        else:
            await self._step(
                "PostgreSQL",
                lambda: self._start_postgres(secrets["postgres"]),
                self.log_path("postgres"),
            )
        if self.settings.kafka_bootstrap_servers:
            self.bootstrap = self.settings.kafka_bootstrap_servers
        else:
            await self._step("Kafka broker (Tansu)", self._start_broker, self.log_path("broker"))
        await self._step(
            "databases, migrations and topics", self._provision
        )
        if self.recovery is not None:
            counts = await self._step("events the broker may not have delivered",
                                      lambda: self._republish("platform started"))
            self.console.print(f"  queued again: {sum(counts.values())} events")
        self.credentials = await self._step(
            "demo municipalities and staff", lambda: seed(self.admin_url, self.passwords)
        )
        await self._step("services, gateway and apps", lambda: self._start_services(secrets))
        self._write_state(ready=True)

    async def _start_postgres(self, password: str) -> None:
        data_dir = self.var_dir / "pg"
        await asyncio.to_thread(postgres.init_cluster, data_dir, password)
        child = postgres.server(data_dir, self.settings.postgres_port, self.log_path("postgres"))
        # Restarted by the supervisor when it exits (crash recovery from its WAL); a start
        # while the killed server's backends still hold its shared memory fails and is tried
        # again on the next round.
        child.restart = True
        self._launch(child)
        self.admin_url = (
            f"postgresql://postgres:{password}@127.0.0.1:{self.settings.postgres_port}/postgres"
        )
        await self._until_ready(child, lambda: wait_for_postgres(self.admin_url, 1.0))

    async def _start_broker(self) -> None:
        child = broker.broker(self.settings.broker_port, self.log_path("broker"))
        self._launch(child)
        self.bootstrap = f"127.0.0.1:{self.settings.broker_port}"
        self.recovery = Recovery.load(self.var_dir / "recovery.json")
        self.recovery.margin = timedelta(seconds=self.settings.republish_margin)
        await self._until_ready(child, self._broker_port_open)

    async def _broker_port_open(self) -> None:
        _, writer = await asyncio.open_connection("127.0.0.1", self.settings.broker_port)
        writer.close()

    def _relays(self) -> dict[str, str]:
        return {s.name: self._database_urls(s)["RELAY_DATABASE_URL"] for s in SERVICES}

    async def _republish(self, reason: str) -> dict[str, int]:
        assert self.recovery is not None
        counts = await self.recovery.republish(self._relays(), reason)
        self._write_state(ready=reason != "platform started")
        return counts

    async def _restart_broker(self, child: Child, rotated: bool = False) -> None:
        """One at a time: the supervisor's (the broker died) may come while a rotation waits
        for its new broker; overlapping, the first's release would start the workers before
        the second broker has its topics."""
        async with self._restarting:
            if not rotated and child.alive():
                return  # the restart it waited for started it
            await self._restart_broker_now(child, rotated)

    async def _restart_broker_now(self, child: Child, rotated: bool = False) -> None:
        """The broker came back empty, its workers paused (a rotation) or new (a crash;
        kyodo_launcher.broker.start_empty):
        topics first (before a relay's produce creates one with the broker's default
        partitions), then every service's unread events again."""
        assert self.recovery is not None
        reason = "broker rotated" if rotated else "broker restarted"
        self.recovery.generation += 1  # a round of points in flight may read the new broker
        self.recovery.owed = reason  # and none is taken until the republication succeeds
        if rotated:
            self.recovery.broker_rotations += 1
            self.console.print("[dim]↻ broker rotated (memory bound)[/]")
        else:
            self.recovery.broker_restarts += 1
            child.restarts += 1
            self.console.print(f"[yellow]↻ broker exited; restarting (log: {child.log_path})[/]")
        # The workers with it: none that read the old broker may live into the new one.
        workers = [c for c in self.children if c.name.endswith("-worker")]
        try:
            if rotated:  # paused while the broker still runs (a crash's kill them: below)
                await broker.quiesce(workers)
                # Stopped and started with no await between: the supervisor would take it
                child.stop(timeout=5.0)  # for dead
            broker.start_empty(child, workers)
            self._write_state(ready=True)
            await self._until_ready(child, self._broker_port_open)
            await self._create_topics()
        finally:
            broker.release(workers)
            self._write_state(ready=True)
        for attempt in range(1, REPUBLISH_ATTEMPTS + 1):
            if await self._republish_owed():
                return
            await asyncio.sleep(min(2.0 ** attempt, 10.0))
        self.console.print(f"[red]✗ republication ({reason}) still owed: tried again with "
                           "every round of points[/]")

    async def _create_topics(self) -> None:
        """The new broker's topics, before the workers start (kyodo_launcher.broker.release);
        if it fails, the republication makes them again before it publishes."""
        from kyodo_common.events.kafka import ensure_topics
        from kyodo_launcher.catalogue import all_topics

        try:
            await ensure_topics(self.bootstrap, all_topics())
        except Exception as exc:
            self.console.print(f"[red]✗ topics not made on the new broker ({type(exc).__name__}:"
                               f" {exc}); the workers start anyway[/]")

    async def _republish_owed(self) -> bool:
        """The republication owed since the broker came back empty: topics first (before a
        relay's produce creates one with the broker's default partitions), then every
        service's events since its point. False when it failed (a database away): the
        points stay, and it is tried again."""
        assert self.recovery is not None
        from kyodo_common.events.kafka import ensure_topics
        from kyodo_launcher.catalogue import all_topics

        async with self._republishing:  # the supervisor's restart and the points' loop
            reason = self.recovery.owed
            if reason is None:
                return True  # the other one did it
            try:
                await ensure_topics(self.bootstrap, all_topics())
                counts = await self._republish(reason)
            except Exception as exc:
                self.console.print(f"[red]✗ republication ({reason}) failed "
                                   f"({type(exc).__name__}: {exc}); trying again[/]")
                return False
        self.console.print(f"[green]✓ {reason}; {sum(counts.values())} events queued for "
                           "publishing again[/]")
        return True

    async def _rotate_broker_if_full(self, child: Child) -> None:
        """Right after a round of points: an empty broker instead of one whose memory passed
        its bound (kyodo_launcher.recovery.should_rotate), the workers paused meanwhile."""
        assert self.recovery is not None and child.pid is not None
        try:
            memory = psutil.Process(child.pid).memory_info().rss
            running_for = time.time() - psutil.Process(child.pid).create_time()
        except psutil.Error:
            return
        if should_rotate(memory, int(self.settings.broker_memory_mb * 2**20), running_for,
                         self.recovery.points, datetime.now(UTC),
                         self.settings.broker_rotate_after, self.settings.broker_rotate_lag,
                         self.recovery.margin):
            await self._restart_broker(child, rotated=True)  # it stops the broker

    async def _take_points(self, stop: asyncio.Event) -> None:
        """Every few seconds, each service's republish point (kyodo_launcher.recovery)."""
        assert self.recovery is not None
        while not stop.is_set():
            broker_child = next(c for c in self.children if c.name == "broker")
            if broker_child.alive() and self.recovery.owed is not None:
                await self._republish_owed()  # the restart's own tries ran out
            elif broker_child.alive():
                try:
                    if await self.recovery.take_points(self._relays(), self.bootstrap):
                        self._write_state(ready=True)
                        await self._rotate_broker_if_full(broker_child)
                except Exception as exc:  # the broker or a database away: keep the last
                    self.console.print(f"[dim]republish points not taken ({type(exc).__name__}:"
                                       f" {exc})[/]")
            try:
                await asyncio.wait_for(stop.wait(), timeout=CHECKPOINT_INTERVAL)
            except TimeoutError:
                pass

    async def _provision(self) -> None:
        await provision(self.admin_url, self.passwords, self.bootstrap, self.settings)

    def _database_urls(self, spec: ServiceSpec) -> dict[str, str]:
        """The app's and the relay's URLs; the owner's (migrations) stays with the launcher."""
        urls = database_urls(self.admin_url, spec, self.passwords, self.settings)
        return {k: v for k, v in urls.items() if k != "MIGRATION_DATABASE_URL"}

    def _service_env(self, spec_name: str, port: int, secrets: dict[str, str]) -> dict[str, str]:
        identity_port = self.settings.base_port + SERVICES[0].port_offset
        residents_port = self.settings.base_port + next(
            s.port_offset for s in SERVICES if s.name == "residents")
        env = {
            **service_env(local_keys(self.var_dir), spec_name),  # its own keys, no other's
            "KYODO_SERVICE": spec_name,
            "KYODO_HOST": "127.0.0.1",
            "KYODO_PORT": str(port),
            "KYODO_VAR_DIR": str(self.var_dir),
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "KYODO_JWKS_URL": f"http://127.0.0.1:{identity_port}/v1/auth/jwks.json",
            # certificates: 個人番号 from residents; the public verification URL it prints
            "KYODO_RESIDENTS_URL": f"http://127.0.0.1:{residents_port}",
            "KYODO_CERTIFICATES_VERIFY_BASE_URL": self.gateway_url,
            # automation: scenarios call the platform through the gateway
            "KYODO_PLATFORM_URL": self.gateway_url,
            # webhooks: notifications name resources by their URL at the gateway
            "KYODO_PUBLIC_URL": self.gateway_url,
            "PYTHONUNBUFFERED": "1",
        }
        if self.settings.otel_exporter_otlp_endpoint:
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = self.settings.otel_exporter_otlp_endpoint
        return env

    async def _start_services(self, secrets: dict[str, str]) -> None:
        waits: list[Awaitable[None]] = []
        for spec in SERVICES:
            env = {
                **self._service_env(spec.name, self.port(spec), secrets),
                **self._database_urls(spec),
            }
            api = Child(
                spec.name,
                [sys.executable, "-m", spec.package],
                self.log_path(spec.name),
                env=env,
                restart=True,
            )
            self._launch(api)
            waits.append(self._until_ready(api, self._health(self.port(spec))))
            if spec.has_worker:
                worker = Child(
                    f"{spec.name}-worker",
                    [sys.executable, "-m", f"{spec.package}.worker"],
                    self.log_path(f"{spec.name}-worker"),
                    # Its outbox backlog, consumer lag and dead letters on /metrics.
                    env={**env, "KYODO_METRICS_PORT": str(self._metrics_port_of(
                        f"{spec.name}-worker"))},
                    restart=True,
                    paused_file=self.var_dir / "run" / f"{spec.name}-worker.paused",
                )
                self._launch(worker)
        env = self._service_env("gateway", self.settings.base_port, secrets)
        for spec in SERVICES:
            env[f"KYODO_UPSTREAM_{spec.name.upper()}"] = f"http://127.0.0.1:{self.port(spec)}"
        env["KYODO_PUBLIC_ROUTES"] = json.dumps(PUBLIC_ROUTES)
        env["KYODO_METRICS_PORT"] = str(self._metrics_port_of("gateway"))
        gateway = Child(
            "gateway",
            [sys.executable, "-m", "kyodo_gateway"],
            self.log_path("gateway"),
            env=env,
            restart=True,
        )
        self._launch(gateway)
        waits.append(self._until_ready(gateway, self._health(self.settings.base_port, "live")))
        waits.extend(self._start_apps())
        await asyncio.gather(*waits)

    def _start_apps(self) -> list[Awaitable[None]]:
        """The people's apps, alongside the services: they call the public API only, and
        not before someone opens a page. Their readiness checks, to be awaited."""
        waits: list[Awaitable[None]] = []
        for app in APPS:
            port = self.settings.base_port + app.port_offset
            # Its own keys and a state directory (the counter's sessions outlive a restart).
            env = {**service_env(local_keys(self.var_dir), app.name),
                   f"KYODO_{app.name.upper()}_STATE_DIR": str(self.var_dir / app.name),
                   "KYODO_HOST": "127.0.0.1", "KYODO_PORT": str(port),
                   "KYODO_PLATFORM_URL": self.gateway_url, "PYTHONUNBUFFERED": "1"}
            child = Child(app.name, [sys.executable, "-m", app.package], self.log_path(app.name),
                          env=env, restart=True)
            self._launch(child)
            waits.append(self._until_ready(child, self._health(port, "live")))
        return waits

    def app_url(self, name: str) -> str:
        app = next(a for a in APPS if a.name == name)
        return f"http://127.0.0.1:{self.settings.base_port + app.port_offset}"

    def _health(self, port: int, kind: str = "ready") -> Callable[[], Awaitable[None]]:
        async def check() -> None:
            async with httpx.AsyncClient(timeout=1.0) as client:
                response = await client.get(f"http://127.0.0.1:{port}/health/{kind}")
                response.raise_for_status()

        return check

    def _launch(self, child: Child) -> None:
        child.start()
        self.children.append(child)
        self._write_state(ready=False)

    async def _until_ready(self, child: Child, probe: Callable[[], Awaitable[None]]) -> None:
        deadline = time.monotonic() + self.settings.ready_timeout
        while True:
            if not child.alive():
                raise StartupFailed(child.name, "exited during startup", child.log_path)
            try:
                await probe()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise StartupFailed(child.name, "not ready in time", child.log_path) from None
                await asyncio.sleep(0.1)

    async def supervise(self, stop: asyncio.Event) -> None:
        """Restart services, workers, the embedded broker (with a republication of what it
        lost) and the embedded PostgreSQL when they die."""
        points = (asyncio.ensure_future(self._take_points(stop))
                  if self.recovery is not None else None)
        try:
            await self._supervise(stop)
        finally:
            if points is not None:
                points.cancel()
                # Its end first (a rotation's release starts the workers again): then the
                # platform is stopped (stop_all), not before, or those workers outlive it.
                with contextlib.suppress(asyncio.CancelledError):
                    await points

    async def _supervise(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            for child in self.children:
                if child.alive() or child.held:
                    continue
                if child.name == "broker" and self.recovery is not None:
                    try:
                        await self._restart_broker(child)
                    except Exception as exc:  # tried again on the next round
                        self.console.print(f"[red]✗ broker restart failed: {exc}[/]")
                elif child.restart:
                    child.restarts += 1
                    self.console.print(
                        f"[yellow]↻ {child.name} exited; restarting (log: {child.log_path})[/]"
                    )
                    child.start()
                    self._write_state(ready=True)
                elif child.name not in self._warned:
                    self._warned.add(child.name)
                    self.console.print(f"[red]✗ {child.name} exited (log: {child.log_path})[/]")
            try:
                await asyncio.wait_for(stop.wait(), timeout=0.5)
            except TimeoutError:
                pass

    def stop_all(self) -> None:
        """Stop by PID, in order: apps and gateway, APIs, workers (relays flush), broker,
        database."""

        def rank(child: Child) -> int:
            if child.name == "gateway" or any(a.name == child.name for a in APPS):
                return 0
            if child.name in ("broker", "postgres"):
                return 3 if child.name == "broker" else 4
            return 2 if child.name.endswith("-worker") else 1

        for child in sorted(self.children, key=rank):
            with self.console.status(f"Stopping {child.name}…"):
                child.stop()
        self.settings.state_path.unlink(missing_ok=True)
        if self._pointer is not None:
            self._pointer.unlink(missing_ok=True)

    def _write_state(self, *, ready: bool) -> None:
        state: dict[str, Any] = {
            "launcher_pid": os.getpid(),
            "ready": ready,
            "gateway_url": self.gateway_url,
            "apps": {a.name: self.app_url(a.name) for a in APPS},
            "admin_url": self.admin_url,
            "bootstrap_servers": self.bootstrap,
            # The superuser's view of each database, for an operator's inspection.
            "databases": {s.name: with_database(self.admin_url, s.database) for s in SERVICES}
            if self.admin_url
            else {},
            # The relays' URLs: `kyodo events replay` queues events again as the relay.
            "relays": self._relays() if self.admin_url and self.passwords else {},
            "recovery": self.recovery.summary() if self.recovery is not None else None,
            "processes": {
                c.name: {"pid": c.pid, "port": self._port_of(c.name), "log": str(c.log_path),
                         "metrics": self._metrics_url_of(c.name)}
                for c in self.children
            },
        }
        path = self.settings.state_path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(state, f, indent=2)
        tmp.replace(path)

    def _metrics_port_of(self, name: str) -> int | None:
        """Where a process serves /metrics: an API on its own port; the gateway (whose port is
        public) and each worker (which serves nothing else) on base port + 10 + its offset."""
        if name == "gateway":
            return self.settings.base_port + METRICS_OFFSET
        spec = next((s for s in SERVICES if f"{s.name}-worker" == name), None)
        if spec is not None:
            return self.settings.base_port + METRICS_OFFSET + spec.port_offset
        spec = next((s for s in SERVICES if s.name == name), None)
        return self.port(spec) if spec is not None else None

    def _metrics_url_of(self, name: str) -> str | None:
        port = self._metrics_port_of(name)
        return f"http://127.0.0.1:{port}/metrics" if port is not None else None

    def _port_of(self, name: str) -> int | None:
        if name == "gateway":
            return self.settings.base_port
        if name == "postgres":
            return self.settings.postgres_port
        if name == "broker":
            return self.settings.broker_port
        spec = next((s for s in SERVICES if s.name == name), None)
        if spec is None:
            app = next((a for a in APPS if a.name == name), None)
            return self.settings.base_port + app.port_offset if app is not None else None
        return self.port(spec)

    def summary(self) -> Table:
        table = Table(title="Kyodo is running", show_lines=False)
        table.add_column("municipality")
        table.add_column("code")
        table.add_column("login")
        table.add_column("password")
        for code, name, login, password in self.credentials:
            table.add_row(name, code, login, password)
        return table


def read_state(path: Path) -> dict[str, Any] | None:
    try:
        state: dict[str, Any] = json.loads(path.read_text())
        return state
    except (OSError, ValueError):
        return None
