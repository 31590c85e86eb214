"""The automation service in tests: identity and tax served together on one loopback port
(routed by path, as the gateway would), the automation API in process, its worker as a real
process stopped (or killed) by PID."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

from kyodo_automation.main import create_app as automation_app
from kyodo_automation.settings import AutomationSettings
from kyodo_common.db import Database
from kyodo_disaster.main import create_app as disaster_app
from kyodo_disaster.settings import DisasterSettings
from kyodo_identity.adapters.operators import SqlOperators
from kyodo_identity.main import create_app as identity_app
from kyodo_identity.service_layer.operators import ensure_operator
from kyodo_identity.settings import IdentitySettings
from kyodo_launcher.processes import wait_gone
from kyodo_tax.main import create_app as tax_app
from kyodo_tax.settings import TaxSettings
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter, free_port

from .identity_harness import ADMIN_PASSWORD, OPERATOR_LOGIN, OPERATOR_PASSWORD, random_code
from .tax_harness import configure

_SERVICE_PATH = re.compile(r"^/v1/municipalities/\d{6}/(?P<service>tax|disaster)(/|$)")
AUTHOR_SCOPES = "automation:read automation:write"
ADMIN_SCOPES = "automation:read automation:write automation:approve"


class LoopbackPlatform:
    """identity, tax and disaster behind one address on 127.0.0.1, in a thread with its own
    loop."""

    def __init__(self, infrastructure: Infrastructure, var_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        jwks = f"{self.url}/v1/auth/jwks.json"
        keys = PlatformKeys.shared()
        self.identity = identity_app(IdentitySettings(
            database_url=infrastructure.urls("identity")["DATABASE_URL"], var_dir=var_dir,
            jwks_url=jwks, **keys.env("identity")))
        self.tax = tax_app(TaxSettings(database_url=infrastructure.urls("tax")["DATABASE_URL"],
                                       var_dir=var_dir, jwks_url=jwks, **keys.env("tax")))
        self.disaster = disaster_app(DisasterSettings(
            database_url=infrastructure.urls("disaster")["DATABASE_URL"], var_dir=var_dir,
            jwks_url=jwks, **keys.env("disaster")))
        config = uvicorn.Config(self._asgi, host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on", interface="asgi3")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def _asgi(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        routed = _SERVICE_PATH.match(scope.get("path", ""))
        target = {"tax": self.tax, "disaster": self.disaster}[routed["service"]] \
            if routed else self.identity
        await target(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        async with AsyncExitStack() as stack:
            await receive()
            for app in (self.identity, self.tax, self.disaster):
                await stack.enter_async_context(app.router.lifespan_context(app))
            async with self.identity.state.db.platform_transaction() as session:
                await ensure_operator(SqlOperators(session), login=OPERATOR_LOGIN,
                                      password=OPERATOR_PASSWORD)
            await send({"type": "lifespan.startup.complete"})
            await receive()
        await send({"type": "lifespan.shutdown.complete"})

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "platform down"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@dataclass
class Town:
    """A municipality with a tenant admin in identity and its configuration in tax."""

    code: str
    admin_token: str  # identity's own token of the tenant admin

    def identity_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}",
                "Idempotency-Key": uuid.uuid4().hex}


async def new_town(http: httpx.AsyncClient, platform: LoopbackPlatform, tax_db: Database) -> Town:
    operator = (await http.post(f"{platform.url}/v1/auth/token", data={
        "grant_type": "password", "municipality_code": "000000", "username": OPERATOR_LOGIN,
        "password": OPERATOR_PASSWORD})).json()["access_token"]
    from .identity_harness import CONFIG

    for _ in range(20):
        code = random_code()
        created = await http.post(f"{platform.url}/v1/platform/municipalities", json={
            "code": code, "name": f"試験市{code}", "name_en": f"Test {code}",
            "prefecture": "新潟県", "config": CONFIG,
            "admin": {"login": "admin", "initial_password": ADMIN_PASSWORD}},
            headers={"Authorization": f"Bearer {operator}", "Idempotency-Key": uuid.uuid4().hex})
        if created.status_code == 201:
            break
        assert created.status_code == 409, created.text
    await configure(tax_db, code)
    admin = (await http.post(f"{platform.url}/v1/auth/token", data={
        "grant_type": "password", "municipality_code": code, "username": "admin",
        "password": ADMIN_PASSWORD})).json()["access_token"]
    return Town(code, admin)


async def new_client(http: httpx.AsyncClient, platform: LoopbackPlatform, town: Town,
                     scopes: list[str]) -> tuple[str, str]:
    """An identity API client of the town, made by its admin: the scenario's account."""
    response = await http.post(
        f"{platform.url}/v1/municipalities/{town.code}/identity/clients",
        json={"name": "自動化シナリオ", "scopes": scopes}, headers=town.identity_headers())
    assert response.status_code == 201, response.text
    return response.json()["client_id"], response.json()["client_secret"]


class Automation:
    """Staff of one municipality calling the automation API."""

    def __init__(self, client: httpx.AsyncClient, code: str) -> None:
        self.client, self.code = client, code

    def headers(self, scopes: str = ADMIN_SCOPES, **extra: str) -> dict[str, str]:
        token = TokenMinter.shared().token(self.code, scopes, subject="automation-clerk")
        return {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex,
                "X-Kyodo-Purpose": "automation", **extra}

    def url(self, path: str) -> str:
        return f"/v1/municipalities/{self.code}/automation{path}"

    async def grant(self, scenario: str, client_id: str, secret: str) -> httpx.Response:
        return await self.client.put(self.url(f"/scenarios/{scenario}/account"),
                                     json={"client_id": client_id, "client_secret": secret},
                                     headers=self.headers())

    async def save(self, scenario: str, source: str) -> httpx.Response:
        return await self.client.post(
            self.url(f"/scenarios/{scenario}/versions"), content=source.encode(),
            headers=self.headers(AUTHOR_SCOPES, **{"Content-Type": "application/yaml"}))

    async def upload(self, scenario: str, csv_bytes: bytes, **query: Any) -> httpx.Response:
        return await self.client.post(
            self.url(f"/scenarios/{scenario}/files"), params=query, content=csv_bytes,
            headers=self.headers(AUTHOR_SCOPES, **{"Content-Type": "text/csv"}))

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(self.url(path), params=params,
                                     headers=self.headers(AUTHOR_SCOPES))

    async def run_in(self, run_id: str, *states: str) -> dict[str, Any] | None:
        """The run if it is in one of these states, else None (a condition for wait_for)."""
        body: dict[str, Any] = (await self.get(f"/runs/{run_id}")).json()
        return body if body["state"] in states else None


@asynccontextmanager
async def automation_api(infrastructure: Infrastructure, var_dir: Path,
                         platform_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = AutomationSettings(
        database_url=infrastructure.urls("automation")["DATABASE_URL"], var_dir=var_dir,
        platform_url=platform_url, call_attempts=3, **PlatformKeys.shared().env("automation"))
    app = automation_app(settings)
    async with app.router.lifespan_context(app):
        app.state.verifier.set_keys(TokenMinter.shared().jwks)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://automation", timeout=60) as client:
            yield client


class Worker:
    """`python -m kyodo_automation.worker` as a process of its own."""

    def __init__(self, infrastructure: Infrastructure, var_dir: Path, platform_url: str) -> None:
        urls = infrastructure.urls("automation")
        self.env = {**os.environ, "DATABASE_URL": urls["DATABASE_URL"],
                    "RELAY_DATABASE_URL": urls["RELAY_DATABASE_URL"],
                    "KAFKA_BOOTSTRAP_SERVERS": infrastructure.bootstrap_servers,
                    "KYODO_PLATFORM_URL": platform_url, "KYODO_VAR_DIR": str(var_dir),
                    "KYODO_AUTOMATION_JOB_POLL_SECONDS": "0.5",
                    "KYODO_AUTOMATION_CALL_ATTEMPTS": "3",
                    **PlatformKeys.shared().env("automation")}
        self.log = var_dir / "automation-worker.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Worker:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> int:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kyodo_automation.worker"], env=self.env,
                stdout=log, stderr=subprocess.STDOUT)
        return self.process.pid

    def kill(self) -> None:
        """A crash: SIGKILL, nothing cleaned up."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        if not wait_gone(self.process.pid, 15):
            os.kill(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


async def wait_for(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def count(db: Database, code: str, sql: str, **params: Any) -> int:
    async with db.tenant_transaction(code) as session:
        return int((await session.execute(sa.text(sql), params)).scalar_one())
