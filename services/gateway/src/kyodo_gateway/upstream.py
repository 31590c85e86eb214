"""Kept-alive connections to the services: one request at a time per connection, responses
parsed by httptools and handed to the exchange as they arrive (never buffered whole)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import httptools

from kyodo_gateway.responses import bad_gateway, gateway_timeout

if TYPE_CHECKING:
    from kyodo_gateway.exchange import Exchange

logger = logging.getLogger("kyodo.gateway")

_INF = float("inf")


class UpstreamConnection(asyncio.Protocol):
    """One keep-alive connection to a service; `exchange` is the request it carries now."""

    __slots__ = ("_complete", "_headers", "_interim", "_keep", "closed", "deadline",
                 "exchange", "got_response", "idle_since", "parser", "pool", "read_paused",
                 "reused", "transport")

    def __init__(self, pool: UpstreamPool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.exchange: Exchange | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self.closed = False
        self.reused = False
        self.got_response = False
        self.read_paused = False
        self.deadline = _INF
        self.idle_since = 0.0
        self._complete = False
        self._keep = False
        self._interim = False

    # --- asyncio.Protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        ex = self.exchange
        if ex is None:  # nothing was asked: a broken or confused upstream
            self.close()
            return
        self.got_response = True
        self.deadline = time.monotonic() + self.pool.timeout
        client = ex.conn
        batch = client.begin_batch()
        error: Exception | None = None
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            error = exc
        complete, self._complete = self._complete, False
        if self.exchange is not ex:
            pass  # the exchange let go of this connection meanwhile (client gone, aborted)
        elif complete:
            ex.response_complete(self, self._keep and error is None)
        elif error is not None:
            context = error.__context__
            self.pool.warn("malformed response (%s)", type(context or error).__name__,
                           exc_info=context is not None and not isinstance(
                               context, httptools.HttpParserError))
            self.exchange = None
            self.close()
            ex.upstream_lost(self, broken=True)
        client.end_batch(batch)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.lost(self)
        ex = self.exchange
        if ex is not None:
            self.exchange = None
            ex.upstream_lost(self)

    def pause_writing(self) -> None:
        ex = self.exchange
        if ex is not None and ex.upstream is self:
            ex.conn.upstream_full(True)  # the service reads the body slower than it comes

    def resume_writing(self) -> None:
        ex = self.exchange
        if ex is not None and ex.upstream is self:
            ex.conn.upstream_full(False)

    # --- httptools callbacks ----------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._headers = []

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if status < 200:
            if status == 101:  # the gateway never asks for an upgrade
                raise httptools.HttpParserError("unexpected 101 Switching Protocols")
            self._interim = True  # 100 Continue, 103 Early Hints: not forwarded
            return
        ex = self.exchange
        assert ex is not None
        ex.response_head(status, self._headers)
        if ex.is_head:
            # httptools cannot be told that a HEAD response has no body; the exchange is
            # complete, and the connection is not reused (its parser expects a body).
            self._complete = True
            self._keep = False

    def on_body(self, body: bytes) -> None:
        ex = self.exchange
        if ex is not None and not self._complete:
            ex.response_body(body)

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        if not self._complete:
            self._complete = True
            self._keep = self.parser.should_keep_alive()

    # --- used by the exchange and the pool ------------------------------------------------

    def write(self, data: bytes) -> None:
        if not self.closed and self.transport is not None:
            self.transport.write(data)

    def request_sent(self) -> None:
        self.deadline = time.monotonic() + self.pool.timeout

    def pause_reading(self) -> None:
        if not self.read_paused and not self.closed and self.transport is not None:
            self.read_paused = True
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.read_paused and not self.closed and self.transport is not None:
            self.read_paused = False
            self.deadline = time.monotonic() + self.pool.timeout
            self.transport.resume_reading()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.transport is not None:
                self.transport.abort()

    def timed_out(self) -> None:
        ex = self.exchange
        self.exchange = None
        self.close()
        if ex is not None:
            ex.upstream_timed_out()


class UpstreamPool:
    """Connections to one service: idle ones reused last-in first-out, a bounded total, and
    requests waiting (bounded in time) when every connection is busy."""

    def __init__(self, service: str, base_url: str, *, timeout: float, keepalive: float,
                 max_connections: int) -> None:
        parts = urlsplit(base_url)
        assert parts.hostname is not None
        self.service = service
        self.host = parts.hostname
        self.port = parts.port or 80
        self.host_header = parts.netloc.encode("idna")
        self.timeout = timeout
        self.keepalive = keepalive
        self.max_connections = max_connections
        self.idle: list[UpstreamConnection] = []
        self.connections: set[UpstreamConnection] = set()
        self.connecting = 0
        self.waiters: deque[tuple[Exchange, float]] = deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._warned_at = -_INF
        self._suppressed = 0

    def warn(self, message: str, *args: Any, exc_info: bool = False) -> None:
        """A warning about this service, at most one a second (a service that is down
        would otherwise write one per request)."""
        now = time.monotonic()
        if now - self._warned_at < 1.0:
            self._suppressed += 1
            return
        if self._suppressed:
            message += f" (and {self._suppressed} more like it)"
        self._warned_at, self._suppressed = now, 0
        logger.warning(f"upstream %s: {message}", self.service, *args, exc_info=exc_info)

    def acquire(self, ex: Exchange, *, fresh: bool = False) -> UpstreamConnection | None:
        """An idle connection now, or None: `ex.attach()` or `ex.upstream_failed()` follows.
        `fresh`: a new connection, never an idle one (a retry)."""
        idle = self.idle
        while idle and not fresh:
            conn = idle.pop()
            if not conn.closed:
                conn.exchange = ex
                conn.reused = True
                conn.got_response = False
                return conn
        if len(self.connections) + self.connecting < self.max_connections:
            self._open(ex)
        else:
            self.waiters.append((ex, time.monotonic() + self.timeout))
        return None

    def _open(self, ex: Exchange) -> None:
        self.connecting += 1
        task = asyncio.get_running_loop().create_task(self._connect(ex))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _connect(self, ex: Exchange) -> None:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.timeout):
                _, conn = await loop.create_connection(lambda: UpstreamConnection(self),
                                                       self.host, self.port)
        except TimeoutError:
            self.connecting -= 1
            self._failed(ex, timed_out=True)
            return
        except OSError as exc:
            self.connecting -= 1
            self.warn("connection failed (%s)", type(exc).__name__)
            self._failed(ex, timed_out=False)
            return
        self.connecting -= 1
        self.connections.add(conn)
        if ex.waiting_upstream:
            conn.exchange = ex
            ex.attach(conn)
        else:  # the client left meanwhile
            self.release(conn)

    def _failed(self, ex: Exchange, *, timed_out: bool) -> None:
        problem = gateway_timeout(self.service) if timed_out else bad_gateway(self.service)
        if ex.waiting_upstream:
            ex.upstream_failed(problem)
        # Capacity was reserved for this attempt: let a waiting request try in its place.
        self._serve_waiter()

    def release(self, conn: UpstreamConnection) -> None:
        """A connection whose exchange is over and that may carry another request."""
        conn.exchange = None
        if conn.closed:
            return
        if conn.read_paused:
            conn.resume_reading()
        conn.deadline = _INF
        waiters = self.waiters
        while waiters:
            ex, _ = waiters.popleft()
            if ex.waiting_upstream:
                conn.exchange = ex
                conn.reused = True
                conn.got_response = False
                ex.attach(conn)
                return
        conn.idle_since = time.monotonic()
        self.idle.append(conn)

    def discard(self, conn: UpstreamConnection) -> None:
        conn.exchange = None
        conn.close()

    def lost(self, conn: UpstreamConnection) -> None:
        self.connections.discard(conn)
        if conn in self.idle:
            self.idle.remove(conn)
        self._serve_waiter()

    def _serve_waiter(self) -> None:
        while self.waiters and len(self.connections) + self.connecting < self.max_connections:
            ex, _ = self.waiters.popleft()
            if ex.waiting_upstream:
                self._open(ex)
                return

    def sweep(self, now: float) -> None:
        """Closes idle connections past their keep-alive and fails overdue waits and reads."""
        if self.idle:
            keep = [c for c in self.idle if now - c.idle_since < self.keepalive]
            for conn in self.idle:
                if now - conn.idle_since >= self.keepalive:
                    conn.close()
            self.idle = keep
        while self.waiters and (self.waiters[0][1] <= now or
                                not self.waiters[0][0].waiting_upstream):
            ex, _ = self.waiters.popleft()
            if ex.waiting_upstream:
                ex.upstream_failed(gateway_timeout(self.service))
        for conn in list(self.connections):
            if conn.exchange is None or conn.closed:
                continue
            if conn.read_paused:  # the client reads slowly: not the upstream's fault
                conn.deadline = now + self.timeout
            elif conn.deadline <= now:
                self.warn("no answer in %.1f s", self.timeout)
                conn.timed_out()

    def close(self) -> None:
        for conn in list(self.connections):
            conn.close()
        self.idle.clear()
        for task in list(self._tasks):
            task.cancel()
