"""The delivery's HTTP/1.1 client against raw loopback servers: the request as sent, a kept-alive
connection reused for the pinned address only, interim and over-long answers, a receiver that
closes a kept-alive connection, and the reasons of answers that are not HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from kyodo_webhooks.adapters import http1

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def server(handler: Handler) -> AsyncIterator[tuple[int, list[bytes]]]:
    """A loopback server; yields its port and the raw requests it read (head and body)."""
    seen: list[bytes] = []
    connections: list[asyncio.StreamWriter] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await handler(reader, writer)

    srv = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    try:
        yield port, seen
    finally:
        srv.close()
        for writer in connections:
            writer.close()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length"))
    return head + await reader.readexactly(length)


def pool() -> http1.Pool:
    return http1.Pool(tls=ssl.create_default_context(), connect_timeout=2, timeout=1)


def answering(*answers: bytes, seen: list[bytes] | None = None, close: bool = False) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for answer in answers:
            request = await read_request(reader)
            if seen is not None:
                seen.append(request)
            writer.write(answer)
            await writer.drain()
        if close:
            writer.close()
        else:
            await reader.read()
    return handler


OK = b"HTTP/1.1 204 No Content\r\n\r\n"


async def test_the_request_as_sent_and_a_connection_kept_alive_for_the_next() -> None:
    seen: list[bytes] = []
    accepted = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        await answering(OK, OK, seen=seen)(reader, writer)

    async with server(handler) as (port, _):
        p = pool()
        body = b'{"a":1}'
        request = http1.request("POST", "/hook path?x=1", {"host": "partner.example",
                                                           "webhook-id": "m1"}, body)
        assert await p.post("127.0.0.1", port, None, request) == 204
        assert await p.post("127.0.0.1", port, None, request) == 204
        p.close()
    assert accepted == 1
    assert seen[0] == (b"POST /hook%20path?x=1 HTTP/1.1\r\nhost: partner.example\r\n"
                       b"webhook-id: m1\r\ncontent-length: 7\r\n\r\n" + body)


def test_a_header_with_a_line_break_is_never_sent() -> None:
    with pytest.raises(ValueError, match="line break"):
        http1.request("POST", "/", {"host": "a\r\nx-evil: 1"}, b"")


async def test_an_interim_answer_is_skipped_and_a_long_answer_cut_off() -> None:
    long = b"HTTP/1.1 200 OK\r\ncontent-length: 200000\r\n\r\n" + b"x" * 200_000
    async with server(answering(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\n"
                                b"content-length: 2\r\n\r\nok", long)) as (port, _):
        p = pool()
        request = http1.request("POST", "/", {"host": "h"}, b"{}")
        assert await p.post("127.0.0.1", port, None, request) == 202
        assert await p.post("127.0.0.1", port, None, request) == 200
        assert not any(p.idle.values())  # the cut-off connection is not kept
        p.close()


async def test_a_kept_alive_connection_the_receiver_closed_is_retried_on_a_new_one() -> None:
    accepted = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        if accepted == 1:  # answers, then closes as the next request arrives
            await read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")
            writer.transport.abort()
            return
        await answering(OK)(reader, writer)

    async with server(handler) as (port, _):
        p = pool()
        request = http1.request("POST", "/", {"host": "h"}, b"{}")
        assert await p.post("127.0.0.1", port, None, request) == 200
        assert await p.post("127.0.0.1", port, None, request) == 204
        p.close()
    assert accepted == 2


async def test_a_new_address_does_not_reuse_the_old_ones_connections() -> None:
    async with server(answering(OK, OK)) as (port, _):
        p = pool()
        request = http1.request("POST", "/", {"host": "h"}, b"{}")
        assert await p.post("127.0.0.1", port, None, request) == 204
        [kept] = p.idle[("127.0.0.1", port, None)]
        with contextlib.suppress(http1.Failed):
            await p.post("127.0.0.2", port, None, request)
        assert kept.closed and ("127.0.0.1", port, None) not in p.idle
        p.close()


@pytest.mark.parametrize(("answer", "reason"), [
    (b"SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP answer (protocol error)"),
    (b"", "not an HTTP answer (the connection was closed without an answer)"),
    (b"HTTP/1.1 200 OK\r\ncontent-le", "not an HTTP answer (the connection was closed "
                                       "mid-answer)"),
])
async def test_what_is_not_an_http_answer_has_its_reason(answer: bytes, reason: str) -> None:
    async with server(answering(answer, close=True)) as (port, _):
        p = pool()
        with pytest.raises(http1.Failed) as failed:
            await p.post("127.0.0.1", port, None, http1.request("POST", "/", {"host": "h"}, b""))
        p.close()
    assert str(failed.value) == reason


async def test_no_answer_in_time_and_no_one_listening() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with server(silent) as (port, _):
        p = pool()
        with pytest.raises(http1.Failed, match=r"no answer within 1 s \(timeout\)"):
            await p.post("127.0.0.1", port, None, http1.request("POST", "/", {"host": "h"}, b""))
    with pytest.raises(http1.Failed, match="connection refused"):
        await p.post("127.0.0.1", port, None, http1.request("POST", "/", {"host": "h"}, b""))


def test_the_worker_s_event_loop_uvloop_too() -> None:
    """The worker runs on uvloop, whose transports are not asyncio.Transport subclasses."""
    import uvloop

    async def main() -> int:
        async with server(answering(OK)) as (port, _):
            p = pool()
            status = await p.post("127.0.0.1", port, None,
                                  http1.request("POST", "/", {"host": "h"}, b"{}"))
            p.close()
            return status

    assert uvloop.run(main()) == 204
