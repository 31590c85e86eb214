"""The gateway against a tiny aiohttp upstream, both served on 127.0.0.1 in this process."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gateway_kit import ASSERTION_KEY, keyed_settings
from jwt.algorithms import OKPAlgorithm
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from kyodo_gateway.app import Gateway, create_app
from kyodo_gateway.server import ClientConnection
from kyodo_gateway.settings import GatewaySettings

pytestmark = pytest.mark.timeout(60)

HOME = "131016"  # 千代田区, check digit valid
OTHER = "271004"  # 大阪市, check digit valid
ISSUER = "https://kyodo.test/identity"
AUDIENCE = "kyodo"
KID = "test-key"
MAX_BODY = 4096
UPSTREAM_TIMEOUT = 1.0
PROBLEM = "application/problem+json"

_signing_key = Ed25519PrivateKey.generate()
_jwk = OKPAlgorithm.to_jwk(_signing_key.public_key(), as_dict=True)
JWKS = {"keys": [{**_jwk, "kid": KID, "alg": "EdDSA", "use": "sig"}]}


def make_token(*, municipality: str = HOME, expires_in: int = 300,
               key: Ed25519PrivateKey = _signing_key, kid: str = KID) -> str:
    now = int(time.time())
    claims = {"sub": "staff-1", "municipality": municipality, "scope": "residents:read",
              "roles": ["counter_clerk"], "kind": "staff", "iat": now - 10,
              "exp": now + expires_in, "aud": AUDIENCE, "iss": ISSUER,
              "jti": uuid.uuid4().hex}
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})


def auth(**kwargs: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(**kwargs)}"}


def header(echo: dict[str, Any], name: str) -> list[str]:
    return [v for n, v in echo["headers"] if n.lower() == name.lower()]


# --- the upstream: echoes what it received; a few paths behave differently -------------


class Upstream:
    def __init__(self) -> None:
        self.seen: list[str] = []
        self.release_stream = asyncio.Event()
        self.first_upload_chunk = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request.raw_path)
        if request.path == "/v1/auth/jwks.json":
            return web.json_response(JWKS)
        last = request.path.rsplit("/", 1)[-1]
        if last == "stream":
            return await self._stream(request)
        if last == "slow":
            await asyncio.sleep(UPSTREAM_TIMEOUT * 5)
        if last == "upload":
            first = await request.content.readany()
            self.first_upload_chunk.set()
            rest = await request.read()
            return web.json_response({"body_length": len(first) + len(rest)})
        length = 0
        async for chunk in request.content.iter_any():
            length += len(chunk)
        response = web.json_response({
            "method": request.method, "target": request.raw_path,
            "headers": list(request.headers.items()),
            "body_length": length,
        })
        if last == "cookie":
            response.set_cookie("session", "secret-of-one-caller")
            response.headers["Proxy-Authenticate"] = "Basic"
            response.headers["Trailer"] = "X-Checksum"
            response.headers["X-Upstream"] = "yes"
        return response

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b"first\n")
        await asyncio.wait_for(self.release_stream.wait(), 10)
        await response.write(b"second\n")
        await response.write_eof()
        return response


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="module")
async def upstream() -> AsyncIterator[tuple[Upstream, str]]:
    state = Upstream()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", state.handle)
    # Cancel handlers whose client left (the timeout test), and do not wait long at teardown.
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0)
    await runner.setup()
    sock = free_socket()
    site = web.SockSite(runner, sock)
    await site.start()
    yield state, f"http://127.0.0.1:{sock.getsockname()[1]}"
    await runner.cleanup()


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture(scope="module")
async def gateway(upstream: tuple[Upstream, str],
                  spans: InMemorySpanExporter) -> AsyncIterator[tuple[Gateway, str]]:
    _, upstream_url = upstream
    dead = free_socket()  # bound, never listening: connections to it are refused
    dead_url = f"http://127.0.0.1:{dead.getsockname()[1]}"
    settings = GatewaySettings.model_validate({
        "KYODO_UPSTREAM_IDENTITY": upstream_url,
        "KYODO_UPSTREAM_RESIDENTS": upstream_url,
        "KYODO_UPSTREAM_CERTIFICATES": dead_url,
        "KYODO_UPSTREAM_TIMEOUT_SECONDS": UPSTREAM_TIMEOUT,
        "KYODO_MAX_BODY_BYTES": MAX_BODY,
        "KYODO_JWKS_URL": f"{upstream_url}/v1/auth/jwks.json",
        "KYODO_TOKEN_ISSUER": ISSUER,
        "KYODO_TOKEN_AUDIENCE": AUDIENCE,
        "KYODO_GATEWAY_ASSERTION_KEY": ASSERTION_KEY,
    })
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    app = create_app(settings, tracer_provider=provider)
    sock = free_socket()
    await app.start(sock=sock)
    yield app, f"http://127.0.0.1:{sock.getsockname()[1]}"
    async with asyncio.timeout(10):
        await app.stop(timeout=2)
    dead.close()


@pytest.fixture
async def client(gateway: tuple[Gateway, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway[1], timeout=5.0, trust_env=False) as c:
        yield c


def residents(rest: str = "r-1", code: str = HOME) -> str:
    return f"/v1/municipalities/{code}/residents/{rest}"


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    return body


async def raw_request(base_url: str, request: bytes) -> bytes:
    """Bytes on the wire, for requests an HTTP client refuses to send."""
    host, port = base_url.removeprefix("http://").split(":")
    async with asyncio.timeout(5):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        await writer.drain()
        answer = await reader.read(65536)
        writer.close()
    return answer


# --- forwarding ---------------------------------------------------------------------------


async def test_forwards_path_query_and_body_unchanged(client: httpx.AsyncClient) -> None:
    target = residents("r-1/notes") + "?b=2&a=%E3%81%82&a=x"
    headers = httpx.Headers({
        **auth(), "Content-Type": "application/octet-stream",
        "X-Kyodo-Purpose": "住民票の交付",
        "Connection": "keep-alive, X-Hop", "X-Hop": "only for the next hop",
        "Keep-Alive": "timeout=5", "Proxy-Authorization": "Basic eA==",
        "X-Forwarded-For": "203.0.113.9",
    }, encoding="utf-8")
    response = await client.post(target, content=b"x" * 1000, headers=headers)
    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["target"] == target  # path and query, byte for byte
    assert echo["body_length"] == 1000
    assert header(echo, "authorization") == [response.request.headers["authorization"]]
    assert header(echo, "x-kyodo-purpose") == ["住民票の交付"]  # UTF-8 bytes round-trip
    for hop in ("x-hop", "keep-alive", "proxy-authorization", "transfer-encoding"):
        assert header(echo, hop) == [], hop
    assert header(echo, "x-forwarded-for") == ["203.0.113.9, 127.0.0.1"]
    assert header(echo, "x-forwarded-proto") == ["http"]
    assert header(echo, "content-length") == ["1000"]


async def test_auth_routes_go_to_identity_without_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/auth/jwks.json")
    assert response.status_code == 200
    assert response.json() == JWKS


async def test_authorization_server_metadata_goes_to_identity_without_token(
    upstream: tuple[Upstream, str], client: httpx.AsyncClient,
) -> None:
    for path in ("/.well-known/oauth-authorization-server",
                 "/.well-known/oauth-authorization-server/identity"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert upstream[0].seen[-1] == path


async def test_problems_the_gateway_answers_itself_carry_a_trace_id(
    client: httpx.AsyncClient,
) -> None:
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    refused = await client.get(residents(code=OTHER), headers={**auth(), "traceparent": caller})
    body = assert_problem(refused, 403)
    assert body["trace_id"] == refused.headers["x-kyodo-trace-id"] == caller.split("-")[1]
    unrouted = assert_problem(await client.get("/v1/elsewhere"), 404)
    assert len(unrouted["trace_id"]) == 32 and int(unrouted["trace_id"], 16)


async def test_response_headers_pass_but_hop_by_hop_and_cookies_do_not_stick(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(residents("cookie"), headers=auth())
    assert response.status_code == 200
    assert response.headers["x-upstream"] == "yes"
    assert "session=" in response.headers["set-cookie"]
    assert "proxy-authenticate" not in response.headers
    assert "trailer" not in response.headers
    # The shared upstream session must not replay one caller's cookie for the next caller.
    client.cookies.clear()
    echo = (await client.get(residents(), headers=auth())).json()
    assert header(echo, "cookie") == []


async def test_head_is_forwarded_without_a_body(client: httpx.AsyncClient) -> None:
    response = await client.head(residents(), headers=auth())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.content == b""


async def test_chunked_response_is_streamed_through(
    client: httpx.AsyncClient, upstream: tuple[Upstream, str]
) -> None:
    state, _ = upstream
    state.release_stream.clear()
    async with client.stream("GET", residents("stream"), headers=auth()) as response:
        assert response.status_code == 200
        assert response.headers["transfer-encoding"] == "chunked"
        chunks = response.aiter_raw()
        # The first chunk arrives while the upstream still holds back the second one.
        first = await asyncio.wait_for(anext(chunks), 5)
        assert first == b"first\n"
        state.release_stream.set()
        rest = b"".join([c async for c in chunks])
    assert rest == b"second\n"


async def test_request_body_is_streamed_not_buffered(
    client: httpx.AsyncClient, upstream: tuple[Upstream, str]
) -> None:
    state, _ = upstream
    state.first_upload_chunk.clear()

    async def body() -> AsyncIterator[bytes]:
        yield b"a" * 100
        # A buffering gateway would wait for the rest before calling the upstream.
        await asyncio.wait_for(state.first_upload_chunk.wait(), 5)
        yield b"b" * 100

    response = await client.post(residents("upload"), content=body(), headers=auth())
    assert response.status_code == 200
    assert response.json() == {"body_length": 200}


async def test_health_live_is_answered_by_the_gateway(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# --- authentication and authorisation -----------------------------------------------------


_other_key = Ed25519PrivateKey.generate()


@pytest.mark.parametrize("headers", [
    pytest.param({}, id="missing"),
    pytest.param({"Authorization": "Basic dXNlcjpwdw=="}, id="not-bearer"),
    pytest.param({"Authorization": "Bearer not-a-jwt"}, id="malformed"),
    pytest.param(auth(key=_other_key), id="bad-signature"),
    pytest.param(auth(expires_in=-60), id="expired"),
])
async def test_401_without_a_valid_token(client: httpx.AsyncClient,
                                         headers: dict[str, str]) -> None:
    response = await client.get(residents(), headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_403_for_another_municipality(client: httpx.AsyncClient) -> None:
    response = await client.get(residents(code=OTHER), headers=auth(municipality=HOME))
    assert_problem(response, 403)


async def test_token_for_the_path_municipality_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get(residents(code=OTHER), headers=auth(municipality=OTHER))
    assert response.status_code == 200


# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    pytest.param(f"/v1/municipalities/{HOME}/unknown/x", id="unknown-service"),
    pytest.param("/v1/municipalities/131017/residents/x", id="bad-check-digit"),
    pytest.param("/v1/municipalities/13101/residents/x", id="five-digits"),
    pytest.param(f"/v1/municipalities/{HOME}", id="no-service"),
    pytest.param("/v1/elsewhere", id="unrouted"),
])
async def test_404_for_unknown_routes(client: httpx.AsyncClient, path: str) -> None:
    body = assert_problem(await client.get(path, headers=auth()), 404)
    assert body["instance"] == path


async def test_dot_segments_are_refused(gateway: tuple[Gateway, str]) -> None:
    path = f"/v1/municipalities/{HOME}/residents/../../{OTHER}/residents/r-1"
    answer = await raw_request(gateway[1], (
        f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {make_token()}\r\n"
        "Connection: close\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 400 ")


# --- body size and framing ----------------------------------------------------------------


async def test_413_when_declared_length_is_over_the_limit(
    client: httpx.AsyncClient, upstream: tuple[Upstream, str]
) -> None:
    marker = uuid.uuid4().hex
    response = await client.post(residents(marker), content=b"x" * (MAX_BODY + 1),
                                 headers=auth())
    assert_problem(response, 413)
    assert not any(marker in path for path in upstream[0].seen)


async def test_413_when_streamed_body_grows_over_the_limit(client: httpx.AsyncClient) -> None:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"y" * 1500

    response = await client.post(residents(), content=body(), headers=auth())
    assert_problem(response, 413)


async def test_400_for_content_length_with_transfer_encoding_on_the_wire(
    gateway: tuple[Gateway, str],
) -> None:
    answer = await raw_request(gateway[1], (
        f"POST {residents()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {make_token()}\r\n"
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        "0\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 400 ")


class FakeTransport(asyncio.Transport):
    """Collects what the gateway writes, for a connection without a socket."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else default

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def can_write_eof(self) -> bool:
        return False

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def call_protocol(app: Gateway, headers: list[tuple[bytes, bytes]],
                        ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """One request straight into the gateway's protocol, without a socket or a listener."""
    transport = FakeTransport()
    conn = ClientConnection(app)
    conn.connection_made(transport)
    conn.data_received(b"POST " + residents().encode() + b" HTTP/1.1\r\nHost: x\r\n"
                       + b"".join(n + b": " + v + b"\r\n" for n, v in headers) + b"\r\n")
    async with asyncio.timeout(5):
        while not transport.written:
            await asyncio.sleep(0.01)
    conn.connection_lost(None)
    head, _, body = bytes(transport.written).partition(b"\r\n\r\n")
    status_line, *lines = head.split(b"\r\n")
    pairs = [(n.strip().lower(), v.strip()) for n, _, v in (x.partition(b":") for x in lines)]
    return int(status_line.split()[1]), pairs, body


async def test_400_problem_for_content_length_with_transfer_encoding_in_the_protocol() -> None:
    # The parser in front may already refuse this; the gateway's own check must not depend
    # on it (see test_gateway_http.py for read_head on its own).
    status, headers, body = await call_protocol(
        create_app(keyed_settings()),
        [(b"content-length", b"5"), (b"transfer-encoding", b"chunked")])
    assert status == 400
    assert (b"content-type", PROBLEM.encode()) in headers
    assert json.loads(body)["status"] == 400


async def test_unexpected_errors_leave_as_problem_json(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(keyed_settings())

    def broken(path: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.router, "route", broken)
    status, headers, _ = await call_protocol(app, [(b"content-length", b"0")])
    assert status == 500
    assert (b"content-type", PROBLEM.encode()) in headers


# --- upstream failures --------------------------------------------------------------------


async def test_502_when_the_upstream_refuses_connections(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/v1/municipalities/{HOME}/certificates/c-1", headers=auth())
    assert_problem(response, 502)


async def test_504_when_the_upstream_is_too_slow(client: httpx.AsyncClient) -> None:
    started = time.monotonic()
    response = await client.get(residents("slow"), headers=auth())
    assert_problem(response, 504)
    assert time.monotonic() - started < UPSTREAM_TIMEOUT * 4


# --- tracing ------------------------------------------------------------------------------


async def test_traceparent_joins_the_incoming_trace(
    client: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    trace_id, caller_span = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    response = await client.get(residents(), headers={
        **auth(), "traceparent": f"00-{trace_id}-{caller_span}-01"})
    forwarded = header(response.json(), "traceparent")
    assert len(forwarded) == 1
    _, upstream_trace, upstream_parent, _ = forwarded[0].split("-")
    assert upstream_trace == trace_id
    assert upstream_parent != caller_span  # the gateway's own span sits in between

    (span,) = [s for s in spans.get_finished_spans()
               if s.context is not None and format(s.context.span_id, "016x") == upstream_parent]
    assert span.kind == SpanKind.SERVER
    assert span.name == "GET /v1/municipalities/{code}/residents"
    assert span.parent is not None and format(span.parent.span_id, "016x") == caller_span
    assert span.attributes is not None
    assert span.attributes["kyodo.municipality"] == HOME
    assert span.attributes["http.response.status_code"] == 200
