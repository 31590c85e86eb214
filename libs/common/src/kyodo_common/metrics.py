"""Prometheus metrics: requests by route, method and status with their latency, and
requests per tenant by status class.

The labels are the route *template* (never the raw path: no ids or personal data in a
label), the method and the status; the municipality code (validated, else empty) labels only
the per-tenant counters, whose series grow by a handful per tenant and not by tenant × route ×
histogram bucket (issue #22: 1,741 towns). A process serves its metrics either on its own HTTP
port (`/metrics`, outside the OpenAPI document) or, when that port is public (the gateway) or
absent (workers), on `KYODO_METRICS_PORT` (`serve_metrics`). See docs/adr/0008-metrics.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kyodo_common.logs import log_request
from kyodo_common.telemetry import current_trace_id
from kyodo_common.tenancy import is_valid_municipality_code

# Seconds; from a cached read (~2 ms) to the slowest acceptable synchronous call.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The p99 target of a town counter's requests (issue #22): a tenant's share of answers slower
# than this is its latency signal, one series per tenant where a histogram is 14 per route.
SLOW_SECONDS = 0.3
UNMATCHED_ROUTE = "unmatched"
NO_TENANT = ""
# Answers that refused the caller (no token, or not for that municipality) are not counted
# under the municipality named in the path: anyone could name all ~100,000 codes with a valid
# check digit and make a series of each (the review of 2026-12-07); only what a caller may
# ask of a town is that town's.
REFUSED_STATUSES = frozenset({401, 403})
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Probes and scrapes are not traffic.
_UNMEASURED_PREFIXES = ("/health/", "/metrics")

# Shared with the gateway's collector (kyodo_gateway.metrics), so one dashboard reads both.
REQUESTS_NAME = "kyodo_http_requests"
REQUESTS_HELP = "HTTP requests answered, by route template, method and status"
REQUESTS_LABELS = ("route", "method", "status")
LATENCY_NAME = "kyodo_http_request_duration_seconds"
LATENCY_HELP = "Time from the request head to the end of the response, by route and method"
LATENCY_LABELS = ("route", "method")
TENANT_REQUESTS_NAME = "kyodo_http_tenant_requests"
TENANT_REQUESTS_HELP = "HTTP requests answered per municipality, by status class (2xx, 4xx, 5xx)"
TENANT_REQUESTS_LABELS = ("tenant", "status_class")
TENANT_SLOW_NAME = "kyodo_http_tenant_slow_requests"
TENANT_SLOW_HELP = f"HTTP requests per municipality answered in more than {SLOW_SECONDS} s"
TENANT_SLOW_LABELS = ("tenant",)

# A `_created` series per counter and histogram child doubles the counters' series for a
# timestamp nothing reads (rate() and increase() handle resets without it).
disable_created_metrics()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class RequestMetrics:
    """The request metrics of one registry (the process's, or a test's own)."""

    requests: Counter
    latency: Histogram
    tenant_requests: Counter
    tenant_slow: Counter

    @classmethod
    def register(cls, registry: CollectorRegistry) -> RequestMetrics:
        return cls(
            Counter(REQUESTS_NAME, REQUESTS_HELP, REQUESTS_LABELS, registry=registry),
            Histogram(LATENCY_NAME, LATENCY_HELP, LATENCY_LABELS, buckets=LATENCY_BUCKETS,
                      registry=registry),
            Counter(TENANT_REQUESTS_NAME, TENANT_REQUESTS_HELP, TENANT_REQUESTS_LABELS,
                    registry=registry),
            Counter(TENANT_SLOW_NAME, TENANT_SLOW_HELP, TENANT_SLOW_LABELS, registry=registry))


REQUEST_METRICS = RequestMetrics.register(REGISTRY)


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


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
    """Pure ASGI middleware: per request, one counter increment and one histogram observation
    by route, one counter increment by tenant (two when slow), through children cached per
    label set (a dict lookup instead of `labels()` each time)."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics = REQUEST_METRICS) -> None:
        self.app = app
        self._metrics = metrics
        self._tenant = TenantLabel()
        self._by_route: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._by_tenant: dict[tuple[str, int], tuple[Any, Any]] = {}

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
        tenant = NO_TENANT if status in REFUSED_STATUSES else self._tenant(params.get("code"))
        method = method_label(scope["method"])
        metrics = self._metrics
        key = (template, method, status)
        by_route = self._by_route.get(key)
        if by_route is None:
            by_route = self._by_route[key] = (
                metrics.requests.labels(template, method, str(status)),
                metrics.latency.labels(template, method))
        by_route[0].inc()
        by_route[1].observe(seconds)
        tenant_key = (tenant, status)
        by_tenant = self._by_tenant.get(tenant_key)
        if by_tenant is None:
            # The slow counter exists (at 0) from a tenant's first answer, so increase() sees
            # its first slow one.
            by_tenant = self._by_tenant[tenant_key] = (
                metrics.tenant_requests.labels(tenant, status_class(status)),
                metrics.tenant_slow.labels(tenant))
        by_tenant[0].inc()
        if seconds > SLOW_SECONDS:
            by_tenant[1].inc()
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
