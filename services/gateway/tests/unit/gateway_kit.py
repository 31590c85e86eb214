"""What the gateway's tests share: tokens, a fake identity, an echoing upstream, a gateway on
a free loopback port, and raw HTTP/1.1 on a socket for what clients refuse to send."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httptools
import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from kyodo_common.assertion import (
    GatewayKeys,
    load_public_keys,
    new_gateway_key,
    verify_service_token,
)
from kyodo_gateway.app import Gateway, create_app
from kyodo_gateway.settings import GatewaySettings

HOME = "131016"  # 千代田区
OTHER = "271004"  # 大阪市
THIRD = "152048"  # 三条市
ISSUER = "https://kyodo.test/identity"
AUDIENCE = "kyodo"
KID = "kit-key"
# The gateway's own key pair: it signs with the private half; the services (and the fake
# identity here) verify with the public half.
ASSERTION_KEY, ASSERTION_PUBLIC_KEY = new_gateway_key()
GATEWAY_KEYS = GatewayKeys(load_public_keys(ASSERTION_PUBLIC_KEY))


def keyed_settings(**values: Any) -> GatewaySettings:
    """Settings as the gateway is given them: with its own assertion key."""
    return GatewaySettings.model_validate({"KYODO_GATEWAY_ASSERTION_KEY": ASSERTION_KEY,
                                           **values})
PROBLEM = "application/problem+json"

_key = Ed25519PrivateKey.generate()
JWKS = {"keys": [{**OKPAlgorithm.to_jwk(_key.public_key(), as_dict=True), "kid": KID,
                  "alg": "EdDSA", "use": "sig"}]}


def make_token(*, municipality: str = HOME, subject: str = "staff-1",
               scopes: str = "residents:read residents:write certificates:issue",
               expires_in: int = 300, kind: str = "staff") -> str:
    now = int(time.time())
    return jwt.encode({"sub": subject, "municipality": municipality, "scope": scopes,
                       "roles": ["counter_clerk"], "kind": kind, "iat": now - 10,
                       "exp": now + expires_in, "aud": AUDIENCE, "iss": ISSUER,
                       "jti": uuid.uuid4().hex}, _key, algorithm="EdDSA",
                      headers={"kid": KID})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def header(echo: dict[str, Any], name: str) -> list[str]:
    return [v for n, v in echo["headers"] if n.lower() == name.lower()]


@dataclass
class Identity:
    """JWKS, support grants and municipalities, as identity's internal API serves them."""

    grants: list[dict[str, Any]] = field(default_factory=list)
    revocations: list[dict[str, Any]] = field(default_factory=list)
    municipalities: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False
    # The long-poll (/v1/internal/access-changes): answered only when `push` is set (else 404,
    # and the gateway lives on its backstop poll); `version` is bumped by `changed()`.
    push: bool = False
    version: int = 0
    listening: bool = True
    snapshot_down: bool = False
    polls: int = 0
    snapshots: int = 0
    callers: list[str] = field(default_factory=list)

    def grant(self, *, grantor: str = OTHER, subject: str = "staff-1", home: str = HOME,
              scopes: tuple[str, ...] = ("residents:read",), valid_from: float | None = None,
              valid_until: float | None = None) -> dict[str, Any]:
        now = time.time()
        entry = {"grant_id": uuid.uuid4().hex, "grantor_municipality": grantor,
                 "grantee_subject": subject, "grantee_municipality": home,
                 "scopes": list(scopes),
                 "valid_from": _iso(valid_from if valid_from is not None else now - 60),
                 "valid_until": _iso(valid_until if valid_until is not None else now + 3600)}
        self.grants.append(entry)
        return entry

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/v1/auth/jwks.json":
            return web.json_response(JWKS)
        if request.path.startswith("/v1/internal/"):
            self.polls += 1
            if self.down:
                return web.json_response({"title": "down"}, status=503)
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            self.callers.append(verify_service_token(GATEWAY_KEYS, token))
            if request.path == "/v1/internal/access-changes" and self.push:
                return await self._changes(request)
            if request.path == "/v1/internal/access":
                self.snapshots += 1
                if self.snapshot_down:
                    return web.json_response({"title": "down"}, status=500)
                return web.json_response({"generated_at": _iso(time.time()),
                                          "grants": self.grants,
                                          "revocations": self.revocations})
            if request.path == "/v1/internal/municipalities":
                return web.json_response(self.municipalities)
        if request.path == "/openapi.json":
            return web.json_response(IDENTITY_OPENAPI)
        if request.path.startswith(("/v1/municipalities/", "/v1/platform/")):
            return web.json_response({"identity": request.path,
                                      "headers": list(request.headers.items())})
        return web.json_response({"title": "not found"}, status=404)


    def changed(self) -> None:
        self.version += 1

    async def _changes(self, request: web.Request) -> web.StreamResponse:
        deadline = time.monotonic() + min(float(request.query.get("wait", "5")), 0.5)
        while (request.query.get("after") == str(self.version) and self.listening
               and time.monotonic() < deadline):
            await asyncio.sleep(0.01)
        return web.json_response({"version": str(self.version), "listening": self.listening})


def _iso(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


IDENTITY_OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0", "info": {"title": "identity", "version": "1"},
    "paths": {
        "/v1/auth/token": {"post": {"responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Token"}}}},
            "401": {"description": "refused", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Problem"}}}}}}},
        "/v1/internal/access": {"get": {"responses": {}}},
        "/health/live": {"get": {"responses": {}}},
    },
    "components": {"schemas": {
        "Token": {"type": "object", "properties": {"access_token": {"type": "string"}}},
        "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
    }},
}


SECURED_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                   "Content-Security-Policy": "default-src 'none'"}


class Echo:
    """An upstream that answers with what it received; some paths behave differently."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.big_written = 0
        self.big_done = asyncio.Event()
        self.slow_started = asyncio.Event()
        self.release = asyncio.Event()
        self.peers: set[int] = set()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request.raw_path)
        transport = request.transport
        if transport is not None:
            self.peers.add(transport.get_extra_info("peername")[1])
        last = request.path.rsplit("/", 1)[-1]
        if request.path == "/openapi.json":
            return web.json_response(RESIDENTS_OPENAPI)
        if last == "big":
            return await self._big(request)
        if last == "secured":  # what every service answers with (kyodo_common.security_headers)
            return web.json_response({}, headers=SECURED_HEADERS)
        if last == "held":  # answers once released: a request in flight
            self.slow_started.set()
            await asyncio.wait_for(self.release.wait(), 10)
        if last == "sink":  # reads the body only once released
            self.slow_started.set()
            await asyncio.wait_for(self.release.wait(), 20)
        body = await request.read()
        return web.json_response({
            "method": request.method, "target": request.raw_path,
            "headers": list(request.headers.items()), "body_length": len(body),
            "body_prefix": body[:64].decode("latin-1"),
        })

    async def _big(self, request: web.Request) -> web.StreamResponse:
        """64 MiB in 64 KiB chunks, as fast as the gateway takes them."""
        response = web.StreamResponse()
        response.content_length = 64 * 1024 * 1024
        await response.prepare(request)
        chunk = b"z" * 65536
        try:
            for _ in range(1024):
                await response.write(chunk)
                self.big_written += len(chunk)
            await response.write_eof()
        finally:
            self.big_done.set()
        return response


RESIDENTS_OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0", "info": {"title": "residents", "version": "1"},
    "tags": [{"name": "residents"}],
    "paths": {
        "/v1/municipalities/{code}/residents/{id}": {"get": {"responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Resident"}}}}, "400": {
            "description": "problem", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Problem"}}}}}}},
        "/v1/internal/things": {"get": {"responses": {}}},
    },
    "components": {"schemas": {
        "Resident": {"type": "object", "properties": {
            "id": {"type": "string"}, "problem": {"$ref": "#/components/schemas/Problem"}}},
        "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}},
    }},
}


@asynccontextmanager
async def serve_aiohttp(handler: Any) -> AsyncIterator[str]:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0)
    await runner.setup()
    sock = free_socket()
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def running_gateway(identity_url: str, upstream_url: str,
                          **overrides: Any) -> AsyncIterator[tuple[Gateway, str]]:
    """A gateway on a free port: identity at `identity_url`, every other service upstream."""
    values: dict[str, Any] = {
        "KYODO_UPSTREAM_IDENTITY": identity_url,
        "KYODO_UPSTREAM_RESIDENTS": upstream_url,
        "KYODO_UPSTREAM_CERTIFICATES": upstream_url,
        "KYODO_UPSTREAM_TAX": upstream_url,
        "KYODO_JWKS_URL": f"{identity_url}/v1/auth/jwks.json",
        "KYODO_TOKEN_ISSUER": ISSUER,
        "KYODO_TOKEN_AUDIENCE": AUDIENCE,
        "KYODO_GATEWAY_ASSERTION_KEY": ASSERTION_KEY,
        "KYODO_UPSTREAM_TIMEOUT_SECONDS": 2.0,
        "KYODO_GRANTS_POLL_SECONDS": 0.2,
    }
    values.update(overrides)
    gateway = create_app(GatewaySettings.model_validate(values))
    sock = free_socket()
    await gateway.start(sock=sock)
    try:
        if gateway.poller is not None:  # the first snapshot is there before the first test
            async with asyncio.timeout(5):
                while gateway.poller.polls == 0:
                    await asyncio.sleep(0.01)
        yield gateway, f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        async with asyncio.timeout(10):
            await gateway.stop(timeout=2)


# --- raw HTTP/1.1 ---------------------------------------------------------------------------


@dataclass
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""

    def get(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n == name.lower()), None)


class _Collector:
    def __init__(self, head_requests: int = 0) -> None:
        self.responses: list[RawResponse] = []
        self._headers: list[tuple[str, str]] = []
        self._body = bytearray()
        self.parser = httptools.HttpResponseParser(self)

    def on_message_begin(self) -> None:
        self._headers = []
        self._body = bytearray()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name.decode("latin-1").lower(), value.decode("utf-8")))

    def on_body(self, body: bytes) -> None:
        self._body += body

    def on_message_complete(self) -> None:
        self.responses.append(RawResponse(self.parser.get_status_code(), self._headers,
                                          bytes(self._body)))


async def raw_exchange(base_url: str, data: bytes, *, expect: int = 1,
                       timeout: float = 5.0) -> tuple[list[RawResponse], bool]:
    """Sends bytes, reads `expect` responses (no HEAD); returns them and whether the
    connection was closed by the gateway right after."""
    host, port = base_url.removeprefix("http://").split(":")
    collector = _Collector()
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(data)
        await writer.drain()
        closed = False
        while len(collector.responses) < expect:
            try:
                chunk = await reader.read(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                closed = True
                break
            collector.parser.feed_data(chunk)
        if not closed:
            try:
                async with asyncio.timeout(0.3):
                    closed = await reader.read(1) == b""
            except TimeoutError:
                closed = False
            except ConnectionResetError:
                closed = True
        writer.close()
    return collector.responses, closed
