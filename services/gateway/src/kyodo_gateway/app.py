"""The gateway: admits each request (route, token, grant, rate limit) and forwards it.

A raw asyncio server (uvloop in production) with httptools on both sides; FastAPI's routing,
or even an ASGI server, would cost more than the forwarding itself (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Coroutine
from typing import Any

from opentelemetry.trace import TracerProvider

from kyodo_common import docs_pages
from kyodo_common.assertion import AssertionSigner, load_private_key
from kyodo_common.auth import Principal, TokenVerifier, unauthorized
from kyodo_common.errors import Problem
from kyodo_common.metrics import serve_metrics
from kyodo_common.security_headers import html_policy
from kyodo_gateway.authz import Authorizer
from kyodo_gateway.client_address import ClientAddresses
from kyodo_gateway.cors import CorsPolicy
from kyodo_gateway.exchange import ADMITTING, DONE, Exchange
from kyodo_gateway.grants import GrantIndex, Revocations
from kyodo_gateway.identity_feed import IdentityPoller
from kyodo_gateway.metrics import GatewayMetrics
from kyodo_gateway.openapi import OpenApiDocument, swagger_ui_html
from kyodo_gateway.purposes import LocalPurposes
from kyodo_gateway.ratelimit import RateLimiter, TokenBuckets, too_many_requests
from kyodo_gateway.responses import (
    JSON,
    http_date,
    internal_error,
    payload_too_large,
    problem_bytes,
    response_bytes,
    status_line,
)
from kyodo_gateway.routing import Route, Router, not_found
from kyodo_gateway.server import ClientConnection
from kyodo_gateway.settings import GatewaySettings
from kyodo_gateway.tracing import Tracing
from kyodo_gateway.upstream import UpstreamPool

logger = logging.getLogger("kyodo.gateway")

_HTML = b"text/html; charset=utf-8"
_PRUNE_SECONDS = 60.0
LOGIN_PATH = "/v1/auth/token"


def method_not_allowed() -> Problem:
    return Problem(405, "Method not allowed", detail="only GET and HEAD are supported here",
                   kind="method-not-allowed", headers={"Allow": "GET, HEAD"})


class Gateway:
    """Everything one gateway process holds; `start()` listens, `stop()` drains."""

    def __init__(self, settings: GatewaySettings, *,
                 tracer_provider: TracerProvider | None = None) -> None:
        self.settings = settings
        upstreams = settings.upstreams
        self.router = Router(upstreams, settings.public_routes)
        self.pools = {
            name: UpstreamPool(name, url, timeout=settings.upstream_timeout_seconds,
                               keepalive=settings.upstream_keepalive_seconds,
                               max_connections=settings.upstream_max_connections)
            for name, url in upstreams.items()
        }
        verifier = TokenVerifier(jwks_url=settings.jwks_url, issuer=settings.token_issuer,
                                 audience=settings.token_audience)
        # Only the gateway holds this key; the services hold its public half.
        signer = AssertionSigner(load_private_key(settings.assertion_key))
        self.authz = Authorizer(verifier, signer,
                                fail_closed_seconds=settings.grants_fail_closed_seconds)
        self.client_addresses = ClientAddresses(signer)
        self.limits = RateLimiter(
            tenant_rate=settings.rate_tenant_per_second, tenant_burst=settings.rate_tenant_burst,
            client_rate=settings.rate_client_per_second, client_burst=settings.rate_client_burst)
        # Password logins per client address, before they reach identity (which has its own
        # limits per login and address, checked before hashing): a flood of logins is
        # answered here, at the gateway's cost, not identity's.
        self.login_limits = TokenBuckets(settings.rate_login_per_second,
                                         settings.rate_login_burst)
        self.cors = CorsPolicy()
        self.purposes = LocalPurposes()
        self.tracing = Tracing(tracer_provider, settings.trace_samples_per_second)
        self.metrics = GatewayMetrics()
        self._metrics_server: asyncio.Server | None = None
        self.openapi = OpenApiDocument(upstreams, self.router.public_prefixes,
                                       settings.openapi_ttl_seconds)
        self.poller: IdentityPoller | None = None
        if "identity" in upstreams:
            self.poller = IdentityPoller(
                upstreams["identity"], signer, settings.grants_poll_seconds,
                on_access=self.set_access, on_confirmed=self.confirm_access,
                on_origins=self.cors.update, on_purposes=self.purposes.update,
                wait=settings.identity_wait_seconds)
        self.max_body_bytes = settings.max_body_bytes
        self.client_timeout = settings.client_keepalive_seconds
        self.connections: set[ClientConnection] = set()
        self.draining = False
        self._all_closed = asyncio.Event()
        self.date = http_date()
        self._docs_html: bytes | None = None
        self._docs_policy = b""
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._background: list[asyncio.Task[None]] = []
        self._local: dict[str, Callable[[Exchange], None]] = {
            "/health/live": self._live, "/health/ready": self._ready,
            "/openapi.json": self._openapi, "/docs": self._docs,
            docs_pages.OAUTH2_REDIRECT: self._oauth2_redirect,
        }
        for path in docs_pages.asset_paths():
            self._local[path] = self._docs_asset
        self.local_paths = frozenset(self._local)

    # --- lifecycle --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def metrics_port(self) -> int | None:
        """Where /metrics is served: not on the public port, which the Internet reaches."""
        if self._metrics_server is None:
            return None
        port: int = self._metrics_server.sockets[0].getsockname()[1]
        return port

    async def start(self, *, sock: socket.socket | None = None, host: str | None = None,
                    port: int | None = None) -> None:
        loop = asyncio.get_running_loop()
        if sock is not None:
            self._server = await loop.create_server(lambda: ClientConnection(self), sock=sock,
                                                    backlog=2048)
        else:
            self._server = await loop.create_server(
                lambda: ClientConnection(self), host or self.settings.host,
                port if port is not None else self.settings.port, reuse_address=True,
                backlog=2048)
        if self.settings.metrics_port is not None:
            self._metrics_server = await serve_metrics(
                host or self.settings.host, self.settings.metrics_port, self.metrics.registry)
        self._background.append(loop.create_task(self._tick()))
        if self.poller is not None:
            self._background.append(loop.create_task(self.poller.run()))

    async def stop(self, timeout: float | None = None) -> None:
        """Stops accepting, lets requests in flight finish (bounded), then closes the rest."""
        timeout = self.settings.shutdown_timeout_seconds if timeout is None else timeout
        self.draining = True
        if self._server is not None:
            self._server.close()
        if self._metrics_server is not None:
            self._metrics_server.close()
        for conn in list(self.connections):
            conn.shutdown()
        if self.connections:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._all_closed.wait()
        for conn in list(self.connections):
            if conn.transport is not None:
                conn.transport.abort()
        for task in [*self._background, *self._tasks]:
            task.cancel()
        for task in [*self._background, *self._tasks]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for pool in self.pools.values():
            pool.close()
        if self.poller is not None:
            await self.poller.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1):
                    await self._server.wait_closed()
        await asyncio.sleep(0)  # let the transports' connection_lost callbacks run

    async def _tick(self) -> None:
        """Deadlines of client and upstream connections, the Date header, cache pruning."""
        tick = min(0.25, self.settings.upstream_timeout_seconds / 10,
                   self.client_timeout / 10)
        last_date = last_prune = time.monotonic()
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            try:
                for pool in self.pools.values():
                    pool.sweep(now)
                for conn in list(self.connections):
                    if conn.deadline <= now:
                        conn.expire(now)
                if now - last_date >= 0.5:
                    self.date = http_date()
                    last_date = now
                if now - last_prune >= _PRUNE_SECONDS:
                    self.authz.prune(time.time())
                    self.limits.prune(now)
                    self.login_limits.prune(now)
                    last_prune = now
            except Exception:
                logger.exception("gateway housekeeping failed")

    def forget(self, conn: ClientConnection) -> None:
        self.connections.discard(conn)
        if self.draining and not self.connections:
            self._all_closed.set()

    def set_access(self, grants: GrantIndex, revoked: Revocations) -> None:
        self.authz.update(grants, revoked, time.time())

    def confirm_access(self) -> None:
        self.authz.confirm(time.time())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- admission (the hot path) -----------------------------------------------------------

    def admit(self, ex: Exchange) -> None:
        """Decides what happens to a request whose head has been read."""
        ex.state = ADMITTING
        try:
            if ex.problem is not None:
                raise ex.problem
            local = self._local.get(ex.path)
            if local is not None:
                local(ex)
                return
            route = ex.route = self.router.route(ex.path)
            head = ex.head
            code = route.municipality
            if head.origin is not None:
                if head.preflight and ex.method == b"OPTIONS":
                    self._preflight(ex, code)
                    return
                ex.cors = self.cors.response_headers(head.origin, code)
            if code is None:  # a public route: no token, limited per client address
                self._check_size(ex)
                client = "ip " + ex.conn.peer.decode("latin-1")
                now = time.monotonic()
                self.limits.check(None, client, now)
                if ex.path == LOGIN_PATH and ex.method == b"POST":
                    wait = self.login_limits.take(client, now)
                    if wait:
                        raise too_many_requests("address's logins", wait)
                # Identity limits logins per client address: it is told which, signed.
                self._forward(ex, None, self.client_addresses.header_value(ex.conn.peer,
                                                                           time.time()))
                return
            auth = head.authorization
            if auth is None:
                raise unauthorized("a bearer token is required")
            entry = self.authz.cached(auth, time.time())
            if entry is None:
                self._spawn(self._admit_verifying(ex))
                return
            self._authorized(ex, route, entry)
        except Problem as problem:
            ex.respond_problem(problem)
        except Exception:
            logger.exception("unexpected error admitting a request")
            ex.respond_problem(internal_error())

    async def _admit_verifying(self, ex: Exchange) -> None:
        """The token is not in the cache: verified once (JWKS fetched on an unknown key)."""
        try:
            entry = await self.authz.verify(ex.head.authorization)
            if ex.state == DONE:
                return
            assert ex.route is not None
            self._authorized(ex, ex.route, entry)
        except Problem as problem:
            ex.respond_problem(problem)
        except Exception:
            logger.exception("unexpected error admitting a request")
            ex.respond_problem(internal_error())

    def _authorized(self, ex: Exchange, route: Route, entry: tuple[Principal, str]) -> None:
        principal, client = entry
        code = route.municipality
        assert code is not None and ex.head.authorization is not None
        self.purposes.check(code, ex.head.purpose)
        assertion, grant = self.authz.assertion(ex.head.authorization, principal, code,
                                                route.service, ex.method, ex.path, time.time())
        if grant is not None:
            ex.grant_id = grant.grant_id
        self._check_size(ex)
        self.limits.check(code, client, time.monotonic())
        self._forward(ex, assertion)

    def _check_size(self, ex: Exchange) -> None:
        declared = ex.head.content_length
        if declared is not None and declared > self.max_body_bytes:
            raise payload_too_large(self.max_body_bytes)

    def _forward(self, ex: Exchange, assertion: bytes | None,
                 client_address: bytes | None = None) -> None:
        route = ex.route
        assert route is not None
        head = ex.head
        pool = self.pools[route.service]
        traceparent = self.start_trace(ex)
        peer = ex.conn.peer
        parts = [ex.method, b" ", ex.target, b" HTTP/1.1\r\nhost: ", pool.host_header,
                 b"\r\n", head.forward, b"x-forwarded-proto: http\r\nx-forwarded-for: ",
                 head.forwarded_for + b", " + peer if head.forwarded_for else peer,
                 b"\r\ntraceparent: ", traceparent, b"\r\n"]
        if head.host is not None:
            parts += (b"x-forwarded-host: ", head.host, b"\r\n")
        if head.tracestate is not None:
            parts += (b"tracestate: ", head.tracestate, b"\r\n")
        if assertion is not None:
            parts += (b"x-kyodo-assertion: ", assertion, b"\r\n")
        if client_address is not None:
            parts += (b"x-kyodo-client-address: ", client_address, b"\r\n")
        if head.chunked:
            parts.append(b"transfer-encoding: chunked\r\n\r\n")
        elif head.content_length is not None:
            parts.append(b"content-length: %d\r\n\r\n" % head.content_length)
        else:
            parts.append(b"\r\n")
        ex.forward(pool, b"".join(parts))

    # --- tracing ----------------------------------------------------------------------------

    def start_trace(self, ex: Exchange) -> bytes:
        """The traceparent for the upstream; records the gateway's span when sampled."""
        header, span = self.tracing.start(ex.head.traceparent, ex.start_ns, _describe, ex)
        ex.span = span
        ex.trace_id = header[3:35]
        return header

    # --- answers written here ---------------------------------------------------------------

    def problem_bytes(self, ex: Exchange | None, problem: Problem) -> bytes:
        if ex is None:
            return problem_bytes(problem, None, date=self.date,
                                 extra=b"connection: close\r\n")
        return problem_bytes(problem, ex.path, date=self.date,
                             extra=ex.cors + ex.connection_header(), head=ex.is_head,
                             trace_id=ex.trace_id)

    def _json(self, ex: Exchange, status: int, body: bytes, content_type: bytes = JSON,
              extra: bytes = b"") -> None:
        ex.respond(status, response_bytes(status, body, content_type=content_type,
                                          date=self.date,
                                          extra=extra + ex.cors + ex.connection_header(),
                                          head=ex.is_head))

    def _only_get(self, ex: Exchange) -> None:
        if ex.method not in (b"GET", b"HEAD"):
            raise method_not_allowed()

    def _live(self, ex: Exchange) -> None:
        self._only_get(ex)
        self._json(ex, 200, b'{"status":"ok"}')

    def _ready(self, ex: Exchange) -> None:
        self._only_get(ex)
        if self.draining:
            self._json(ex, 503, b'{"status":"stopping"}')
        else:
            self._json(ex, 200, b'{"status":"ready"}')

    def _docs(self, ex: Exchange) -> None:
        self._only_get(ex)
        if self._docs_html is None:
            self._docs_html = swagger_ui_html()
            self._docs_policy = b"content-security-policy: %s\r\n" % (
                html_policy(self._docs_html).encode())
        self._json(ex, 200, self._docs_html, _HTML, self._docs_policy)

    def _oauth2_redirect(self, ex: Exchange) -> None:
        self._only_get(ex)
        page = docs_pages.oauth2_redirect()
        policy = b"content-security-policy: %s\r\n" % html_policy(page).encode()
        self._json(ex, 200, page, _HTML, policy)

    def _docs_asset(self, ex: Exchange) -> None:
        """Swagger UI's code and styles, from a package: /docs renders with no network."""
        self._only_get(ex)
        found = docs_pages.asset(ex.path)
        if found is None:
            raise not_found("no such asset")
        content_type, body = found
        ex.respond(200, response_bytes(
            200, body, content_type=content_type, date=self.date,
            extra=b"cache-control: %s\r\n" % docs_pages.ASSET_CACHE_CONTROL
            + ex.connection_header(), head=ex.is_head, secured=False))

    def _openapi(self, ex: Exchange) -> None:
        self._only_get(ex)
        if ex.head.origin is not None:
            ex.cors = self.cors.response_headers(ex.head.origin, None)
        body = self.openapi.cached()
        if body is not None:
            self._json(ex, 200, body)
            return

        async def build() -> None:
            try:
                document = await self.openapi.get()
                if ex.state != DONE:
                    self._json(ex, 200, document)
            except Exception:
                logger.exception("the OpenAPI document could not be built")
                ex.respond_problem(internal_error())

        self._spawn(build())

    def _preflight(self, ex: Exchange, code: str | None) -> None:
        origin = ex.head.origin
        assert origin is not None
        lines = self.cors.preflight_headers(origin, code)
        ex.respond(204, b"".join((status_line(204), self.date, lines,
                                  ex.connection_header(), b"\r\n")))


def _describe(ex: Exchange) -> tuple[str, dict[str, Any]]:
    """Span name and attributes, built only for requests whose span is recorded."""
    method = ex.method.decode("latin-1")
    route = ex.route
    attributes: dict[str, Any] = {"http.request.method": method}
    if route is None:
        return method, attributes
    attributes["http.route"] = route.template
    attributes["kyodo.service"] = route.service
    if route.municipality is not None:
        attributes["kyodo.municipality"] = route.municipality
    return f"{method} {route.template}", attributes


def create_app(settings: GatewaySettings | None = None, *,
               tracer_provider: TracerProvider | None = None) -> Gateway:
    """The composition root; tests pass their own settings and tracer provider."""
    return Gateway(settings or GatewaySettings(), tracer_provider=tracer_provider)

