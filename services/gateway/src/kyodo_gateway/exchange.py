"""One request and its response: admitted by the gateway, forwarded over a pooled upstream
connection, streamed back. The client connection (server.py) feeds it the request; the
upstream connection (upstream.py) feeds it the response."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from kyodo_common.errors import Problem
from kyodo_gateway.headers import RequestHead, read_response_head
from kyodo_gateway.responses import (
    bad_gateway,
    gateway_timeout,
    payload_too_large,
    status_line,
)
from kyodo_gateway.tracing import caller_trace_id, end_span, new_trace_id

if TYPE_CHECKING:
    from opentelemetry.trace import Span

    from kyodo_gateway.routing import Route
    from kyodo_gateway.server import ClientConnection
    from kyodo_gateway.upstream import UpstreamConnection, UpstreamPool

# Request body held for an upstream connection that is not there yet, before reading pauses.
PENDING_LIMIT = 64 * 1024
CLIENT_CLOSED = 499  # what the span reports when the client left before the response

# Why the client connection is not being read (any set bit pauses it).
PAUSE_PENDING = 1  # body waits for the upstream connection or for admission
PAUSE_PIPELINE = 2  # a pipelined request waits for the one before it
PAUSE_UPSTREAM = 4  # the upstream's transport buffer is full

_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_RETRYABLE = frozenset({b"GET", b"HEAD", b"OPTIONS"})

# Exchange states.
QUEUED, ADMITTING, WAITING, FORWARDING, DONE = range(5)
# How the response body is framed towards the client.
_NO_BODY, _RAW, _CHUNKED = range(3)


class Exchange:
    """One request and its response, from the request head to the last byte back."""

    __slots__ = ("body_seen", "close_after", "conn", "cors", "grant_id", "head",
                 "http11", "is_head", "method", "out_mode", "path", "pending", "pending_size",
                 "pool", "problem", "request_done", "request_sent", "response_started",
                 "retried", "route", "span", "start_ns", "state", "status", "target", "trace_id",
                 "up_by_close", "up_head", "upbuf", "upstream")

    def __init__(self, conn: ClientConnection, method: bytes, target: bytes, path: str,
                 head: RequestHead, *, keep_alive: bool, http11: bool) -> None:
        self.conn = conn
        self.method = method
        self.target = target
        self.path = path
        self.head = head
        self.http11 = http11
        self.is_head = method == b"HEAD"
        self.close_after = not keep_alive
        self.state = QUEUED
        self.problem: Problem | None = None
        self.route: Route | None = None
        self.pool: UpstreamPool | None = None
        self.upstream: UpstreamConnection | None = None
        self.up_head = b""
        self.upbuf: list[bytes] | None = None
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.body_seen = 0
        self.request_done = False
        self.request_sent = False
        self.response_started = False
        self.out_mode = _NO_BODY
        self.up_by_close = False
        self.retried = False
        self.status = 0
        self.cors = b""
        self.grant_id: str | None = None
        self.span: Span | None = None
        self.trace_id: bytes | None = None  # 32 hex digits, once a trace is started
        self.start_ns = time.time_ns()

    # --- local answers ----------------------------------------------------------------------

    def connection_header(self) -> bytes:
        """The Connection header line of a response written now (decides closing first)."""
        conn = self.conn
        if (not self.request_done and self.head.has_body) or conn.gateway.draining \
                or (conn.closing and not conn.queue):
            self.close_after = True
        if self.close_after:
            return b"connection: close\r\n"
        return b"" if self.http11 else b"connection: keep-alive\r\n"

    def respond(self, status: int, data: bytes) -> None:
        """A complete response written by the gateway itself; ends the exchange."""
        if self.state == DONE:
            return
        self.status = status
        self.response_started = True
        if not self.request_done and self.head.has_body:
            self.close_after = True  # the body is not read: the connection cannot go on
        self.conn.write(data)
        self._finish()

    def respond_problem(self, problem: Problem) -> None:
        if self.state == DONE:
            return
        gateway = self.conn.gateway
        if self.trace_id is None:
            if self.route is not None:
                gateway.start_trace(self)
            else:  # not routed: no span, but the caller still gets an id to quote
                self.trace_id = caller_trace_id(self.head.traceparent) or new_trace_id()
        if not self.request_done and self.head.has_body:
            self.close_after = True
        self.respond(problem.status, gateway.problem_bytes(self, problem))

    # --- towards the upstream ---------------------------------------------------------------

    @property
    def waiting_upstream(self) -> bool:
        return self.state == WAITING

    def forward(self, pool: UpstreamPool, up_head: bytes) -> None:
        self.pool = pool
        self.up_head = up_head
        self.state = WAITING
        if self.head.expect_continue and not self.request_done and self.head.has_body:
            self.conn.write(_CONTINUE)
        conn = pool.acquire(self)
        if conn is not None:
            self.attach(conn)

    def attach(self, conn: UpstreamConnection) -> None:
        """The upstream connection is ours: the head and any body received so far go out."""
        self.state = FORWARDING
        self.upstream = conn
        client = self.conn
        if self.pending:
            data = b"".join([self.up_head, *self.pending])
            self.pending = []
            self.pending_size = 0
            client.pause(PAUSE_PENDING, False)
        else:
            data = self.up_head
        if client.feeding:
            self.upbuf = [data]
        else:
            conn.write(data)
        if self.request_done:
            self.request_sent = True
            conn.request_sent()
        if client.write_paused:
            conn.pause_reading()

    def _send_up(self, data: bytes) -> None:
        if self.upbuf is not None:
            self.upbuf.append(data)
        else:
            assert self.upstream is not None
            self.upstream.write(data)

    def flush_up(self) -> None:
        buf = self.upbuf
        if buf is not None:
            self.upbuf = None
            if self.upstream is not None:
                self.upstream.write(buf[0] if len(buf) == 1 else b"".join(buf))

    def request_body(self, body: bytes) -> None:
        if self.state == DONE:
            return
        self.body_seen += len(body)
        limit = self.conn.gateway.max_body_bytes
        if self.body_seen > limit:
            self.body_too_large(limit)
            return
        data = b"%x\r\n%b\r\n" % (len(body), body) if self.head.chunked else body
        if self.state == FORWARDING:
            self._send_up(data)
        else:
            self.pending.append(data)
            self.pending_size += len(data)
            if self.pending_size > PENDING_LIMIT:
                self.conn.pause(PAUSE_PENDING, True)

    def request_end(self) -> None:
        self.request_done = True
        if self.state == DONE:
            return
        if self.head.chunked:
            if self.state == FORWARDING:
                self._send_up(b"0\r\n\r\n")
            else:
                self.pending.append(b"0\r\n\r\n")
        if self.state == FORWARDING and self.upstream is not None:
            self.request_sent = True
            self.upstream.request_sent()

    def body_too_large(self, limit: int) -> None:
        self.drop_upstream()
        self.close_after = True
        if self.response_started:
            self.abort()
        else:
            self.respond_problem(payload_too_large(limit))

    def request_broken(self, problem: Problem) -> None:
        """The client's request framing failed mid-body (e.g. a bad chunk size)."""
        self.close_after = True
        if self.state == QUEUED:
            self.problem = problem
            return
        self.drop_upstream()
        if self.response_started:
            self.abort()
        else:
            self.respond_problem(problem)

    # --- from the upstream ------------------------------------------------------------------

    def response_head(self, status: int, raw: list[tuple[bytes, bytes]]) -> None:
        if self.state == DONE:
            return
        head = read_response_head(raw)
        self.status = status
        self.response_started = True
        parts = [status_line(status), head.lines]
        if self.is_head or status in (204, 304):
            self.out_mode = _NO_BODY
            if head.content_length is not None and status != 204:
                parts += (b"content-length: ", head.content_length, b"\r\n")
        elif head.content_length is not None:
            self.out_mode = _RAW
            parts += (b"content-length: ", head.content_length, b"\r\n")
        elif self.http11:
            self.out_mode = _CHUNKED
            parts.append(b"transfer-encoding: chunked\r\n")
            self.up_by_close = not head.chunked
        else:  # an HTTP/1.0 client: the end of the body is the end of the connection
            self.out_mode = _RAW
            self.close_after = True
            self.up_by_close = not head.chunked
        if not self.request_done:
            # Answered before the whole body came: the rest of the body is not read.
            self.close_after = True
        parts += (self.cors, self.connection_header(), b"\r\n")
        self.conn.write(b"".join(parts))

    def response_body(self, body: bytes) -> None:
        mode = self.out_mode
        if mode == _CHUNKED:
            self.conn.write(b"%x\r\n%b\r\n" % (len(body), body))
        elif mode == _RAW:
            self.conn.write(body)

    def response_complete(self, conn: UpstreamConnection, keep_alive: bool) -> None:
        if self.out_mode == _CHUNKED:
            self.conn.write(b"0\r\n\r\n")
        self.upstream = None
        assert self.pool is not None
        # A service that failed (5xx) may be closing the connection just after its answer
        # (uvicorn does after an unhandled error, without saying so): the next request,
        # maybe another municipality's, would be written into it and get a 502.
        if keep_alive and self.request_sent and not conn.closed and self.status < 500:
            self.pool.release(conn)
        else:
            self.pool.discard(conn)
        self._finish()

    def upstream_lost(self, conn: UpstreamConnection, broken: bool = False) -> None:
        """The upstream connection closed (or sent garbage) before the response was over."""
        self.upstream = None
        self.upbuf = None
        if self.state == DONE:
            return
        if not self.response_started:
            if (not broken and conn.reused and not conn.got_response and not self.retried
                    and self.method in _RETRYABLE and not self.head.has_body
                    and self.pool is not None):
                # A kept-alive connection the service closed just as it was reused: the
                # request never reached it, so it is sent once more on a new connection
                # (not another idle one, which may be closing too). Only safe methods: a
                # POST's body is streamed, not kept, and not every POST is deduplicated.
                self.retried = True
                self.state = WAITING
                fresh = self.pool.acquire(self, fresh=True)
                if fresh is not None:
                    self.attach(fresh)
                return
            assert self.pool is not None
            self.close_after = True
            self.respond_problem(bad_gateway(self.pool.service))
        elif self.up_by_close and not broken:
            if self.out_mode == _CHUNKED:
                self.conn.write(b"0\r\n\r\n")
            self.close_after = self.close_after or not self.http11
            self._finish()
        else:
            self.abort()

    def upstream_failed(self, problem: Problem) -> None:
        if self.state != WAITING:
            return
        self.close_after = self.close_after or not self.request_done
        self.respond_problem(problem)

    def upstream_timed_out(self) -> None:
        self.upstream = None
        if self.state == DONE:
            return
        if self.response_started:
            self.abort()
        else:
            assert self.pool is not None
            self.close_after = True
            self.respond_problem(gateway_timeout(self.pool.service))

    # --- the end ----------------------------------------------------------------------------

    def client_gone(self) -> None:
        if self.state == DONE:
            return
        self.drop_upstream()
        if not self.response_started:
            self.status = CLIENT_CLOSED
        self.state = DONE
        self._end_span()
        self._count(self.status)

    def drop_upstream(self) -> None:
        conn = self.upstream
        if conn is not None:
            self.upstream = None
            self.upbuf = None
            assert self.pool is not None
            self.pool.discard(conn)

    def abort(self) -> None:
        """The response cannot be completed: the client sees the connection close early."""
        self.drop_upstream()
        self.close_after = True
        counted = self.state == DONE  # its response was complete: counted then
        self.state = DONE
        self._end_span(error=True)
        if not counted:
            self._count(502 if self.status < 500 else self.status)
        self.conn.abort()

    def _finish(self) -> None:
        self.state = DONE
        self._end_span()
        self._count(self.status)
        self.conn.exchange_finished(self)

    def _count(self, status: int) -> None:
        route = self.route
        gateway = self.conn.gateway
        if route is None and self.path in gateway.local_paths:
            return  # probes and documentation, not traffic
        gateway.metrics.observe(
            route.municipality if route is not None else None,
            route.template if route is not None else None,
            self.method, status, (time.time_ns() - self.start_ns) / 1e9)

    def _end_span(self, error: bool = False) -> None:
        span = self.span
        if span is not None:
            self.span = None
            attributes: dict[str, Any] | None = None
            if self.grant_id is not None:
                attributes = {"kyodo.grant_id": self.grant_id}
            end_span(span, 502 if error and self.status < 500 else self.status, attributes)
