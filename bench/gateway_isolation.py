"""Gateway: rate-limit isolation. While municipality A floods the gateway and is limited (429),
municipality B's latency stays as it was.

Target (the issue): B's p99 while A floods ≤ 1.5× B's p99 unloaded, B's answers all 200,
A's mostly 429.

Started by this benchmark on free loopback ports, stopped by PID at the end:
* the upstream: nginx (Debian package, installed if missing), 1 worker, a static 200, so that
  it is never the bottleneck and takes little of the machine's two cores;
* a stand-in for identity's JWKS and internal endpoints (static files, `http.server`);
* the gateway, `python -m kyodo_gateway` as the launcher starts it, with a per-municipality
  limit low enough for a flood to hit (500/s, burst 500) and a per-caller limit above it
  (1,000/s), so that A is refused as a municipality;
* the flood, in its own process: wrk with one token of municipality A (a Lua script counts
  the answers by status; the paced flood also waits between requests on each connection).

B's probe is this process: one kept-alive connection, 2,000 sequential GETs paced at 400/s
(under B's own limit, so B is never limited itself), latency from the first byte sent to the
last byte of the answer. Each run measures B unloaded, then while A floods paced (20
connections, 2 ms between a connection's requests: up to ~10,000/s offered, 20× its limit),
then while A floods flat out (closed loop on 32 connections, as fast as the gateway answers).
Ratios (p50 and p99) are taken within a run, loaded / unloaded of the same run; medians of the
runs with min–max.

Fairness on a small machine: the load generator would be on other machines in production, here
it shares the cores with the gateway, the upstream and the probe. The flood runs at nice 19
so it takes the CPU only when they do not need it; nothing is pinned (other sessions load both
cores, and pinning would keep the gateway off whichever core is free). The machine's load
(load average, busy and steal share, what other processes used) is reported with each run.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httptools
import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from rich.console import Console
from rich.table import Table

from bench._cpu import cpu_seconds, machine_seconds, used_between
from bench._report import distribution, fmt, summarise, write_results
from bench._report import versions as versions_of
from bench.gateway import Stack, _ensure_tools
from kyodo_common.assertion import new_gateway_key
from kyodo_launcher.ports import free_port

NAME = "gateway_isolation"
TARGET_P99_RATIO = 1.5
CODE_A, CODE_B = "131016", "271004"  # 千代田区 floods, 大阪市 is probed
ISSUER = "https://kyodo.bench/identity"
AUDIENCE = "kyodo"
# A throw-away key pair: the gateway signs its assertions with the private half.
ASSERTION_KEY = new_gateway_key()[0]
TENANT_RATE, TENANT_BURST = 500, 500  # per municipality and gateway process
CLIENT_RATE, CLIENT_BURST = 1000, 1000  # per caller: above the municipality's
PROBE_RATE = 400  # B's requests per second: below its limit
PACED_FLOOD_RATE, PACED_CONNECTIONS = 10_000, 20
FLAT_CONNECTIONS = 32
FLOOD_NICE = 19
RAMP_SECONDS = 1.0  # the flood runs this long before B is probed (A's burst is long gone)
STARTUP_SECONDS = 30
PHASES = ("unloaded", "paced flood", "flat-out flood")

console = Console()

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{static};
    location / {{ default_type application/json; return 200 '{{"hello":"world"}}'; }}
  }}
}}
"""

# Counts A's answers by status in every wrk thread; `done` adds them up. The paced flood
# defines `delay` too: wrk waits that long on a connection before each request.
FLOOD_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok, limited, other = 0, 0, 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 429 then limited = limited + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local o, l, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); l = l + t:get("limited"); x = x + t:get("other")
  end
  io.write(string.format("STATUS ok=%d limited=%d other=%d\\n", o, l, x))
end
"""
DELAY_LUA = "function delay() return {ms} end\n"


# --- processes ------------------------------------------------------------------------------


def _identity_files(root: Path) -> dict[str, str]:
    """JWKS, no grants, both municipalities; a token of one caller in each."""
    key = Ed25519PrivateKey.generate()
    jwk = {**OKPAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "bench",
           "alg": "EdDSA", "use": "sig"}
    files = {"v1/auth/jwks.json": {"keys": [jwk]},
             "v1/internal/access": {"grants": [], "revocations": []},
             "v1/internal/municipalities": [{"code": CODE_A, "cors_origins": []},
                                            {"code": CODE_B, "cors_origins": []}]}
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    now = int(time.time())
    return {code: jwt.encode({"sub": f"bench-clerk-{code}", "municipality": code,
                              "kind": "staff", "scope": "static:read",
                              "roles": ["counter_clerk"], "iat": now, "exp": now + 3600,
                              "aud": AUDIENCE, "iss": ISSUER, "jti": f"bench-{code}"},
                             key, algorithm="EdDSA", headers={"kid": "bench"})
            for code in (CODE_A, CODE_B)}


def _path(code: str) -> str:
    return f"/v1/municipalities/{code}/static/r-1"


@contextmanager
def running_stack(nginx: str) -> Iterator[tuple[Stack, dict[str, str]]]:
    with tempfile.TemporaryDirectory(prefix="kyodo-bench-isolation-") as tmp_name:
        tmp = Path(tmp_name)
        tokens = _identity_files(tmp / "identity")
        stack = Stack(tmp, tokens[CODE_B])
        stack.ports = ports = {name: free_port() for name in ("static", "identity", "gateway")}
        try:
            stack.start("identity", [
                sys.executable, "-m", "http.server", str(ports["identity"]),
                "--bind", "127.0.0.1", "--directory", str(tmp / "identity")])
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, static=ports["static"]))
            stack.start("nginx", [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"),
                                  "-e", str(tmp / "nginx-error.log")])
            stack.nginx = True
            identity = f"http://127.0.0.1:{ports['identity']}"
            env = {**os.environ,
                   "KYODO_PORT": str(ports["gateway"]), "KYODO_HOST": "127.0.0.1",
                   "KYODO_VAR_DIR": str(tmp / "var"), "KYODO_LOG_LEVEL": "WARNING",
                   "KYODO_UPSTREAM_IDENTITY": identity,
                   "KYODO_UPSTREAMS": json.dumps({"static": f"http://127.0.0.1:"
                                                            f"{ports['static']}"}),
                   "KYODO_JWKS_URL": f"{identity}/v1/auth/jwks.json",
                   "KYODO_TOKEN_ISSUER": ISSUER, "KYODO_TOKEN_AUDIENCE": AUDIENCE,
                   "KYODO_GATEWAY_ASSERTION_KEY": ASSERTION_KEY,
                   "KYODO_RATE_TENANT_PER_SECOND": str(TENANT_RATE),
                   "KYODO_RATE_TENANT_BURST": str(TENANT_BURST),
                   "KYODO_RATE_CLIENT_PER_SECOND": str(CLIENT_RATE),
                   "KYODO_RATE_CLIENT_BURST": str(CLIENT_BURST)}
            env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
            stack.start("gateway", [sys.executable, "-m", "kyodo_gateway"], env=env)
            _wait_ready(stack, tokens)
            yield stack, tokens
        finally:
            stack.stop()


def _wait_ready(stack: Stack, tokens: dict[str, str]) -> None:
    """Both municipalities answered 200 once: tokens verified and cached, upstream connected."""
    deadline = time.monotonic() + STARTUP_SECONDS
    base = f"http://127.0.0.1:{stack.ports['gateway']}"
    for code, token in tokens.items():
        while True:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{stack.log_tail(name)}")
            with suppress(httpx.HTTPError):
                response = httpx.get(base + _path(code), timeout=2, trust_env=False,
                                     headers={"Authorization": f"Bearer {token}"})
                if response.status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gateway not ready in {STARTUP_SECONDS} s:\n"
                                   f"{stack.log_tail('gateway')}")
            time.sleep(0.1)


# --- B's probe ------------------------------------------------------------------------------


class Probe:
    """Sequential GETs on one kept-alive connection (reconnects after an error)."""

    def __init__(self, port: int, token: str) -> None:
        self.address = ("127.0.0.1", port)
        self.request = (f"GET {_path(CODE_B)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                        f"Authorization: Bearer {token}\r\nUser-Agent: kyodo-bench-probe\r\n"
                        f"\r\n").encode("ascii")
        self.sock: socket.socket | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.complete = False
        self.status = 0

    # httptools callbacks
    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_message_complete(self) -> None:
        self.complete = True

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def one(self) -> tuple[int, float]:
        """(status, milliseconds); status 0 for a transport error."""
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=5)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.parser = httptools.HttpResponseParser(self)
        self.complete, self.status = False, 0
        started = time.perf_counter_ns()
        try:
            self.sock.sendall(self.request)
            while not self.complete:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed by the gateway")
                self.parser.feed_data(chunk)
        except (OSError, httptools.HttpParserError):
            self.close()
            return 0, (time.perf_counter_ns() - started) / 1e6
        elapsed = (time.perf_counter_ns() - started) / 1e6
        if not self.parser.should_keep_alive():
            self.close()
        return self.status, elapsed

    def run(self, count: int, rate: float) -> dict[str, Any]:
        """`count` requests paced at `rate`/s (never catching up in a burst), bounded in time."""
        interval = 1.0 / rate
        deadline = time.monotonic() + count * interval * 3 + 10
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        next_at = time.monotonic()
        for _ in range(count):
            now = time.monotonic()
            if now > deadline:
                break
            if next_at > now:
                time.sleep(next_at - now)
            next_at = max(next_at + interval, time.monotonic())
            status, ms = self.one()
            statuses[status] += 1
            if status == 200:
                latencies.append(ms)
        sent = sum(statuses.values())
        return {"latency_ms": distribution(latencies), "sent": sent, "ok": statuses[200],
                "errors": sent - statuses[200] + (count - sent),
                # a string: the statuses differ between runs, summarise() skips it
                "statuses": ", ".join(f"{k or 'transport error'}×{v}"
                                      for k, v in sorted(statuses.items()))}


# --- A's flood ------------------------------------------------------------------------------


def _delay_ms() -> int:
    """The paced flood's wait before each request on a connection (wrk counts whole ms)."""
    return max(1, round(PACED_CONNECTIONS / PACED_FLOOD_RATE * 1000))


class Flood:
    """wrk at nice 19 in its own process, until stopped (SIGINT: it prints its summary)."""

    def __init__(self, wrk: str, stack: Stack, token: str, *, paced: bool) -> None:
        self.paced = paced
        script = stack.tmp / ("flood-paced.lua" if paced else "flood.lua")
        connections = PACED_CONNECTIONS if paced else FLAT_CONNECTIONS
        lua = FLOOD_LUA
        if paced:  # each connection: one request every `connections / rate` seconds
            lua += DELAY_LUA.format(ms=_delay_ms())
        script.write_text(lua)
        url = f"http://127.0.0.1:{stack.ports['gateway']}{_path(CODE_A)}"
        self.command = ["nice", "-n", str(FLOOD_NICE), wrk, "-t1", f"-c{connections}",
                        "-d120s", "--timeout", "5s", "-s", str(script),
                        "-H", f"Authorization: Bearer {token}", url]
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> int:
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        text=True)
        return self.process.pid  # `nice` execs wrk: the same PID

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> dict[str, float]:
        """SIGINT by PID (SIGKILL if it does not exit), then its counts from the summary."""
        assert self.process is not None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            out, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate(timeout=5)
        requests = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", out)
        status = re.search(r"STATUS ok=(\d+) limited=(\d+) other=(\d+)", out)
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                           r"timeout (\d+)", out)
        if not requests or not status:
            raise RuntimeError(f"unexpected wrk output:\n{out[-2000:]}")
        unit = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[requests.group(3)]
        seconds = float(requests.group(2)) * unit
        ok, limited, other = (int(g) for g in status.groups())
        answered = max(1, ok + limited + other)
        return {"requests": float(requests.group(1)), "seconds": seconds,
                "rate_per_s": float(requests.group(1)) / seconds if seconds else math.nan,
                "ok": ok, "limited": limited, "other": other,
                "limited_share": limited / answered, "ok_rate_per_s": ok / seconds
                if seconds else math.nan,
                "socket_errors": float(sum(int(g) for g in errors.groups())) if errors
                else 0.0}

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


# --- runs -----------------------------------------------------------------------------------


def _phase(wrk: str, stack: Stack, tokens: dict[str, str], probe: Probe, count: int,
           flood: str | None) -> dict[str, Any]:
    roots = {"gateway": stack.pid("gateway"), "nginx": stack.pid("nginx")}
    runner = Flood(wrk, stack, tokens[CODE_A], paced=flood == "paced") if flood else None
    try:
        if runner is not None:
            roots["flood (wrk, nice 19)"] = runner.start()
            time.sleep(RAMP_SECONDS)
            if not runner.alive():
                raise RuntimeError(f"the flood stopped: {runner.stop()}")
        load_before = os.getloadavg()[0]
        cpu_before, probe_before = cpu_seconds(roots), time.process_time()
        machine_before, started = machine_seconds(), time.monotonic()
        result = probe.run(count, PROBE_RATE)
        elapsed = time.monotonic() - started
        cpu = used_between(cpu_before, cpu_seconds(roots))
        cpu["probe (this process)"] = time.process_time() - probe_before
        busy, steal, total = (b - a for a, b in zip(machine_before, machine_seconds(),
                                                    strict=True))
        if runner is not None:
            result["flood"] = runner.stop()
    finally:
        if runner is not None:
            runner.kill()
    result["cpu_cores"] = {name: s / elapsed for name, s in cpu.items()}
    result["machine"] = {
        "load_average_1m": (load_before + os.getloadavg()[0]) / 2,
        "busy_pct": busy / total * 100 if total else math.nan,
        "steal_pct": steal / total * 100 if total else math.nan,
        "others_cores": max(0.0, busy - sum(cpu.values())) / elapsed,
    }
    return result


def _one_run(wrk: str, stack: Stack, tokens: dict[str, str], count: int) -> dict[str, Any]:
    probe = Probe(stack.ports["gateway"], tokens[CODE_B])
    try:
        phases = {}
        for phase, flood in zip(PHASES, (None, "paced", "flat"), strict=True):
            phases[phase] = _phase(wrk, stack, tokens, probe, count, flood)
            time.sleep(0.5)  # the flood's connections are closed before the next phase
    finally:
        probe.close()
    base = phases["unloaded"]["latency_ms"]
    ratios = {}
    for phase in PHASES[1:]:
        # What a request of A's costs the gateway (mostly 429s): its CPU above the unloaded
        # phase's (B's own requests), over A's rate.
        extra = phases[phase]["cpu_cores"]["gateway"] \
            - phases["unloaded"]["cpu_cores"]["gateway"]
        flood = phases[phase]["flood"]
        flood["gateway_us_per_request"] = max(0.0, extra) / flood["rate_per_s"] * 1e6
        loaded = phases[phase]["latency_ms"]
        ratios[f"{phase}: p99 ratio"] = loaded["p99"] / base["p99"]
        ratios[f"{phase}: p50 ratio"] = loaded["p50"] / base["p50"]
    return {"phases": phases, "ratios": ratios,
            "b_errors": float(sum(p["errors"] for p in phases.values()))}


# --- report ---------------------------------------------------------------------------------


def _tables(summary: dict[str, Any], runs: int, count: int) -> dict[str, bool]:
    phases, ratios = summary["phases"], summary["ratios"]
    probe = Table(title=f"B: {count:,} sequential GETs on one connection at {PROBE_RATE}/s "
                        f"(limit {TENANT_RATE}/s per municipality), medians of {runs} runs "
                        f"(min–max)")
    for column in ("phase", "p50 ms", "p95 ms", "p99 ms", "p50 × unloaded", "p99 × unloaded",
                   "errors"):
        probe.add_column(column, justify="left" if column == "phase" else "right")
    flood = Table(title="A's flood and the machine during B's probe")
    for column in ("phase", "A req/s", "A 429 share", "A 200/s", "gateway cores",
                   "gateway µs / A req", "flood cores", "others' cores", "load avg",
                   "steal %"):
        flood.add_column(column, justify="left" if column == "phase" else "right")
    for phase in PHASES:
        figures = phases[phase]
        latency, machine, cores = figures["latency_ms"], figures["machine"], figures["cpu_cores"]
        a = figures.get("flood")
        probe.add_row(
            phase, fmt(latency["p50"], 3), fmt(latency["p95"], 3), fmt(latency["p99"], 3),
            fmt(ratios[f"{phase}: p50 ratio"], 2) if a else "1",
            fmt(ratios[f"{phase}: p99 ratio"], 2) if a else "1", fmt(figures["errors"], 0))
        flood.add_row(
            phase, fmt(a["rate_per_s"], 0) if a else "–",
            fmt({k: v * 100 for k, v in a["limited_share"].items()}, 1, " %") if a else "–",
            fmt(a["ok_rate_per_s"], 0) if a else "–", fmt(cores["gateway"], 2),
            fmt(a["gateway_us_per_request"], 1) if a else "–",
            fmt(cores["flood (wrk, nice 19)"], 2) if a else "–",
            fmt(machine["others_cores"], 2), fmt(machine["load_average_1m"], 1),
            fmt(machine["steal_pct"], 1))
    console.print(probe)
    console.print(flood)
    verdicts: dict[str, bool] = {}
    for phase in PHASES[1:]:
        verdicts[f"{phase}: B p99 ≤ {TARGET_P99_RATIO}× unloaded"] = \
            ratios[f"{phase}: p99 ratio"]["median"] <= TARGET_P99_RATIO
        verdicts[f"{phase}: A mostly 429 (> 50 %, every run)"] = \
            phases[phase]["flood"]["limited_share"]["min"] > 0.5
    verdicts["B: every answer 200, in every run"] = summary["b_errors"]["max"] == 0
    console.print(
        f"The flood is wrk at nice {FLOOD_NICE} in its own process, not pinned: on this "
        f"{os.cpu_count()}-core machine it shares the cores with the gateway, the upstream "
        "and the probe, and gets the CPU only when they do not need it (pinning would keep the "
        "gateway off whichever core other sessions leave free). Paced flood: "
        f"{PACED_CONNECTIONS} connections, each waiting {_delay_ms()} ms before each request "
        f"(~{PACED_FLOOD_RATE:,}/s offered); flat-out: {FLAT_CONNECTIONS} connections in a "
        "closed loop. Ratios are loaded / unloaded within each run. 'others' cores': CPU used "
        "by processes outside this benchmark (other sessions) during the probe; when it is "
        "high, B's p99 is mostly their scheduling noise, loaded or not.")
    for name, ok in verdicts.items():
        console.print(f"  {'[green]✓' if ok else '[red]✗'} {name}[/]")
    return verdicts


def main(*, quick: bool = False) -> dict[str, Any]:
    runs, count = (2, 500) if quick else (5, 2_000)
    wrk, nginx = _ensure_tools()
    if nginx is None:
        raise RuntimeError("nginx is needed for the static upstream (Debian: apt-get install "
                           "nginx)")
    results: list[dict[str, Any]] = []
    load_at_start = list(os.getloadavg())
    with running_stack(nginx) as (stack, tokens):
        warm = Probe(stack.ports["gateway"], tokens[CODE_B])
        warm.run(TENANT_BURST // 2, PROBE_RATE)  # connections, caches, upstream pool
        warm.close()
        for run in range(1, runs + 1):
            result = _one_run(wrk, stack, tokens, count)
            results.append(result)
            phases = result["phases"]
            console.print(
                f"run {run}/{runs}: B p99 " + ", ".join(
                    f"{p} {phases[p]['latency_ms']['p99']:.3f} ms" for p in PHASES)
                + "; A " + ", ".join(
                    f"{p} {phases[p]['flood']['rate_per_s']:,.0f}/s "
                    f"({phases[p]['flood']['limited_share'] * 100:.1f} % 429)"
                    for p in PHASES[1:])
                + f"; B errors {result['b_errors']:.0f}; load {os.getloadavg()[0]:.1f}")
    summary = summarise(results)
    verdicts = _tables(summary, runs, count)
    path = write_results(NAME, {
        "config": {"runs": runs, "probe_requests": count, "probe_rate_per_s": PROBE_RATE,
                   "quick": quick, "tenant_limit": [TENANT_RATE, TENANT_BURST],
                   "client_limit": [CLIENT_RATE, CLIENT_BURST],
                   "paced_flood": {"offered_per_s": PACED_FLOOD_RATE,
                                   "connections": PACED_CONNECTIONS},
                   "flat_flood_connections": FLAT_CONNECTIONS, "flood_nice": FLOOD_NICE,
                   "pinned": False, "ramp_seconds": RAMP_SECONDS,
                   "upstream": "nginx static 200, 1 worker",
                   "load_average_at_start": load_at_start,
                   "target_p99_ratio": TARGET_P99_RATIO},
        "tools": {**versions_of(("httptools", "uvloop", "pyjwt")),
                  "wrk": _first_line([wrk, "-v"]), "nginx": _first_line([nginx, "-v"])},
        "meets_targets": verdicts, "summary": summary, "runs": results,
    })
    console.print(f"results: {path}")
    return summary


def _first_line(command: list[str]) -> str | None:
    with suppress(OSError, subprocess.TimeoutExpired):
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
        text = (done.stdout + done.stderr).strip()
        return text.splitlines()[0] if text else None
    return None
