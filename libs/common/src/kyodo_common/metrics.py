"""Prometheus metrics: requests by tenant, route, method and status, and their latency.

The labels are the municipality code (validated, else empty), the route *template* (never the
raw path: no ids or personal data in a label), the method and the status. A process serves its
metrics either on its own HTTP port (`/metrics`, outside the OpenAPI document) or, when that
port is public (the gateway) or absent (workers), on `KYODO_METRICS_PORT`
(`serve_metrics`). See docs/adr/0008-metrics.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kyodo_common.logs import log_request
from kyodo_common.telemetry import current_trace_id
from kyodo_common.tenancy import is_valid_municipality_code

# Seconds; from a cached read (~2 ms) to the slowest acceptable synchronous call.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED_ROUTE = "unmatched"
NO_TENANT = ""
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Probes and scrapes are not traffic.
_UNMEASURED_PREFIXES = ("/health/", "/metrics")

REQUESTS = Counter(
    "kyodo_http_requests", "HTTP requests answered, by tenant, route template, method, status",
    ["tenant", "route", "method", "status"],
)
LATENCY = Histogram(
    "kyodo_http_request_duration_seconds",
    "Time from the request head to the end of the response, by tenant, route and method",
    ["tenant", "route", "method"], buckets=LATENCY_BUCKETS,
)


class TenantLabel:
    """The municipality code as a label: only valid codes (1,741 exist), so junk in a path
    cannot create series; results are cached, bounded against junk codes."""

    def __init__(self, limit: int = 10_000) -> None:
        self._known: dict[str, str] = {}
        self._limit = limit

    def __call__(self, code: str | None) -> str:
        if not code:
            return NO_TENANT
        label = self._known.get(code)
        if label is None:
            label = code if is_valid_municipality_code(code) else NO_TENANT
            if len(self._known) < self._limit:
                self._known[code] = label
        return label


def method_label(method: str) -> str:
    return method if method in _METHODS else "OTHER"


class HttpMetrics:
    """Pure ASGI middleware: one counter increment and one histogram observation per request,
    through children cached per label set (a dict lookup instead of `labels()` each time)."""

    def __init__(self, app: ASGIApp, requests: Counter = REQUESTS,
                 latency: Histogram = LATENCY) -> None:
        self.app = app
        self._requests = requests
        self._latency = latency
        self._tenant = TenantLabel()
        self._counted: dict[tuple[str, str, str, int], Any] = {}
        self._timed: dict[tuple[str, str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_UNMEASURED_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the error middleware outside answers if the app raises
        trace_id: str | None = None

        async def send_noting_status(message: Message) -> None:
            nonlocal status, trace_id
            if message["type"] == "http.response.start":
                status = message["status"]
                # The request's span is current only while the app runs (its middleware is
                # inside this one): noted now for the log line written after the answer.
                trace_id = current_trace_id()
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self.observe(scope, status, time.perf_counter() - started, trace_id)

    def observe(self, scope: Scope, status: int, seconds: float,
                trace_id: str | None = None) -> None:
        route = scope.get("route")
        template: str = getattr(route, "path_format", None) or UNMATCHED_ROUTE
        params = scope.get("path_params") or {}
        tenant = self._tenant(params.get("code"))
        method = method_label(scope["method"])
        key = (tenant, template, method, status)
        counter = self._counted.get(key)
        if counter is None:
            counter = self._counted[key] = self._requests.labels(tenant, template, method,
                                                                 str(status))
        counter.inc()
        timer_key = (tenant, template, method)
        timer = self._timed.get(timer_key)
        if timer is None:
            timer = self._timed[timer_key] = self._latency.labels(tenant, template, method)
        timer.observe(seconds)
        log_request(method, template, status, seconds, None if tenant == NO_TENANT else tenant,
                    trace_id)


def exposition(registry: CollectorRegistry = REGISTRY) -> tuple[bytes, str]:
    """The registry in the Prometheus text format, and its content type."""
    return generate_latest(registry), CONTENT_TYPE_LATEST


_MAX_REQUEST_HEAD = 8192
_READ_TIMEOUT_SECONDS = 5.0


async def serve_metrics(host: str, port: int,
                        registry: CollectorRegistry = REGISTRY) -> asyncio.Server:
    """A listener on the process's event loop that answers `GET /metrics` and nothing else
    (404), one request per connection: what Prometheus needs from a worker or the gateway,
    without a thread or another web framework. Close the returned server to stop it."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(_READ_TIMEOUT_SECONDS):
                head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > _MAX_REQUEST_HEAD:
                raise ValueError("request head too large")
            method, target, *_ = head.split(b" ", 2)
            path = target.partition(b"?")[0]
            if path == b"/metrics" and method in (b"GET", b"HEAD"):
                body, content_type = exposition(registry)
                status = b"200 OK"
            else:
                body, content_type, status = b"not found\n", "text/plain", b"404 Not Found"
            writer.write(b"HTTP/1.1 %s\r\ncontent-type: %s\r\ncontent-length: %d\r\n"
                         b"connection: close\r\n\r\n" % (status, content_type.encode(),
                                                          len(body)))
            if method != b"HEAD":
                writer.write(body)
            await writer.drain()
        except (TimeoutError, ValueError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError, ConnectionError):
            pass  # a client that does not speak HTTP gets the connection closed
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    return await asyncio.start_server(answer, host, port, limit=_MAX_REQUEST_HEAD)
