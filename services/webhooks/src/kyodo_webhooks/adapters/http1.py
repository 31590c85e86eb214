"""A subscription's HTTP/1.1 connections to its receiver: the request written as bytes on an
asyncio transport, the answer parsed by httptools (llhttp, uvicorn's parser), its body counted
up to a bound and dropped, the connection kept alive for the next message.

Why not httpx or aiohttp: a delivery is one small POST whose answer only matters by its
status, and the general clients' layers (request and response models, header containers,
middlewares, pool bookkeeping) were most of a delivery's CPU (docs/webhooks.md, "Measured").

Connections are pooled per pinned key (address, port, TLS server name): a connection is
reused only for the address that was just checked (SSRF), and only by the subscription that
made it (a slow receiver holds only its own connections).
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
from typing import cast
from urllib.parse import quote

import httptools

# The answer's body is read up to this and dropped; a longer one is cut off with its
# connection.
ANSWER_BYTES = 65_536
# An idle connection older than this is closed rather than reused: receivers close theirs
# after a few seconds (uvicorn 5 s), and a POST on a connection the receiver is closing fails.
IDLE_SECONDS = 4.0
_UNSENDABLE = re.compile(r"[^\x21-\x7e]")


class Failed(Exception):
    """The request got no HTTP answer; the message is the delivery log's reason."""


class _Lost(Failed):
    """The connection closed before any byte of an answer."""


def _sendable(text: str) -> str:
    """Whitespace, control and non-ASCII characters percent-encoded (as a URL is sent)."""
    return _UNSENDABLE.sub(lambda m: quote(m.group(), safe=""), text)


class _Connection(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.answer: asyncio.Future[int] | None = None
        self.status = 0
        self.seen = 0
        self.answered = False  # a byte of the current answer arrived
        self.reusable = False
        self.closed = False
        self.idle_since = 0.0

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport (uvloop's, which the worker runs on, is not a subclass).
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.answered = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(Failed("not an HTTP answer (an upgrade was answered)"))
        except httptools.HttpParserError:
            self._fail(Failed("not an HTTP answer (protocol error)"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.answer is not None and not self.answer.done():
            if self.status and not (100 <= self.status < 200):
                self.answer.set_result(self.status)  # an answer delimited by the close
            elif self.answered:
                self.answer.set_exception(Failed(
                    "not an HTTP answer (the connection was closed mid-answer)"))
            else:
                self.answer.set_exception(_Lost(
                    "not an HTTP answer (the connection was closed without an answer)"))

    # httptools callbacks
    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self.seen += len(body)
        if self.seen > ANSWER_BYTES and self.answer is not None and not self.answer.done():
            self.reusable = False
            self.answer.set_result(self.status)
            self.close()

    def on_message_complete(self) -> None:
        if 100 <= self.status < 200:  # an interim answer (100 Continue): the real one follows
            self.status = 0
            return
        if self.answer is not None and not self.answer.done():
            self.reusable = self.parser.should_keep_alive()
            self.answer.set_result(self.status)

    def _fail(self, error: Failed) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(error)
        self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def exchange(self, request: bytes) -> int:
        assert self.transport is not None
        self.answer = self.loop.create_future()
        self.status, self.seen, self.answered, self.reusable = 0, 0, False, False
        self.transport.write(request)
        try:
            return await self.answer
        finally:
            self.answer = None


_Key = tuple[str, int, str | None]


class Pool:
    """One subscription's connections: up to as many as it has requests in flight."""

    def __init__(self, *, tls: ssl.SSLContext, connect_timeout: float, timeout: float) -> None:
        self.tls = tls
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.idle: dict[_Key, list[_Connection]] = {}

    async def _connect(self, key: _Key) -> _Connection:
        address, port, server_name = key
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.connect_timeout):
                _, connection = await loop.create_connection(
                    lambda: _Connection(loop), address, port,
                    ssl=self.tls if server_name is not None else None,
                    server_hostname=server_name)
        except TimeoutError as exc:
            raise Failed("could not connect in time (connect timeout)") from exc
        except ssl.SSLError as exc:
            raise Failed(f"TLS failed: {exc.reason or type(exc).__name__}") from exc
        except ConnectionRefusedError as exc:
            raise Failed("connection refused") from exc
        except OSError as exc:
            raise Failed(f"could not connect ({exc.strerror or type(exc).__name__})") from exc
        return connection

    def _reuse(self, key: _Key) -> _Connection | None:
        if len(self.idle) > 1 or (self.idle and key not in self.idle):
            self._drop_others(key)  # the address changed: the old one's connections go
        idle = self.idle.get(key)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if not connection.closed and now - connection.idle_since < IDLE_SECONDS:
                return connection
            connection.close()
        return None

    def _drop_others(self, key: _Key) -> None:
        for other in [k for k in self.idle if k != key]:
            for connection in self.idle.pop(other):
                connection.close()

    async def post(self, address: str, port: int, server_name: str | None,
                   request: bytes) -> int:
        """The answer's status; Failed with the reason when there is none."""
        key = (address, port, server_name)
        connection = self._reuse(key)
        reused = connection is not None
        try:
            async with asyncio.timeout(self.timeout):
                if connection is None:
                    connection = await self._connect(key)
                try:
                    status = await connection.exchange(request)
                except _Lost:
                    if not reused:
                        raise
                    # The receiver closed a kept-alive connection as this was sent: once more
                    # on a new one (the same webhook-id: the receiver deduplicates).
                    connection.close()
                    connection = await self._connect(key)
                    status = await connection.exchange(request)
        except TimeoutError as exc:
            if connection is not None:
                connection.close()
            raise Failed(f"no answer within {self.timeout:g} s (timeout)") from exc
        except Failed:
            if connection is not None:
                connection.close()
            raise
        if connection.reusable and not connection.closed:
            connection.idle_since = time.monotonic()
            self.idle.setdefault(key, []).append(connection)
        else:
            connection.close()
        return status

    def close(self) -> None:
        for connections in self.idle.values():
            for connection in connections:
                connection.close()
        self.idle.clear()


def request(method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    """An HTTP/1.1 request's bytes. ``headers`` are the sender's own (ids, signatures, the
    callback's host): none may hold a line break."""
    lines = [f"{method} {_sendable(path)} HTTP/1.1"]
    for name, value in headers.items():
        if "\r" in value or "\n" in value:
            raise ValueError(f"header {name} holds a line break")
        lines.append(f"{name}: {value}")
    lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
