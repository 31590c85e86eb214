"""HTTP/1.1 on the wire: request smuggling defences, chunked bodies, pipelining,
back-pressure, keep-alive, timeouts, trace context and a graceful stop."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from gateway_kit import (
    HOME,
    OTHER,
    PROBLEM,
    Echo,
    Identity,
    free_socket,
    header,
    keyed_settings,
    make_token,
    raw_exchange,
    running_gateway,
    serve_aiohttp,
)

from kyodo_common.errors import Problem
from kyodo_gateway.app import Gateway, create_app
from kyodo_gateway.exchange import PAUSE_UPSTREAM
from kyodo_gateway.headers import read_head
from kyodo_gateway.server import ClientConnection

pytestmark = pytest.mark.timeout(60)

TOKEN = make_token(expires_in=3600)
MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
async def setup() -> AsyncIterator[tuple[Echo, Gateway, str]]:
    identity, echo = Identity(), Echo()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url,
                            KYODO_MAX_BODY_BYTES=MAX_BODY) as (gateway, url):
        yield echo, gateway, url


def target(rest: str = "r-1") -> str:
    return f"/v1/municipalities/{HOME}/residents/{rest}"


def request(method: str, rest: str, *lines: str, body: bytes = b"", version: str = "1.1",
            token: str = TOKEN) -> bytes:
    head = [f"{method} {target(rest)} HTTP/{version}", "Host: gateway.test",
            f"Authorization: Bearer {token}", *lines]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


# --- request smuggling defences -------------------------------------------------------------


@pytest.mark.parametrize("lines, body", [
    pytest.param(("Content-Length: 5", "Transfer-Encoding: chunked"), b"0\r\n\r\n",
                 id="cl-and-te"),
    pytest.param(("Transfer-Encoding: chunked", "Content-Length: 5"), b"0\r\n\r\n",
                 id="te-and-cl"),
    pytest.param(("Content-Length: 5", "Content-Length: 6"), b"hello!", id="two-cls-differ"),
    pytest.param(("Content-Length: 5, 6",), b"hello!", id="cl-list"),
    pytest.param(("Content-Length: +5",), b"hello", id="cl-sign"),
    pytest.param(("Content-Length : 5",), b"hello", id="space-before-colon"),
    pytest.param(("Transfer-Encoding: xchunked",), b"0\r\n\r\n", id="te-not-chunked"),
    pytest.param(("Transfer-Encoding: chunked", " folded"), b"0\r\n\r\n", id="obs-fold"),
    pytest.param(("Host: second.test",), b"", id="two-hosts"),
])
async def test_ambiguous_framing_is_refused_and_the_connection_closed(
    setup: tuple[Echo, Gateway, str], lines: tuple[str, ...], body: bytes,
) -> None:
    echo, _, url = setup
    marker = f"smuggle-{len(echo.seen)}-{time.monotonic_ns()}"
    follow = request("GET", marker + "-follow")
    responses, closed = await raw_exchange(url, request("POST", marker, *lines, body=body)
                                           + follow)
    assert len(responses) == 1
    assert responses[0].status == 400
    assert responses[0].get("content-type") == PROBLEM
    assert closed
    assert not any(marker in seen for seen in echo.seen)  # neither request reached a service


@pytest.mark.parametrize("chunks", [
    pytest.param(b"zz\r\nhello\r\n0\r\n\r\n", id="not-hex"),
    pytest.param(b"-5\r\nhello\r\n0\r\n\r\n", id="negative"),
    pytest.param(b"fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n", id="overflow"),
    pytest.param(b"5\r\nhelloXX\r\n0\r\n\r\n", id="data-longer-than-size"),
    pytest.param(b"5 ;x=\x01\r\nhello\r\n0\r\n\r\n", id="bad-extension"),
])
async def test_invalid_chunk_framing_is_a_400_and_closes(
    setup: tuple[Echo, Gateway, str], chunks: bytes,
) -> None:
    _, _, url = setup
    responses, closed = await raw_exchange(
        url, request("POST", "chunks", "Transfer-Encoding: chunked", body=chunks))
    assert [r.status for r in responses] == [400]
    assert closed


async def test_transfer_codings_other_than_chunked_are_not_implemented(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    responses, closed = await raw_exchange(
        url, request("POST", "gz", "Transfer-Encoding: gzip, chunked", body=b"0\r\n\r\n"))
    assert responses[0].status in (400, 501)
    assert closed


def test_read_head_checks_framing_itself() -> None:
    def status(*headers: tuple[bytes, bytes], http11: bool = True) -> int:
        try:
            read_head([(b"Host", b"x"), *headers], http11)
        except Problem as problem:
            return problem.status
        return 0

    assert status((b"Content-Length", b"5"), (b"Transfer-Encoding", b"chunked")) == 400
    assert status((b"Content-Length", b"5"), (b"Content-Length", b"5")) == 400
    assert status((b"Content-Length", b"-1")) == 400
    assert status((b"Transfer-Encoding", b"gzip, chunked")) == 501
    assert status((b"Transfer-Encoding", b"chunked, gzip")) == 400
    assert status((b"Host", b"y")) == 400
    assert status((b"Expect", b"something")) == 417
    head = read_head([(b"Host", b"x"), (b"Connection", b"close, X-Secret"),
                      (b"X-Secret", b"1"), (b"X-Kyodo-Assertion", b"forged"),
                      (b"X-Kept", b"\xe4\xbd\x8f"), (b"Transfer-Encoding", b"Chunked")])
    assert head.forward == b"X-Kept: \xe4\xbd\x8f\r\n"
    assert head.chunked
    with pytest.raises(Problem):
        read_head([], True)  # HTTP/1.1 needs Host
    assert read_head([], False).forward == b""  # HTTP/1.0 does not


# --- bodies ---------------------------------------------------------------------------------


async def test_chunked_request_body_is_forwarded_chunked_without_trailers(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    body = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: secret\r\n\r\n"
    responses, closed = await raw_exchange(
        url, request("POST", "chunked", "Transfer-Encoding: chunked", body=body))
    echo = json.loads(responses[0].body)
    assert responses[0].status == 200
    assert echo["body_length"] == 11
    assert echo["body_prefix"] == "hello world"
    assert header(echo, "transfer-encoding") == ["chunked"]
    assert header(echo, "x-trailer") == []
    assert not closed  # keep-alive


async def test_expect_100_continue(setup: tuple[Echo, Gateway, str]) -> None:
    _, _, url = setup
    host, port = url.removeprefix("http://").split(":")
    async with asyncio.timeout(5):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request("POST", "expect", "Content-Length: 5", "Expect: 100-continue"))
        assert await reader.readuntil(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        writer.write(b"hello")
        head = await reader.readuntil(b"\r\n\r\n")
        writer.close()
    assert head.startswith(b"HTTP/1.1 200 ")


async def test_a_request_without_expect_is_refused_before_its_body_when_unauthorized(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    responses, closed = await raw_exchange(
        url, request("POST", "x", "Content-Length: 100000", token="not-a-token"))
    assert responses[0].status == 401
    assert closed  # the body was not read: the connection cannot be reused


# --- pipelining and keep-alive --------------------------------------------------------------


async def test_pipelined_requests_are_answered_in_order(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    data = (request("GET", "p-1") + request("POST", "p-2", "Content-Length: 3", body=b"abc")
            + request("GET", "p-3", "Transfer-Encoding: chunked", body=b"1\r\nz\r\n0\r\n\r\n")
            + b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
            + request("GET", "p-5"))
    responses, closed = await raw_exchange(url, data, expect=5)
    assert [r.status for r in responses] == [200] * 5
    targets = [json.loads(r.body).get("target") for r in responses]
    assert targets == [target("p-1"), target("p-2"), target("p-3"), None, target("p-5")]
    assert json.loads(responses[1].body)["body_length"] == 3
    assert json.loads(responses[3].body) == {"status": "ok"}
    assert not closed


async def test_a_bad_request_behind_pipelined_ones_is_answered_in_its_turn(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    data = request("GET", "q-1") + request("GET", "q-2") + b"GET /x HTTP/1.1\r\nBad\r\n\r\n"
    responses, closed = await raw_exchange(url, data, expect=3)
    assert [r.status for r in responses] == [200, 200, 400]
    assert closed


async def test_upstream_connections_are_reused(setup: tuple[Echo, Gateway, str]) -> None:
    echo, _, url = setup
    async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
        await client.get(target(), headers={"Authorization": f"Bearer {TOKEN}"})
        echo.peers.clear()
        for _ in range(5):
            response = await client.get(target(),
                                        headers={"Authorization": f"Bearer {TOKEN}"})
            assert response.status_code == 200
    assert len(echo.peers) == 1


async def test_head_leaves_the_client_connection_usable(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    host, port = url.removeprefix("http://").split(":")
    async with asyncio.timeout(5):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request("HEAD", "h-1"))
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ")
        assert b"content-length: " in head.lower()
        writer.write(request("GET", "h-2"))  # a body sent for HEAD would be read as this
        second = await reader.readuntil(b"\r\n\r\n")
        writer.close()
    assert second.startswith(b"HTTP/1.1 200 ")


async def test_http_1_0_client_gets_a_length_and_a_close(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    responses, closed = await raw_exchange(url, request("GET", "old", version="1.0"))
    assert responses[0].status == 200
    assert responses[0].get("transfer-encoding") is None
    assert closed


async def test_oversized_heads_are_refused(setup: tuple[Echo, Gateway, str]) -> None:
    _, _, url = setup
    long_url = request("GET", "x" * 20_000)
    big_headers = request("GET", "h", *(f"X-Filler-{i}: {'v' * 100}" for i in range(700)))
    # One header value that never ends: httptools would gather it whole.
    endless = request("GET", "e").removesuffix(b"\r\n\r\n") + b"\r\nX-Endless: " + b"v" * 2_000_000
    for data, status in ((long_url, 414), (big_headers, 431), (endless, 431)):
        responses, closed = await raw_exchange(url, data)
        assert [r.status for r in responses] == [status]
        assert closed


# --- back-pressure --------------------------------------------------------------------------


async def test_a_slow_reader_pauses_the_upstream(setup: tuple[Echo, Gateway, str]) -> None:
    echo, gateway, url = setup
    echo.big_written = 0
    echo.big_done.clear()
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    reader, writer = await asyncio.open_connection(sock=sock)
    try:
        writer.write(request("GET", "big"))
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert head.startswith(b"HTTP/1.1 200 ")
        # Nothing more is read: the transfer must stall with little held anywhere.
        async with asyncio.timeout(10):
            previous = -1
            while echo.big_written != previous:
                previous = echo.big_written
                await asyncio.sleep(0.5)
        assert echo.big_written < 24 * 1024 * 1024, echo.big_written  # of 64 MiB
        busy = [c for c in gateway.connections if c.active is not None
                and c.active.target.endswith(b"/big")]
        assert len(busy) == 1
        conn = busy[0]
        assert conn.transport is not None
        assert conn.transport.get_write_buffer_size() <= 1024 * 1024
        assert conn.active is not None and conn.active.upstream is not None
        assert conn.active.upstream.read_paused
        # Reading again resumes the transfer.
        got = 0
        async with asyncio.timeout(10):
            while got < 8 * 1024 * 1024:
                got += len(await reader.read(1024 * 1024))
        assert echo.big_written > previous
    finally:
        writer.close()
    # The client left: the upstream response is dropped, not read to its end for nobody.
    await asyncio.wait_for(echo.big_done.wait(), 10)
    assert echo.big_written < 64 * 1024 * 1024


async def test_a_slow_upstream_pauses_the_upload() -> None:
    identity, echo = Identity(), Echo()
    size = 32 * 1024 * 1024
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url, KYODO_MAX_BODY_BYTES=size,
                            KYODO_UPSTREAM_TIMEOUT_SECONDS=30) as (gateway, url):
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            writer.write(request("POST", "sink", f"Content-Length: {size}"))
            writer.write(b"u" * size)
            await asyncio.wait_for(echo.slow_started.wait(), 5)
            sending = asyncio.create_task(writer.drain())
            await asyncio.sleep(1.0)
            assert not sending.done()  # the gateway stopped reading the body
            (conn,) = [c for c in gateway.connections if c.active is not None]
            ex = conn.active
            assert ex is not None and ex.upstream is not None
            assert conn.paused & PAUSE_UPSTREAM
            assert ex.pending_size == 0
            assert ex.upstream.transport is not None
            assert ex.upstream.transport.get_write_buffer_size() <= 1024 * 1024
            echo.release.set()
            await asyncio.wait_for(sending, 20)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 20)
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            body = await reader.readexactly(length)
        finally:
            writer.close()
    assert head.startswith(b"HTTP/1.1 200 ")
    assert json.loads(body)["body_length"] == size


async def test_connect_and_upgrade_are_not_tunnelled(setup: tuple[Echo, Gateway, str]) -> None:
    _, _, url = setup
    responses, closed = await raw_exchange(
        url, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    assert responses[0].status in (400, 405, 501)
    assert closed
    responses, closed = await raw_exchange(url, request(
        "GET", "upgrade", "Connection: Upgrade", "Upgrade: websocket",
        "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="))
    assert responses[0].status == 200
    forwarded = json.loads(responses[0].body)
    assert header(forwarded, "upgrade") == []  # answered as a plain request
    assert closed


# --- trace context --------------------------------------------------------------------------


async def test_unsampled_requests_still_carry_trace_context(
    setup: tuple[Echo, Gateway, str],
) -> None:
    _, _, url = setup
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    incoming = f"00-{trace_id}-00f067aa0ba902b7-00"
    async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        echo = (await client.get(target(), headers={**auth, "traceparent": incoming,
                                                    "tracestate": "k=v"})).json()
        (forwarded,) = header(echo, "traceparent")
        assert forwarded.startswith(f"00-{trace_id}-") and forwarded.endswith("-00")
        assert forwarded != incoming
        assert header(echo, "tracestate") == ["k=v"]
        fresh = (await client.get(target(), headers={**auth, "traceparent": "garbage"})).json()
        (generated,) = header(fresh, "traceparent")
        assert len(generated) == 55 and trace_id not in generated


# --- timeouts and stopping ------------------------------------------------------------------


async def test_idle_and_stalled_clients_are_timed_out() -> None:
    identity, echo = Identity(), Echo()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url,
                            KYODO_KEEPALIVE_SECONDS=0.5) as (_, url):
        host, port = url.removeprefix("http://").split(":")
        async with asyncio.timeout(5):
            reader, writer = await asyncio.open_connection(host, int(port))
            assert await reader.read(1) == b""  # idle: closed after 0.5 s
            writer.close()
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(request("POST", "stall", "Content-Length: 10", body=b"12345"))
            answer = await reader.read()
            writer.close()
    assert answer.startswith(b"HTTP/1.1 408 ")


async def test_stop_lets_requests_in_flight_finish() -> None:
    identity, echo = Identity(), Echo()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url:
        settings = {"KYODO_UPSTREAM_IDENTITY": identity_url}
        async with running_gateway(identity_url, upstream_url, **settings) as (gateway, url):
            async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
                auth = {"Authorization": f"Bearer {TOKEN}"}
                in_flight = asyncio.create_task(client.get(target("held"), headers=auth))
                await asyncio.wait_for(echo.slow_started.wait(), 5)
                stopping = asyncio.create_task(gateway.stop(timeout=5))
                await asyncio.sleep(0.2)
                assert not stopping.done()
                ready = await _get(url, "/health/ready")
                assert ready is None  # no longer accepting connections
                echo.release.set()
                response = await in_flight
                assert response.status_code == 200
                assert response.headers["connection"] == "close"
                await asyncio.wait_for(stopping, 5)
                assert not gateway.connections


async def _get(url: str, path: str) -> int | None:
    try:
        async with httpx.AsyncClient(base_url=url, timeout=1.0, trust_env=False) as client:
            return (await client.get(path)).status_code
    except httpx.HTTPError:
        return None


def test_protocol_objects_are_small() -> None:
    # __slots__ on the hot path: no per-connection or per-request __dict__.
    gateway = create_app(keyed_settings())
    assert not hasattr(ClientConnection(gateway), "__dict__")


@pytest.mark.parametrize("max_connections", [4, 512])
async def test_many_concurrent_mixed_requests_are_all_answered_right(
    max_connections: int,
) -> None:
    identity, echo = Identity(), Echo()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url, \
            running_gateway(identity_url, upstream_url, KYODO_MAX_BODY_BYTES=MAX_BODY,
                            KYODO_UPSTREAM_MAX_CONNECTIONS=max_connections) as (gateway, url):
        await _mixed_load(gateway, url)
        pool = gateway.pools["residents"]
        assert len(pool.connections) <= max_connections
        assert not pool.waiters


async def _mixed_load(gateway: Gateway, url: str) -> None:
    import random

    import aiohttp

    auth = {"Authorization": f"Bearer {TOKEN}"}
    rng = random.Random(7)
    failures: list[str] = []

    async def body_stream(size: int) -> AsyncIterator[bytes]:
        sent = 0
        while sent < size:
            piece = min(size - sent, rng.randint(1, 8192))
            sent += piece
            yield b"c" * piece

    async def worker(session: aiohttp.ClientSession, n: int) -> None:
        for i in range(25):
            kind = rng.choice(["get", "post", "chunked", "head"])
            path = target(f"w{n}-{i}")
            size = rng.randint(0, MAX_BODY)
            if kind == "get":
                async with session.get(url + path, headers=auth) as r:
                    ok = r.status == 200 and (await r.json())["target"] == path
            elif kind == "post":
                async with session.post(url + path, headers=auth, data=b"p" * size) as r:
                    ok = r.status == 200 and (await r.json())["body_length"] == size
            elif kind == "chunked":
                async with session.post(url + path, headers=auth,
                                        data=body_stream(size)) as r:
                    ok = r.status == 200 and (await r.json())["body_length"] == size
            else:
                async with session.head(url + path, headers=auth) as r:
                    ok = r.status == 200 and await r.read() == b""
            if not ok:
                failures.append(f"{kind} {path}")

    connector = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=connector) as session:
        async with asyncio.timeout(40):
            await asyncio.gather(*(worker(session, n) for n in range(64)))
    assert failures == []


async def test_a_reused_connection_closed_by_the_service_is_retried_for_safe_methods() -> None:
    """The service closes each kept-alive connection when the second request arrives, as one
    does when its keep-alive ends just as the gateway reuses the connection."""
    served: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            served.append(head.split(b" ")[1])
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")  # the second request: dropped unanswered
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    sock = free_socket()
    server = await asyncio.start_server(handle, sock=sock)
    identity = Identity()
    try:
        async with serve_aiohttp(identity.handle) as identity_url, \
                running_gateway(identity_url,
                                f"http://127.0.0.1:{sock.getsockname()[1]}") as (_, url):
            async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as c:
                auth = {"Authorization": f"Bearer {TOKEN}"}
                assert (await c.get(target("first"), headers=auth)).status_code == 200
                # Reuses the kept-alive connection, which the service drops: sent again.
                assert (await c.get(target("again"), headers=auth)).status_code == 200
                assert served.count(target("again").encode()) == 1
                # A POST is not sent twice: the service might have acted on it.
                response = await c.post(target("post"), headers=auth, content=b"x")
                assert response.status_code == 502
                assert response.headers["content-type"] == PROBLEM
                assert target("post").encode() not in served
    finally:
        server.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    """One request's head (its body read and dropped); its target."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return head.split(b" ")[1]


async def test_a_connection_that_answered_a_server_error_is_not_reused() -> None:
    """uvicorn closes its connection right after the 500 of an unhandled error, without a
    `Connection: close`: the gateway must not hand that connection to the next request
    (here another municipality's POST, which is not retried, so it would get a 502)."""
    served: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                path = await _read_request(reader)
                if path.endswith(b"/fails"):
                    writer.write(b"HTTP/1.1 500 Internal Server Error\r\n"
                                 b"Content-Length: 2\r\n\r\n{}")
                    await writer.drain()
                    await reader.readuntil(b"\r\n\r\n")  # the next request: dropped
                    return
                served.append(path)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    sock = free_socket()
    server = await asyncio.start_server(handle, sock=sock)
    identity = Identity()
    other = f"/v1/municipalities/{OTHER}/residents/search"
    try:
        async with serve_aiohttp(identity.handle) as identity_url, \
                running_gateway(identity_url,
                                f"http://127.0.0.1:{sock.getsockname()[1]}") as (_, url):
            async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as c:
                failed = await c.get(target("fails"), headers={"Authorization": f"Bearer {TOKEN}"})
                assert failed.status_code == 500
                response = await c.post(other, content=b"{}", headers={
                    "Authorization": f"Bearer {make_token(municipality=OTHER)}"})
                assert response.status_code == 200, response.text
                assert served == [other.encode()]
    finally:
        server.close()


async def test_a_retry_takes_a_new_connection_not_another_idle_one() -> None:
    """Two kept-alive connections that the service has both closed (keep-alive over): the
    GET that finds the first closed is sent again on a new connection, not on the second."""
    connections = 0
    both_open = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        if connections == 2:
            both_open.set()
        try:
            await _read_request(reader)
            await asyncio.wait_for(both_open.wait(), 5)  # two requests at once: two connections
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")  # a reuse: dropped unanswered
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    sock = free_socket()
    server = await asyncio.start_server(handle, sock=sock)
    identity = Identity()
    try:
        async with serve_aiohttp(identity.handle) as identity_url, \
                running_gateway(identity_url,
                                f"http://127.0.0.1:{sock.getsockname()[1]}") as (_, url):
            auth = {"Authorization": f"Bearer {TOKEN}"}
            async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as a, \
                    httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as b:
                first = await asyncio.gather(a.get(target("one"), headers=auth),
                                             b.get(target("two"), headers=auth))
                assert [r.status_code for r in first] == [200, 200]
                response = await a.get(target("three"), headers=auth)
                assert response.status_code == 200, response.text
                assert connections == 3  # the retry opened a third one
    finally:
        server.close()


RAW_ANSWERS = {
    # No length, no chunks: the body ends when the service closes the connection.
    b"close-delimited": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close"
                       b"\r\n\r\nuntil the end",
    # An interim answer first: not forwarded.
    b"interim": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal",
    b"garbage": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nBad Header\r\n\r\nhello",
    b"switching": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
}


async def test_unusual_service_answers() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            name = head.split(b" ")[1].rsplit(b"/", 1)[-1]
            writer.write(RAW_ANSWERS[name])
            await writer.drain()
        finally:
            writer.close()

    sock = free_socket()
    server = await asyncio.start_server(handle, sock=sock)
    identity = Identity()
    try:
        async with serve_aiohttp(identity.handle) as identity_url, \
                running_gateway(identity_url,
                                f"http://127.0.0.1:{sock.getsockname()[1]}") as (_, url):
            data = request("GET", "close-delimited") + request("GET", "interim")
            responses, closed = await raw_exchange(url, data, expect=2)
            assert [r.status for r in responses] == [200, 200]
            assert responses[0].body == b"until the end"
            assert responses[0].get("transfer-encoding") == "chunked"
            assert responses[1].body == b"final"
            assert responses[1].get("link") is None
            assert not closed  # the client's connection outlives the service's
            for name in ("garbage", "switching"):
                (response,), _ = await raw_exchange(url, request("GET", name))
                assert response.status == 502, name
    finally:
        server.close()


async def test_http_1_0_keep_alive(setup: tuple[Echo, Gateway, str]) -> None:
    _, _, url = setup
    data = (request("GET", "k-1", "Connection: keep-alive", version="1.0")
            + request("GET", "k-2", "Connection: keep-alive", version="1.0"))
    responses, closed = await raw_exchange(url, data, expect=2)
    assert [r.status for r in responses] == [200, 200]
    assert responses[0].get("connection") == "keep-alive"
    assert not closed
