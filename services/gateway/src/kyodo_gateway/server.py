"""The client side: an asyncio Protocol per connection, requests parsed by httptools.

Each request becomes an `Exchange` (exchange.py). The gateway admits it (routing, token,
authorization, rate limit: synchronous on the hot path) and forwards it over a pooled upstream
connection; bodies stream in both directions without being buffered whole, and reading stops
on either side while the other side's transport buffer is full (back-pressure). Pipelined
requests are answered in order: the next one is admitted when the previous response is
complete, and the connection stops reading while one waits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote

import httptools

from kyodo_common.errors import Problem
from kyodo_gateway.exchange import (
    FORWARDING,
    PAUSE_PENDING,
    PAUSE_PIPELINE,
    PAUSE_UPSTREAM,
    PENDING_LIMIT,
    Exchange,
)
from kyodo_gateway.headers import RequestHead, read_head
from kyodo_gateway.responses import bad_request

if TYPE_CHECKING:
    from kyodo_gateway.app import Gateway

logger = logging.getLogger("kyodo.gateway")

MAX_URL_BYTES = 16 * 1024
MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 200
# A head still incomplete after this many bytes is refused, whatever its shape.
MAX_HEAD_SPAN = 1024 * 1024
LINGER_SECONDS = 2.0


class _HeadTooLarge(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.title)
        self.problem = problem


class ClientConnection(asyncio.Protocol):
    """One client connection; requests are parsed as they arrive and answered in order."""

    __slots__ = ("_headers", "_url", "_wbuf", "active", "closed", "closing", "deadline",
                 "feeding", "gateway", "head_bytes", "in_head", "incoming", "linger", "parser",
                 "paused", "peer", "queue", "transport", "write_paused")

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.peer = b""
        self.active: Exchange | None = None
        self.incoming: Exchange | None = None
        self.queue: deque[Exchange] = deque()
        self._url = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self.head_bytes = 0
        self.in_head = False
        self.paused = 0
        self.write_paused = False
        self.feeding = False
        self._wbuf: list[bytes] | None = None
        self.closing = False  # no further request is read
        self.linger = False
        self.closed = False
        self.deadline = 0.0

    # --- asyncio.Protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and peer:
            self.peer = str(peer[0]).encode("latin-1")
        self.deadline = time.monotonic() + self.gateway.client_timeout
        self.gateway.connections.add(self)

    def data_received(self, data: bytes) -> None:
        if self.linger or self.closing:
            return  # answered and closing: what the client still sends is dropped
        self.deadline = time.monotonic() + self.gateway.client_timeout
        batch = self.begin_batch()
        self.feeding = True
        ex = self.active
        if ex is not None and ex.state == FORWARDING and ex.upbuf is None:
            ex.upbuf = []  # the body pieces of this read go upstream in one write
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # No upgrade is offered (the header is not forwarded): the request is answered as
            # a plain one, then the connection closes, as what follows would be another
            # protocol.
            self.closing = True
            last = self.queue[-1] if self.queue else self.active
            if last is not None:
                last.close_after = True
        except httptools.HttpParserError as exc:
            self._parse_failed(exc)
        except Exception:
            logger.exception("unexpected error while reading a request")
            self._parse_failed(None)
        finally:
            self.feeding = False
        if self.in_head:
            # httptools gathers a header value whole before handing it over: bound the bytes
            # of a head that spans reads (on_header checks each header as it completes).
            self.head_bytes += len(data)
            if self.head_bytes > MAX_HEAD_SPAN and not self.closing:
                self._parse_failed(_HeadTooLarge(_too_large_head()))
        ex = self.active
        if ex is not None and ex.upbuf is not None:
            ex.flush_up()
        self.end_batch(batch)

    def eof_received(self) -> bool | None:
        # The client finished sending. A request in progress is still answered (half-close);
        # an idle connection is simply closed.
        if self.active is None and not self.queue:
            return None
        self.closing = True
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.gateway.forget(self)
        ex = self.active
        self.active = None
        if ex is not None:
            ex.client_gone()
        for queued in self.queue:
            queued.client_gone()
        self.queue.clear()

    def pause_writing(self) -> None:
        self.write_paused = True
        ex = self.active
        if ex is not None and ex.upstream is not None:
            ex.upstream.pause_reading()

    def resume_writing(self) -> None:
        self.write_paused = False
        ex = self.active
        if ex is not None and ex.upstream is not None:
            ex.upstream.resume_reading()

    # --- httptools callbacks ----------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._url = b""
        self._headers = []
        self.head_bytes = 0
        self.incoming = None
        self.in_head = True

    def on_url(self, url: bytes) -> None:
        self._url += url
        if len(self._url) > MAX_URL_BYTES:
            raise _HeadTooLarge(Problem(414, "URI too long", kind="uri-too-long",
                                        detail=f"the target exceeds {MAX_URL_BYTES} bytes"))

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.incoming is not None:
            return  # a trailer of a chunked body: not forwarded
        self._headers.append((name, value))
        self.head_bytes += len(name) + len(value) + 4
        if self.head_bytes > MAX_HEAD_BYTES or len(self._headers) > MAX_HEADERS:
            raise _HeadTooLarge(_too_large_head())

    def on_headers_complete(self) -> None:
        self.in_head = False
        self.head_bytes = 0
        if self.closing:
            return
        parser = self.parser
        method = parser.get_method()
        http11 = parser.get_http_version() == "1.1"
        target = self._url
        problem: Problem | None = None
        path = "/"
        try:
            if not target.startswith(b"/"):
                target = _origin_form(target)
            raw_path, _, _ = target.partition(b"?")
            text = raw_path.decode("latin-1")
            path = unquote(text) if "%" in text else text
            head = read_head(self._headers, http11)
        except Problem as exc:
            head = RequestHead()
            problem = exc
        except Exception:
            head = RequestHead()
            problem = bad_request("the request head is malformed")
        ex = Exchange(self, method, target, path, head, keep_alive=parser.should_keep_alive(),
                      http11=http11)
        self.incoming = ex
        if problem is not None:
            ex.problem = problem
            ex.close_after = True
            self.closing = True
        if self.active is None:
            self.active = ex
            self.gateway.admit(ex)
        else:
            self.queue.append(ex)
            self.pause(PAUSE_PIPELINE, True)

    def on_body(self, body: bytes) -> None:
        ex = self.incoming
        if ex is not None:
            ex.request_body(body)

    def on_message_complete(self) -> None:
        ex = self.incoming
        self.incoming = None
        if ex is not None:
            ex.request_end()

    # --- flow -------------------------------------------------------------------------------

    def _parse_failed(self, exc: Exception | None) -> None:
        context = exc.__context__ if exc is not None else None
        if context is not None and not isinstance(context, _HeadTooLarge):
            logger.error("unexpected error while reading a request",
                         exc_info=(type(context), context, context.__traceback__))
        problem = _parse_problem(exc)
        self.closing = True
        ex = self.incoming
        if ex is not None:  # the head was read: its body's framing is broken
            self.incoming = None
            ex.request_broken(problem)
            return
        if self.active is None:
            self._answer_and_close(problem)
            return
        # A pipelined request behind the active one: answered in its turn.
        placeholder = Exchange(self, b"GET", b"/", "/", RequestHead(), keep_alive=False,
                               http11=True)
        placeholder.problem = problem
        placeholder.request_done = True
        self.queue.append(placeholder)

    def _answer_and_close(self, problem: Problem) -> None:
        self.write(self.gateway.problem_bytes(None, problem))
        self.close(linger=True)

    def exchange_finished(self, ex: Exchange) -> None:
        if ex is not self.active:
            return
        self.active = None
        # What paused reading for this exchange's sake is over with it.
        self.pause(PAUSE_UPSTREAM | PAUSE_PENDING, False)
        if ex.close_after or self.gateway.draining or self.closed:
            self.queue.clear()
            self.close(linger=not ex.request_done)
            return
        if self.queue:
            asyncio.get_running_loop().call_soon(self._next)
        elif self.closing:
            self.close(linger=False)
        else:
            self.deadline = time.monotonic() + self.gateway.client_timeout

    def _next(self) -> None:
        if self.closed or self.active is not None or not self.queue:
            return
        ex = self.queue.popleft()
        self.active = ex
        if not self.queue:
            self.pause(PAUSE_PIPELINE, False)
        if ex.pending_size <= PENDING_LIMIT:
            self.pause(PAUSE_PENDING, False)
        self.gateway.admit(ex)

    def pause(self, reason: int, on: bool) -> None:
        before = self.paused
        if before < 0:
            return
        after = before | reason if on else before & ~reason
        self.paused = after
        transport = self.transport
        if transport is None or self.closed or self.linger:
            return
        if after and not before:
            transport.pause_reading()
        elif before and not after:
            transport.resume_reading()

    def upstream_full(self, full: bool) -> None:
        self.pause(PAUSE_UPSTREAM, full)

    def begin_batch(self) -> bool:
        if self._wbuf is None:
            self._wbuf = []
            return True
        return False

    def end_batch(self, started: bool) -> None:
        if not started:
            return
        buf = self._wbuf
        self._wbuf = None
        if buf and not self.closed and self.transport is not None:
            self.transport.write(buf[0] if len(buf) == 1 else b"".join(buf))
        if self.linger and self.transport is not None and not self.closed:
            self._start_linger()

    def write(self, data: bytes) -> None:
        if self._wbuf is not None:
            self._wbuf.append(data)
        elif not self.closed and self.transport is not None:
            self.transport.write(data)

    def close(self, *, linger: bool) -> None:
        """Closes once the answer is out; with `linger`, reads and drops what the client is
        still sending for a moment first, so that closing does not reset the connection
        before the client has read the answer."""
        if self.closed or self.transport is None:
            return
        self.closing = True
        if not linger:
            if self._wbuf is not None:
                self.end_batch(True)
            self.transport.close()
            return
        self.linger = True
        self.deadline = time.monotonic() + LINGER_SECONDS
        if self._wbuf is None:
            self._start_linger()

    def _start_linger(self) -> None:
        transport = self.transport
        if transport is None or self.paused < 0:
            return
        self.paused = -1  # lingering: never paused again
        transport.resume_reading()
        if transport.can_write_eof():
            transport.write_eof()
        else:
            transport.close()

    def abort(self) -> None:
        self.closing = True
        if not self.closed and self.transport is not None:
            if self._wbuf is not None:
                self.end_batch(True)
            self.transport.close()

    def expire(self, now: float) -> None:
        """Called by the gateway's ticker once the deadline has passed."""
        if self.closed or self.transport is None:
            return
        if self.linger:
            self.transport.abort()
            return
        ex = self.active
        if ex is None:  # idle keep-alive, or a request head that never completed
            self.transport.close()
        elif not ex.request_done:  # a body that stopped arriving
            if ex.response_started:
                ex.abort()
            else:
                ex.drop_upstream()
                ex.close_after = True
                ex.respond_problem(Problem(408, "Request timeout", kind="request-timeout",
                                           detail="the request body stopped arriving"))
        else:
            self.deadline = now + self.gateway.client_timeout  # waiting for the upstream

    def shutdown(self) -> None:
        """The gateway stops: idle connections close now, busy ones after their answer."""
        if self.active is None and not self.queue:
            self.close(linger=False)


def _too_large_head() -> Problem:
    return Problem(431, "Request header fields too large", kind="headers-too-large",
                   detail=f"at most {MAX_HEADERS} headers, {MAX_HEAD_BYTES} bytes")


def _origin_form(target: bytes) -> bytes:
    """The path and query of an absolute-form target (`GET http://host/path`)."""
    if target == b"*":
        raise bad_request("the asterisk target is not supported")
    url = httptools.parse_url(target)
    if not url.path:
        raise bad_request("the request target has no path")
    return url.path + (b"?" + url.query if url.query else b"")


def _parse_problem(exc: Exception | None) -> Problem:
    if isinstance(exc, _HeadTooLarge):
        return exc.problem
    context = exc.__context__ if exc is not None else None
    if isinstance(context, _HeadTooLarge):
        return context.problem
    if isinstance(exc, httptools.HttpParserInvalidMethodError):
        return Problem(501, "Not implemented", detail="the request method is not supported",
                       kind="not-implemented")
    return bad_request("the request is not valid HTTP/1.1 (framing, headers or chunk sizes)")
