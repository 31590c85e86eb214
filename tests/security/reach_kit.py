"""Identity (in-process app, served on a loopback port), a gateway in front of it and an
upstream that answers 200 to everything: how fast identity's changes reach the gateway."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import uvicorn
from aiohttp import web
from fastapi import FastAPI

from kyodo_gateway.app import Gateway, create_app
from kyodo_gateway.settings import GatewaySettings
from kyodo_identity.settings import IdentitySettings
from kyodo_testing import PlatformKeys

PROMISE = 2.0  # seconds: ARCHITECTURE.md, "Tenancy and security"
STEP = 0.1  # the gateway is asked every 100 ms


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[tuple[str, uvicorn.Server]]:
    """The app (its lifespan already entered) on a free loopback port until the block ends,
    or until the caller sets ``server.should_exit``."""
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning",
                                           access_log=False))
    task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", server
    finally:
        server.should_exit = True
        async with asyncio.timeout(20):
            await task
        sock.close()


async def _ok(request: web.Request) -> web.Response:
    return web.json_response({"upstream": request.path})


@asynccontextmanager
async def upstream() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _ok)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    sock = _free_socket()
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def gateway(identity_url: str, upstream_url: str, settings: IdentitySettings,
                  **overrides: Any) -> AsyncIterator[tuple[Gateway, httpx.AsyncClient]]:
    """A gateway with its default timings unless overridden, and a client of it."""
    values: dict[str, Any] = {
        "KYODO_UPSTREAM_IDENTITY": identity_url, "KYODO_UPSTREAM_RESIDENTS": upstream_url,
        "KYODO_UPSTREAM_CERTIFICATES": upstream_url,
        "KYODO_JWKS_URL": f"{identity_url}/v1/auth/jwks.json",
        "KYODO_TOKEN_ISSUER": settings.token_issuer,
        "KYODO_TOKEN_AUDIENCE": settings.token_audience,
        **PlatformKeys.shared().env("gateway"), **overrides}
    app = create_app(GatewaySettings.model_validate(values))
    sock = _free_socket()
    await app.start(sock=sock)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}",
                                     timeout=10, trust_env=False) as client:
            yield app, client
    finally:
        async with asyncio.timeout(15):
            await app.stop(timeout=2)


async def login(client: httpx.AsyncClient, code: str, username: str,
                password: str) -> dict[str, Any]:
    response = await client.post("/v1/auth/token", data={
        "grant_type": "password", "municipality_code": code, "username": username,
        "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": "identity-check"}


def post_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}


def grant_body(helping: str, login_name: str) -> dict[str, Any]:
    return {"grantee": {"municipality_code": helping, "login": login_name},
            "scopes": ["residents:read"],
            "valid_until": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "disaster_ref": "2026-niigata-earthquake"}


async def until(ask: Callable[[], Awaitable[httpx.Response]], status: int, *,
                limit: float = 15.0) -> tuple[float, httpx.Response]:
    """Seconds from now until the gateway first answers ``status`` (asked every 100 ms);
    AssertionError if it has not after ``limit`` seconds."""
    started = time.monotonic()
    while True:
        response = await ask()
        elapsed = time.monotonic() - started
        if response.status_code == status:
            return elapsed, response
        assert elapsed < limit, f"still {response.status_code} after {elapsed:.1f} s"
        await asyncio.sleep(STEP)
