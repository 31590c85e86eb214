"""Gateway: throughput, latency and CPU per request against nginx, side by side in one run.

Targets (docs/PERFORMANCE.md): the gateway with token verification, authorization, rate
limiting and tracing reaches ≥ 0.7× the throughput of nginx as a plain reverse proxy to the
same upstream, adds ≤ 0.3 ms to the p50 at one connection over calling the upstream
directly, and serves ≥ 15,000 req/s on its own (one process, in front of a static nginx
upstream that is never the bottleneck).

Started by this benchmark on free loopback ports, stopped by PID at the end:
* the upstream: a hello-world FastAPI app under uvicorn (1 worker, uvloop + httptools);
* nginx (Debian package, installed if missing): 1 worker, plain reverse proxy with keep-alive
  to the upstream; also a static 200, and a reverse proxy to that static 200;
* the gateway, `python -m kyodo_gateway` as the launcher starts it, every feature on: EdDSA
  token verification (cached), authorization and signed assertion, rate limits (set high
  enough never to trigger), tracing (default sampling; one more row records every span);
* a stand-in for identity's JWKS and internal endpoints (static files).

Load: `wrk -t2 -c64` (throughput) and `wrk -t1 -c1 --latency` (p50), each target in turn
within every run; medians of the runs with min–max. CPU per request is the process's (and
its children's) user + system time over the requests it served (from /proc/<pid>/stat).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from rich.console import Console
from rich.table import Table

from bench._cpu import cpu_seconds, used_between
from bench._report import fmt, summarise, write_results
from bench._report import versions as versions_of
from kyodo_common.assertion import new_gateway_key
from kyodo_launcher.ports import free_port

NAME = "gateway"
TARGET_RATIO = 0.7
TARGET_ADDED_P50_MS = 0.3
TARGET_CAPACITY = 15_000
CODE = "131016"
ISSUER = "https://kyodo.bench/identity"
AUDIENCE = "kyodo"
# A throw-away key pair: the gateway signs its assertions with the private half.
ASSERTION_KEY = new_gateway_key()[0]
THREADS, CONNECTIONS = 2, 64
STARTUP_SECONDS = 30
TRACE_SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
# docs/PERFORMANCE.md, this kind of machine: (req/s, p50 ms at 1 connection).
REFERENCE = {
    "direct": (9_587, 0.17), "nginx": (9_870, 0.18),
    "ASGI + aiohttp gateway": (8_889, 0.32), "raw uvloop proxy": (8_399, 0.21),
    "nginx → static": (73_775, 0.09), "raw proxy + JWT, limits, routing, cached tokens":
        (51_035, 0.10),
}

console = Console()

HELLO_APP = '''
from fastapi import FastAPI

app = FastAPI()


@app.api_route("/v1/municipalities/{code}/residents/{rest:path}", methods=["GET", "HEAD"])
async def hello(code: str, rest: str) -> dict[str, str]:
    return {"hello": "world"}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
'''

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
  upstream app {{ server 127.0.0.1:{upstream}; keepalive 64; keepalive_requests 1000000; }}
  upstream static {{ server 127.0.0.1:{static}; keepalive 64; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{proxy};
    location / {{ proxy_pass http://app; proxy_http_version 1.1;
                 proxy_set_header Connection ""; }}
  }}
  server {{
    listen 127.0.0.1:{static};
    location / {{ default_type application/json; return 200 '{{"hello":"world"}}'; }}
  }}
  server {{
    listen 127.0.0.1:{proxy_static};
    location / {{ proxy_pass http://static; proxy_http_version 1.1;
                 proxy_set_header Connection ""; }}
  }}
}}
"""


# --- tools ----------------------------------------------------------------------------------


def _ensure_tools() -> tuple[str, str | None]:
    """wrk (required) and nginx (its rows are skipped without it); installed if missing."""
    missing = [tool for tool in ("wrk", "nginx") if not _which(tool)]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        console.print(f"installing {', '.join(missing)} (Debian packages)…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", *missing]):
            result = subprocess.run(command, env=env, capture_output=True, text=True,
                                    timeout=600, check=False)
            if result.returncode != 0:
                console.print(f"[yellow]{' '.join(command)} failed:[/] {result.stderr[-500:]}")
                break
    wrk, nginx = _which("wrk"), _which("nginx")
    if wrk is None:
        raise RuntimeError("wrk is needed (Debian: apt-get install wrk)")
    if nginx is None:
        console.print("[yellow]nginx is not installed and could not be: the nginx rows and "
                      "the static-upstream capacity are skipped[/]")
    return wrk, nginx


def _which(tool: str) -> str | None:
    return shutil.which(tool) or next(
        (str(p) for p in (Path("/usr/sbin") / tool, Path("/usr/bin") / tool) if p.exists()),
        None)


# --- processes ------------------------------------------------------------------------------


@dataclass
class Stack:
    tmp: Path
    token: str
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    nginx: bool = False

    def url(self, target: str) -> str:
        path = f"/v1/municipalities/{CODE}/residents/r-1"
        port = {"direct": "upstream", "nginx": "nginx_proxy", "gateway": "gateway",
                "nginx → static": "nginx_proxy_static", "gateway → static": "gateway",
                "gateway → static, all spans": "gateway"}[target]
        if target.startswith("gateway → static"):
            path = f"/v1/municipalities/{CODE}/static/r-1"
        return f"http://127.0.0.1:{self.ports[port]}{path}"

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.tmp / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(command, env=env, stdout=log,
                                                stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL, cwd=self.tmp)

    def log_tail(self, name: str) -> str:
        with suppress(OSError):
            return "\n".join((self.tmp / f"{name}.log").read_text(errors="replace")
                             .splitlines()[-20:])
        return ""

    def stop(self) -> None:
        """Each process by its PID: SIGTERM (nginx: SIGQUIT), then SIGKILL after 10 s."""
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is not None:
                continue
            process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if self.processes.get("gateway") is not None:
            code = self.processes["gateway"].returncode
            if code != 0:
                console.print(f"[yellow]the gateway exited with {code}[/]")


def _identity_files(root: Path) -> tuple[str, dict[str, Any]]:
    key = Ed25519PrivateKey.generate()
    jwk = {**OKPAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": "bench",
           "alg": "EdDSA", "use": "sig"}
    files = {"v1/auth/jwks.json": {"keys": [jwk]},
             "v1/internal/access": {"grants": [], "revocations": []},
             "v1/internal/municipalities": [{"code": CODE, "cors_origins": []}]}
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    now = int(time.time())
    token = jwt.encode({"sub": "bench-clerk", "municipality": CODE, "kind": "staff",
                        "scope": "residents:read residents:write", "roles": ["counter_clerk"],
                        "iat": now, "exp": now + 3600, "aud": AUDIENCE, "iss": ISSUER,
                        "jti": "bench"}, key, algorithm="EdDSA", headers={"kid": "bench"})
    return token, jwk


@contextmanager
def running_stack(nginx: str | None) -> Iterator[Stack]:
    with tempfile.TemporaryDirectory(prefix="kyodo-bench-gateway-") as tmp_name:
        tmp = Path(tmp_name)
        token, _ = _identity_files(tmp / "identity")
        (tmp / "hello.py").write_text(HELLO_APP)
        stack = Stack(tmp, token)
        names = ["upstream", "identity", "gateway"]
        if nginx:
            names += ["nginx_proxy", "nginx_static", "nginx_proxy_static"]
        stack.ports = {name: free_port() for name in names}
        ports = stack.ports
        try:
            stack.start("upstream", [
                sys.executable, "-m", "uvicorn", "hello:app", "--app-dir", str(tmp),
                "--host", "127.0.0.1", "--port", str(ports["upstream"]), "--workers", "1",
                "--loop", "uvloop", "--http", "httptools", "--log-level", "warning",
                "--no-access-log"])
            stack.start("identity", [
                sys.executable, "-m", "http.server", str(ports["identity"]),
                "--bind", "127.0.0.1", "--directory", str(tmp / "identity")])
            if nginx:
                (tmp / "nginx.conf").write_text(NGINX_CONF.format(
                    tmp=tmp, upstream=ports["upstream"], proxy=ports["nginx_proxy"],
                    static=ports["nginx_static"], proxy_static=ports["nginx_proxy_static"]))
                stack.start("nginx", [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"),
                                      "-e", str(tmp / "nginx-error.log")])
                stack.nginx = True
            identity = f"http://127.0.0.1:{ports['identity']}"
            upstream = f"http://127.0.0.1:{ports['upstream']}"
            env = {**os.environ,
                   "KYODO_PORT": str(ports["gateway"]), "KYODO_HOST": "127.0.0.1",
                   "KYODO_VAR_DIR": str(tmp / "var"), "KYODO_LOG_LEVEL": "WARNING",
                   "KYODO_UPSTREAM_IDENTITY": identity, "KYODO_UPSTREAM_RESIDENTS": upstream,
                   "KYODO_UPSTREAM_CERTIFICATES": upstream,
                   "KYODO_JWKS_URL": f"{identity}/v1/auth/jwks.json",
                   "KYODO_TOKEN_ISSUER": ISSUER, "KYODO_TOKEN_AUDIENCE": AUDIENCE,
                   "KYODO_GATEWAY_ASSERTION_KEY": ASSERTION_KEY,
                   # Limits on, high enough never to trigger: their cost is measured.
                   "KYODO_RATE_TENANT_PER_SECOND": "10000000",
                   "KYODO_RATE_TENANT_BURST": "10000000",
                   "KYODO_RATE_CLIENT_PER_SECOND": "10000000",
                   "KYODO_RATE_CLIENT_BURST": "10000000"}
            env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
            if nginx:
                env["KYODO_UPSTREAMS"] = json.dumps(
                    {"static": f"http://127.0.0.1:{ports['nginx_static']}"})
            stack.start("gateway", [sys.executable, "-m", "kyodo_gateway"], env=env)
            _wait_ready(stack)
            yield stack
        finally:
            stack.stop()


def _wait_ready(stack: Stack) -> None:
    targets = ["direct", "gateway"] + (["nginx", "nginx → static", "gateway → static"]
                                       if stack.nginx else [])
    deadline = time.monotonic() + STARTUP_SECONDS
    for target in targets:
        while True:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{stack.log_tail(name)}")
            try:
                response = httpx.get(stack.url(target), timeout=2, trust_env=False,
                                     headers={"Authorization": f"Bearer {stack.token}"})
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{target} not ready in {STARTUP_SECONDS} s:\n"
                                   f"{stack.log_tail('gateway')}")
            time.sleep(0.1)


# --- load -----------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
_NAN = {"median": math.nan, "min": math.nan, "max": math.nan}


def _wrk(wrk: str, stack: Stack, target: str, *, threads: int, connections: int,
         seconds: float, latency: bool = False) -> dict[str, float]:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s",
               "-H", f"Authorization: Bearer {stack.token}"]
    if target.endswith("all spans"):
        command += ["-H", f"traceparent: {TRACE_SAMPLED}"]
    if latency:
        command.append("--latency")
    command.append(stack.url(target))
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30,
                         check=True).stdout
    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    result = {"requests": float(requests.group(1)) if requests else math.nan,
              "rps": float(rps.group(1)) if rps else math.nan,
              "failed": float(non_2xx.group(1)) if non_2xx else 0.0,
              "socket_errors": float(sum(int(g) for g in errors.groups())) if errors else 0.0}
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    if p50:
        result["p50_ms"] = float(p50.group(1)) * _UNITS[p50.group(2)]
    return result


def _throughput(wrk: str, stack: Stack, target: str, seconds: float) -> dict[str, float]:
    roots = {"gateway": stack.pid("gateway"), "upstream": stack.pid("upstream")}
    if stack.nginx:
        roots["nginx"] = stack.pid("nginx")
    before = cpu_seconds(roots)
    result = _wrk(wrk, stack, target, threads=THREADS, connections=CONNECTIONS,
                  seconds=seconds)
    used = used_between(before, cpu_seconds(roots))
    served = max(result["requests"], 1.0)
    result["gateway_cpu_us"] = used["gateway"] / served * 1e6 if "gateway" in target \
        else math.nan
    result["nginx_cpu_us"] = used.get("nginx", math.nan) / served * 1e6 if "nginx" in target \
        else math.nan
    return result


def _one_run(wrk: str, stack: Stack, seconds: float, latency_seconds: float,
             ) -> dict[str, Any]:
    proxied = ["direct", "gateway"] + (["nginx"] if stack.nginx else [])
    static = ["gateway → static", "gateway → static, all spans", "nginx → static"] \
        if stack.nginx else []
    throughput = {t: _throughput(wrk, stack, t, seconds) for t in proxied + static}
    latency = {t: _wrk(wrk, stack, t, threads=1, connections=1, seconds=latency_seconds,
                       latency=True)["p50_ms"] for t in proxied + static[:1]}
    failed = sum(r["failed"] + r["socket_errors"] for r in throughput.values())
    rps = {t: r["rps"] for t, r in throughput.items()}
    nginx_rps = rps.get("nginx", math.nan)
    return {
        "rps": rps,
        "p50_ms": latency,
        "gateway_cpu_us_per_request": {t: r["gateway_cpu_us"] for t, r in throughput.items()
                                       if "gateway" in t},
        "nginx_cpu_us_per_request": {t: r["nginx_cpu_us"] for t, r in throughput.items()
                                     if "nginx" in t},
        "ratios": {
            "gateway_over_nginx": rps["gateway"] / nginx_rps,
            "gateway_over_direct": rps["gateway"] / rps["direct"],
            "nginx_over_direct": nginx_rps / rps["direct"],
            "gateway_added_p50_ms": latency["gateway"] - latency["direct"],
            "nginx_added_p50_ms": latency.get("nginx", math.nan) - latency["direct"],
            "static_gateway_over_nginx": rps.get("gateway → static", math.nan)
            / rps.get("nginx → static", math.nan) if static else math.nan,
        },
        "failed_or_errors": failed,
    }


# --- report ---------------------------------------------------------------------------------


def _tables(summary: dict[str, Any], runs: int, seconds: float) -> dict[str, bool]:
    rps, p50 = summary["rps"], summary["p50_ms"]
    cpu_gw, cpu_ngx = summary["gateway_cpu_us_per_request"], summary["nginx_cpu_us_per_request"]
    ratios = summary["ratios"]
    table = Table(title=f"Gateway vs nginx, same upstream (wrk -t{THREADS} -c{CONNECTIONS} "
                        f"-d{seconds:g}s; p50 at -c1), medians of {runs} runs (min–max)")
    for column in ("setup", "req/s", "× nginx", "p50 at 1 conn", "CPU µs/req (proxy)",
                   "reference (PERFORMANCE.md)"):
        table.add_column(column, justify="left" if column == "setup" else "right")
    reference = {
        "direct": "9,587 req/s, 0.17 ms",
        "nginx": "9,870 req/s, 0.18 ms; nginx 12 µs",
        "gateway": "ASGI+aiohttp 8,889 / 0.32 ms, 148 µs; raw proxy 8,399 / 0.21 ms, 21 µs",
        "gateway → static": "raw proxy + JWT… cached tokens 51,035 / 0.10 ms",
        "gateway → static, all spans": "–",
        "nginx → static": "73,775 req/s, 0.09 ms",
    }
    labels = {"direct": "upstream called directly", "nginx": "nginx → upstream",
              "gateway": "Kyodo gateway → upstream (all features)",
              "gateway → static": "Kyodo gateway → static nginx 200",
              "gateway → static, all spans": "  same, every request's span recorded",
              "nginx → static": "nginx → static nginx 200"}
    for target in labels:
        if target not in rps:
            continue
        ratio = "–"
        if target in ("direct", "nginx", "gateway") and "nginx" in rps:
            ratio = f"{rps[target]['median'] / rps['nginx']['median']:.2f}"
        elif "static" in target and "nginx → static" in rps:
            ratio = f"{rps[target]['median'] / rps['nginx → static']['median']:.2f}"
        cpu = cpu_gw.get(target) or cpu_ngx.get(target)
        table.add_row(labels[target], fmt(rps[target], 0),
                      ratio, fmt(p50[target], 3, " ms") if target in p50 else "–",
                      fmt(cpu, 1) if cpu else "–", reference[target])
    console.print(table)
    verdicts = {
        "throughput ≥ 0.7× nginx": ratios["gateway_over_nginx"]["median"] >= TARGET_RATIO,
        "added p50 ≤ 0.3 ms": ratios["gateway_added_p50_ms"]["median"] <= TARGET_ADDED_P50_MS,
        "static capacity ≥ 15,000 req/s": rps.get("gateway → static", {}).get(
            "median", math.nan) >= TARGET_CAPACITY,
    }
    console.print(
        f"gateway/nginx {fmt(ratios['gateway_over_nginx'], 2)} (target ≥ {TARGET_RATIO}); "
        f"added p50 over direct: gateway {fmt(ratios['gateway_added_p50_ms'], 3, ' ms')}, "
        f"nginx {fmt(ratios['nginx_added_p50_ms'], 3, ' ms')} (target ≤ "
        f"{TARGET_ADDED_P50_MS} ms); static capacity "
        f"{fmt(rps.get('gateway → static', _NAN), 0)} req/s (target ≥ {TARGET_CAPACITY:,})")
    for name, ok in verdicts.items():
        console.print(f"  {'[green]✓' if ok else '[red]✗'} {name}[/]")
    return verdicts


def _tool_versions(wrk: str, nginx: str | None) -> dict[str, str | None]:
    def first_line(command: list[str]) -> str | None:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=10,
                                  check=False)
        except OSError:
            return None
        return (done.stdout + done.stderr).strip().splitlines()[0] if (
            done.stdout + done.stderr).strip() else None

    versions = versions_of(("httptools", "uvloop", "opentelemetry-sdk", "pyjwt"))
    return {**versions, "wrk": first_line([wrk, "-v"]),
            "nginx": first_line([nginx, "-v"]) if nginx else None}


def main(*, quick: bool = False) -> dict[str, Any]:
    runs, seconds, latency_seconds = (2, 2.0, 2.0) if quick else (3, 5.0, 3.0)
    wrk, nginx = _ensure_tools()
    results: list[dict[str, Any]] = []
    with running_stack(nginx) as stack:
        targets = ["direct", "gateway"] + (["nginx", "gateway → static", "nginx → static"]
                                           if stack.nginx else [])
        for target in targets:  # warm-up: connections, the JWKS fetch, the token cache
            _wrk(wrk, stack, target, threads=THREADS, connections=CONNECTIONS, seconds=1)
        for run in range(1, runs + 1):
            result = _one_run(wrk, stack, seconds, latency_seconds)
            results.append(result)
            console.print(
                f"run {run}/{runs}: " + ", ".join(f"{t} {v:,.0f}" for t, v in
                                                  result["rps"].items())
                + f" req/s; p50 gateway {result['p50_ms']['gateway']:.3f} ms, direct "
                f"{result['p50_ms']['direct']:.3f} ms; failed {result['failed_or_errors']:.0f}")
    summary = summarise(results)
    verdicts = _tables(summary, runs, seconds)
    path = write_results(NAME, {
        "config": {"runs": runs, "seconds": seconds, "latency_seconds": latency_seconds,
                   "wrk_threads": THREADS, "wrk_connections": CONNECTIONS, "quick": quick,
                   "nginx": bool(nginx), "upstream": "FastAPI hello world, uvicorn 1 worker, "
                   "uvloop + httptools", "gateway_trace_samples_per_second": 50,
                   "targets": {"ratio_to_nginx": TARGET_RATIO,
                               "added_p50_ms": TARGET_ADDED_P50_MS,
                               "static_capacity_rps": TARGET_CAPACITY}},
        "tools": _tool_versions(wrk, nginx),
        "reference": REFERENCE, "meets_targets": verdicts, "summary": summary, "runs": results,
    })
    console.print(f"results: {path}")
    return summary
