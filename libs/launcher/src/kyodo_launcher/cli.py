"""The `kyodo` command: up, down, status, logs, trace, top, jobs watch, events replay, contracts
export, keys."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kyodo_launcher.config import LauncherSettings
from kyodo_launcher.contracts.cli import contracts_app
from kyodo_launcher.platform import Platform, StartupFailed, read_state
from kyodo_launcher.processes import pid_alive, wait_gone

app = typer.Typer(help="Kyodo: the shared municipal platform on one machine.",
                  no_args_is_help=True)
events_app = typer.Typer(help="Operate on the event backbone.")
app.add_typer(events_app, name="events")
app.add_typer(contracts_app, name="contracts")
keys_app = typer.Typer(help="The platform's keys per purpose (ADR 0003).")
app.add_typer(keys_app, name="keys")
webhooks_app = typer.Typer(help="Partners' notifications (docs/webhooks.md).")
app.add_typer(webhooks_app, name="webhooks")


jobs_app = typer.Typer(help="Follow long work: bulk assessments, CSV imports, 罹災証明書 jobs.")
app.add_typer(jobs_app, name="jobs")
certificates_app = typer.Typer(help="Check certificates without the platform (ADR 0005).")
app.add_typer(certificates_app, name="certificates")
console = Console()

VarDir = Annotated[Path | None, typer.Option("--var-dir", help="Data, logs and traces.")]


def _settings(var_dir: Path | None, *, find: bool = True,
              **overrides: object) -> LauncherSettings:
    """``find``: without --var-dir, the running platform's (kyodo_launcher.locate)."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if find:
        from kyodo_launcher.locate import var_dir_of_running_platform

        var_dir = var_dir_of_running_platform(var_dir)
    if var_dir is not None:
        values["var_dir"] = var_dir
    return LauncherSettings(**values)  # type: ignore[arg-type]


@app.command()
def up(
    var_dir: VarDir = None,
    fresh: Annotated[bool, typer.Option(help="Start from empty data.")] = False,
    port: Annotated[int | None, typer.Option(help="Gateway port; services follow it.")] = None,
    postgres_port: Annotated[int | None, typer.Option()] = None,
    broker_port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Start PostgreSQL, the broker, every service and the gateway; Ctrl-C stops them all."""
    settings = _settings(var_dir, find=False, base_port=port, postgres_port=postgres_port,
                         broker_port=broker_port)
    platform = Platform(settings, console)
    raise typer.Exit(asyncio.run(_run(platform, fresh)))


async def _run(platform: Platform, fresh: bool) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    started = time.monotonic()
    code = 0
    try:
        startup = asyncio.ensure_future(platform.up(fresh=fresh))
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({startup, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if startup.done():
            startup.result()
            console.print(platform.summary())
            console.print(f"Counter:  {platform.app_url('counter')}  (窓口 app)\n"
                          f"Gateway:  {platform.gateway_url}\n"
                          f"API docs: {platform.gateway_url}/docs\n"
                          f"Ready in {time.monotonic() - started:.1f} s. Ctrl-C stops everything.")
            await platform.supervise(stop)
        else:
            startup.cancel()
        stopper.cancel()
    except StartupFailed as failure:
        console.print(f"[red]✗ {failure.component} failed: {failure.reason}[/]")
        if failure.log_path:
            console.print(f"  its log: {failure.log_path}")
        code = 1
    finally:
        platform.stop_all()
        console.print("Stopped.")
    return code


@app.command()
def migrate(
    seed_demo: Annotated[bool, typer.Option(help="Also seed the demo municipalities.")] = False,
    topics: Annotated[bool, typer.Option(
        "--topics/--no-topics",
        help="Create the topics too (off where an operator such as Strimzi owns them).")] = True,
) -> None:
    """Against external servers (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS): roles, databases,
    migrations and topics. Idempotent: the migration job of compose and Kubernetes."""
    import os

    from kyodo_launcher.catalogue import SERVICES
    from kyodo_launcher.config import role_password_variable, role_passwords_from
    from kyodo_launcher.provision import check_passwords, provision, seed

    settings = LauncherSettings()
    roles = [role for spec in SERVICES if not settings.external_service_url(spec.name)
             for role in spec.roles]
    passwords = role_passwords_from(os.environ, roles)
    required = [("DATABASE_URL", settings.database_url)]
    required += [(role_password_variable(role), passwords.get(role)) for role in roles]
    if topics:
        required.append(("KAFKA_BOOTSTRAP_SERVERS", settings.kafka_bootstrap_servers))
    missing = [name for name, value in required if not value]
    if missing:
        console.print(f"[red]kyodo migrate needs {', '.join(missing)}[/]")
        raise typer.Exit(2)
    try:
        check_passwords(passwords, roles)
    except ValueError as refused:  # names the roles, never the passwords
        console.print(f"[red]kyodo migrate: {refused}[/]")
        raise typer.Exit(2) from None

    async def run() -> None:
        await provision(settings.database_url or "", passwords,
                        settings.kafka_bootstrap_servers if topics else None, settings)
        if seed_demo:
            await seed(settings.database_url or "", passwords)

    asyncio.run(run())
    console.print("[green]✓[/] databases, roles, migrations"
                  f"{' and topics' if topics else ''} are up to date")


@app.command()
def down(var_dir: VarDir = None) -> None:
    """Stop a platform started by `kyodo up` (from another terminal)."""
    settings = _settings(var_dir)
    state = read_state(settings.state_path)
    if state is None:
        console.print("Nothing is running.")
        return
    launcher = state["launcher_pid"]
    if pid_alive(launcher):
        import os

        os.kill(launcher, signal.SIGTERM)
        if wait_gone(launcher, 60):
            console.print("Stopped.")
            return
    # The launcher is gone: stop what it left, by PID.
    import os

    for name, process in state["processes"].items():
        pid = process.get("pid")
        if pid and pid_alive(pid):
            os.kill(pid, signal.SIGTERM)
            wait_gone(pid, 10)
            console.print(f"stopped {name} ({pid})")
    settings.state_path.unlink(missing_ok=True)


@app.command()
def status(var_dir: VarDir = None) -> None:
    """What runs, on which port, and where its log is."""
    settings = _settings(var_dir)
    state = read_state(settings.state_path)
    if state is None:
        console.print("Nothing is running.")
        raise typer.Exit(1)
    table = Table(title=f"Kyodo ({'ready' if state['ready'] else 'starting'}) — "
                        f"{state['gateway_url']}")
    for column in ("process", "pid", "port", "state", "metrics", "log"):
        table.add_column(column)
    for name, process in state["processes"].items():
        alive = process["pid"] and pid_alive(process["pid"])
        table.add_row(name, str(process["pid"]), str(process["port"] or ""),
                      "[green]running[/]" if alive else "[red]stopped[/]",
                      process.get("metrics") or "", process["log"])
    console.print(table)
    for line in recovery_lines(state.get("recovery")):
        console.print(line)


def recovery_lines(recovery: dict[str, object] | None) -> list[str]:
    """What the launcher did about the embedded broker's lost log (kyodo_launcher.recovery)."""
    if not recovery:
        return []
    lines = [f"Broker restarts: {recovery.get('broker_restarts', 0)}; rotations (memory "
             f"bound): {recovery.get('broker_rotations', 0)}; republish points taken "
             f"at {recovery.get('points_taken_at') or 'not yet'}"]
    last = recovery.get("last")
    if isinstance(last, dict):
        counts = last.get("republished", {})
        detail = ", ".join(f"{service} {n}" for service, n in counts.items() if n)
        lines.append(f"Recovered ({last.get('reason')}, {last.get('at')}): "
                     f"{sum(counts.values())} events queued again"
                     + (f" ({detail})" if detail else "")
                     + "; the consumers' inboxes drop those already applied")
    return lines


@app.command()
def logs(
    components: Annotated[list[str] | None, typer.Argument(
        help="e.g. residents residents-worker gateway (all when none)")] = None,
    var_dir: VarDir = None,
    lines: Annotated[int, typer.Option("-n", "--lines", help="How many lines first.")] = 50,
    follow: Annotated[bool, typer.Option("-f", "--follow", help="Keep printing new lines.")]
    = False,
    municipality: Annotated[str | None, typer.Option("--municipality", "-m",
                                                     help="Only this municipality's.")] = None,
    trace_id: Annotated[str | None, typer.Option("--trace", help="Only this trace's.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, with 'component'.")]
    = False,
) -> None:
    """The components' logs merged in time order, readable (or JSON); -f follows them."""
    from kyodo_launcher import logview

    log_dir = _settings(var_dir).log_dir
    known = logview.components(log_dir) if log_dir.exists() else []
    unknown = [c for c in components or () if c not in known]
    if unknown or not known:
        console.print(f"[red]no log for {', '.join(unknown) or 'any component'}[/] in {log_dir}"
                      + (f" (there are: {', '.join(known)})" if known else ""))
        raise typer.Exit(1)
    filters = logview.Filters(tuple(components or ()), municipality, trace_id)
    entries, offsets = logview.tail(log_dir, filters, lines)

    def show(batch: Iterable[dict[str, object]]) -> None:
        for entry in batch:
            if as_json:
                typer.echo(next(logview.as_json([entry])))
            else:
                console.print(logview.readable(entry), highlight=False, soft_wrap=True)
            sys.stdout.flush()  # line by line into a pipe (`kyodo logs -f | grep …`)

    show(entries)
    if follow:
        try:
            show(logview.follow(log_dir, filters, offsets))
        except KeyboardInterrupt:
            pass


@app.command()
def trace(trace_id: str, var_dir: VarDir = None) -> None:
    """One trace as a waterfall, from the span files under var/traces/."""
    from kyodo_launcher.trace_view import load_spans, waterfall

    spans = load_spans(_settings(var_dir).var_dir / "traces", trace_id.lower())
    if not spans:
        console.print(f"[red]no spans for trace {trace_id}[/]")
        raise typer.Exit(1)
    console.print(waterfall(spans))


@events_app.command("redrive")
def redrive_dead_letters(
    topic: Annotated[str, typer.Option(help="The original topic, e.g. kyodo.residents.v1.")],
    var_dir: VarDir = None,
) -> None:
    """Publish the topic's dead letters again (after the consumer's fault is fixed)."""
    from kyodo_common.events.kafka import make_producer
    from kyodo_common.events.redrive import redrive

    settings = _settings(var_dir)
    state = read_state(settings.state_path)
    bootstrap = settings.kafka_bootstrap_servers or (state or {}).get("bootstrap_servers")
    if not bootstrap:
        console.print("[red]no running platform and no KAFKA_BOOTSTRAP_SERVERS[/]")
        raise typer.Exit(1)

    async def run() -> int:
        producer = make_producer(bootstrap)
        await producer.start()
        try:
            return await redrive(bootstrap, topic, producer)
        finally:
            await producer.stop()

    console.print(f"{asyncio.run(run())} dead letters of {topic} published again.")


def _iso_time(value: str) -> datetime:
    """Any ISO 8601 time, as `datetime.isoformat()` writes it (offset, microseconds); a time
    without an offset is UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 time, e.g. "
                                 "2026-12-07T09:00:00+09:00") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@events_app.command("replay")
def replay(
    service: Annotated[str, typer.Option(help="The producing service, e.g. residents.")],
    since: Annotated[datetime, typer.Option(
        parser=_iso_time, help="ISO 8601 time (with an offset, or UTC); events created at or "
                               "after it.")],
    until: Annotated[datetime | None, typer.Option(
        parser=_iso_time, help="ISO 8601 time; before it.")] = None,
    var_dir: VarDir = None,
) -> None:
    """Publish a time range of a service's events again from its outbox."""
    from kyodo_launcher.replay import replay_outbox

    state = read_state(_settings(var_dir).state_path)
    if state is None or service not in state.get("relays", {}):
        console.print(f"[red]no running platform with a {service!r} database[/]")
        raise typer.Exit(1)
    count = asyncio.run(replay_outbox(state["relays"][service], since, until))
    console.print(f"{count} events of {service} queued for publishing again.")


@app.command("backup")
def backup_command(
    to: Annotated[Path, typer.Option("--to", help="A new (or empty) directory.")],
    var_dir: VarDir = None,
) -> None:
    """Dump every service database (pg_dump, custom format) with a manifest; on a platform
    `kyodo up` runs, its keys too. Works while the platform runs."""
    from kyodo_launcher.backup import BackupError, backup
    from kyodo_launcher.catalogue import SERVICES
    from kyodo_launcher.provision import with_database

    settings = _settings(var_dir)
    state = read_state(settings.state_path)
    keys = None
    if state and state.get("databases"):
        databases = dict(state["databases"])
        keys = settings.var_dir / "keys.json"
    elif settings.database_url:
        databases = {s.name: settings.external_service_url(s.name)
                     or with_database(settings.database_url, s.database) for s in SERVICES}
    else:
        console.print("[red]no running platform and no DATABASE_URL[/]")
        raise typer.Exit(1)
    try:
        manifest = backup(databases, to, keys)
    except BackupError as failure:
        console.print(f"[red]{failure}[/]")
        raise typer.Exit(1) from None
    total = sum(entry["bytes"] for entry in manifest["services"].values())
    console.print(f"[green]✓[/] {len(manifest['services'])} databases backed up to {to} "
                  f"({total / 1e6:.1f} MB){' with the keys' if 'keys' in manifest else ''}")


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="A directory `kyodo backup` wrote.")],
    var_dir: VarDir = None,
    yes: Annotated[bool, typer.Option("--yes", help="Replace the databases unasked.")] = False,
) -> None:
    """Replace every service database with the backup's (the platform stopped). The next
    `kyodo up` publishes every outbox again, so the read models catch up across services."""
    from kyodo_launcher.backup import KEYS, BackupError, read_manifest

    settings = _settings(var_dir, find=False)
    state = read_state(settings.state_path)
    if state and pid_alive(state["launcher_pid"]):
        console.print("[red]the platform is running: `kyodo down` first[/]")
        raise typer.Exit(1)
    try:
        manifest = read_manifest(source)
    except BackupError as failure:
        console.print(f"[red]{failure}[/]")
        raise typer.Exit(1) from None
    if not yes:
        typer.confirm(f"Replace the databases {', '.join(manifest['services'])} with the "
                      f"backup of {manifest['taken_at']}?", abort=True)
    try:
        restored = asyncio.run(_restore(settings, source))
    except BackupError as failure:
        console.print(f"[red]{failure}[/]")
        raise typer.Exit(1) from None
    if "keys" in manifest and not settings.database_url:
        import shutil

        settings.var_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / KEYS, settings.var_dir / "keys.json")
        (settings.var_dir / "keys.json").chmod(0o600)
    # Not the old platform's republish points: the next start publishes every outbox again.
    (settings.var_dir / "recovery.json").unlink(missing_ok=True)
    console.print(f"[green]✓[/] restored {', '.join(restored)} from the backup of "
                  f"{manifest['taken_at']}; `kyodo up` starts it")


async def _restore(settings: LauncherSettings, source: Path) -> list[str]:
    """On the external server of DATABASE_URL, or on the embedded one (started for this)."""
    import os

    from kyodo_launcher import postgres
    from kyodo_launcher.backup import BackupError, restore
    from kyodo_launcher.catalogue import all_roles
    from kyodo_launcher.config import local_role_passwords, local_secrets, role_passwords_from
    from kyodo_launcher.provision import wait_for_postgres

    if settings.database_url:
        passwords = role_passwords_from(os.environ, all_roles())
        missing = [role for role in all_roles() if role not in passwords]
        if missing:
            raise BackupError(f"no password for the database roles {', '.join(missing)}")
        return await restore(source, settings.database_url, passwords)
    var = settings.var_dir.resolve()
    var.mkdir(parents=True, exist_ok=True)
    password = local_secrets(var)["postgres"]
    await asyncio.to_thread(postgres.init_cluster, var / "pg", password)
    server = postgres.server(var / "pg", settings.postgres_port, var / "log" / "postgres.log")
    server.start()
    try:
        admin = f"postgresql://postgres:{password}@127.0.0.1:{settings.postgres_port}/postgres"
        await wait_for_postgres(admin, settings.ready_timeout)
        return await restore(source, admin, local_role_passwords(var, all_roles()))
    finally:
        server.stop()


@keys_app.command("generate")
def generate_keys() -> None:
    """Print a fresh set of keys as KEY=value lines (e.g. for compose's .env). Give each
    service only its own: docker-compose.yml and deploy/k8s show which is whose."""
    from kyodo_launcher.keys import every_setting, generate

    for name, value in every_setting(generate()).items():
        typer.echo(f"{name}={value}")


@webhooks_app.command("listen")
def webhooks_listen(
    secret: Annotated[list[str], typer.Option(
        "--secret", envvar="KYODO_WEBHOOK_SECRET",
        help="the subscription's whsec_ secret (repeat during a rotation's overlap)")],
    port: Annotated[int, typer.Option(help="port to listen on")] = 9000,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
) -> None:
    """Receive notifications locally: verify each signature, print each delivery (duplicates
    by webhook-id marked), answer 204, or 401 to a bad signature."""
    from kyodo_launcher.webhooks_listen import listen

    console.print(f"listening on http://{host}:{port}/ (Ctrl-C to stop)")
    listen(secret, host, port)


@jobs_app.command("watch")
def jobs_watch(
    target: Annotated[str, typer.Argument(help="A job URL or Location path, or a kind "
                                               "(bulk-assessment, salary-import, "
                                               "certificate-job, survey-import) followed "
                                               "by its id.")],
    job_id: Annotated[str | None, typer.Argument(help="The job's id, after a kind.")] = None,
    municipality: Annotated[str, typer.Option("--municipality", help="地方公共団体コード")] = "",
    token: Annotated[str | None, typer.Option(envvar="KYODO_TOKEN",
                                              help="A bearer token (or log in).")] = None,
    username: Annotated[str | None, typer.Option(help="Log in as this operator.")] = None,
    password: Annotated[str | None, typer.Option(envvar="KYODO_PASSWORD")] = None,
    gateway: Annotated[str | None, typer.Option(help="Default: the running platform's.")] = None,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 1.0,
    var_dir: VarDir = None,
) -> None:
    """Poll a job through the gateway with a progress bar, its rate and time remaining;
    exits 0 when it finished, 1 when it failed or cannot be followed."""
    import httpx

    from kyodo_launcher.jobs_view import JobWatchError, job_url, login, watch

    if gateway is None:
        state = read_state(_settings(var_dir).state_path)
        gateway = state["gateway_url"] if state else "http://127.0.0.1:8000"
    try:
        with httpx.Client(timeout=10.0) as client:
            if token is None:
                if not (username and password and municipality):
                    raise JobWatchError("give --token, or --municipality, --username and "
                                        "--password")
                token = login(client, gateway, municipality, username, password)
            url = job_url(gateway, municipality, target, job_id)
            last = watch(client, url, token, console=console, interval=interval)
    except JobWatchError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    raise typer.Exit(1 if last.state == "failed" else 0)


@app.command()
def top(
    interval: Annotated[float, typer.Option(help="Seconds between scrapes.")] = 2.0,
    var_dir: VarDir = None,
) -> None:
    """A live view per process of requests/s, 5xx/s, p99, outbox backlog and consumer lag,
    from the /metrics each process of the running platform serves (Ctrl-C leaves)."""
    import httpx

    from kyodo_launcher.top import run

    state = read_state(_settings(var_dir).state_path)
    if state is None:
        console.print("Nothing is running.")
        raise typer.Exit(1)
    urls = {name: p["metrics"] for name, p in state["processes"].items() if p.get("metrics")}
    with httpx.Client(timeout=2.0) as client, contextlib.suppress(KeyboardInterrupt):
        run(client, urls, console=console, interval=interval)


@certificates_app.command("verify-qr")
def certificates_verify_qr(
    payload: Annotated[str, typer.Argument(help="The text scanned from the certificate's QR "
                                                "code (the URL with its #k1. statement)")],
    keys: Annotated[Path, typer.Option(
        "--keys", help="The JWKS fetched once from GET /v1/certificates/verify/keys")],
) -> None:
    """Check a printed certificate's QR offline: print what it certifies (compare it with
    the paper) and VALID or INVALID; exit 1 when invalid. No network is used."""
    import json

    from kyodo_common.certificate_qr import public_keys, verify

    checked = verify(payload, public_keys(json.loads(keys.read_text())))
    statement = checked.statement
    if statement is not None:
        typer.echo(f"照合番号 verification code: {statement.verification_code}")
        typer.echo(f"種類 kind: {statement.kind}")
        typer.echo(f"市区町村 municipality: {statement.municipality_code}")
        typer.echo(f"交付日 issued on: {statement.issued_on}")
        for person in statement.people:
            typer.echo(f"氏名 {person.name}　生年月日 {person.birth}")
        typer.echo(f"key: {checked.kid}")
    if checked.valid:
        typer.echo("VALID")
        return
    typer.echo(f"INVALID: {checked.reason}")
    raise typer.Exit(1)
