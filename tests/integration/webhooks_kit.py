"""The webhooks service in tests: its API in process, the register's events handed to its
fan-out as the worker's consumer would, its delivery engine as a task, and a receiver on a
loopback port that can answer anything, fail, or be down."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.events import DomainEvent, Envelope
from kyodo_launcher.testing import Infrastructure, PlatformKeys, free_port
from kyodo_residents.events import ResidentMovedOut, ResidentState
from kyodo_webhooks.main import create_app
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.service_layer.dispatcher import run_dispatcher
from kyodo_webhooks.service_layer.fan_out import when_events_notify
from kyodo_webhooks.settings import WebhooksSettings

MOVED_OUT = "jp.kyodo.resident.moved_out.v1"
CLIENT_SCOPES = "webhooks:subscribe residents:read"


def settings(infrastructure: Infrastructure, var_dir: Path, **overrides: Any) -> WebhooksSettings:
    return WebhooksSettings(database_url=infrastructure.urls("webhooks")["DATABASE_URL"],
                            var_dir=var_dir, public_url="https://kyodo.example",
                            **{**PlatformKeys.shared().env("webhooks"), **overrides})


@asynccontextmanager
async def webhooks_api(config: WebhooksSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(config)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://webhooks") as client:
        yield client


@asynccontextmanager
async def dispatcher(config: WebhooksSettings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_dispatcher(config.database_url,
                                              WebhooksContext.from_settings(config), stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


def as_caller(code: str, *, subject: str = "partner-client", kind: str = "client",
              scopes: str = CLIENT_SCOPES, home: str | None = None,
              grant_id: str | None = None) -> dict[str, str]:
    """What the gateway asserts for a caller acting for ``code``."""
    principal = Principal(subject=subject, home_municipality=home or code, kind=kind,
                          roles=frozenset(), scopes=frozenset(scopes.split()),
                          expires_at=time.time() + 300, token_id=uuid.uuid4().hex)
    return {"X-Kyodo-Assertion": PlatformKeys.shared().assertion(Acting(
        principal=principal, municipality=code, scopes=principal.scopes, grant_id=grant_id,
        expires_at=time.time() + 300))}


def admin(code: str) -> dict[str, str]:
    return as_caller(code, subject=f"admin-{code}", kind="staff",
                     scopes="webhooks:manage residents:read staff:manage")


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def state(*, protected: bool = False, version: int = 1,
          resident_id: uuid.UUID | None = None) -> ResidentState:
    return ResidentState(
        resident_id=resident_id or uuid.uuid4(), platform_person_id=uuid.uuid4(),
        resident_number=f"{uuid.uuid4().int % 10**10:010d}", version=version,
        status="moved_out", family_name="三条", given_name="花子", family_name_kana="サンジョウ",
        given_name_kana="ハナコ", birth_date=date(1990, 1, 1), sex="female", nationality="JP",
        household_id=None, household_number=None, relationship="世帯主",
        postal_code="9558686", address="新潟県三条市旭町二丁目1番1号", protected=protected,
        protected_from=date(2020, 1, 1) if protected else None,
        protected_until=date(2099, 1, 1) if protected else None)


def moved_out(code: str, person: ResidentState) -> ResidentMovedOut:
    return ResidentMovedOut(municipality_code=code, effective_date=today_in_japan(),
                            reason="転出", residents=(person,), subject_id=person.resident_id)


async def publish(db: Database, code: str, *events: DomainEvent) -> list[Envelope]:
    """As the worker's consumer would: the events through the fan-out, in one run."""
    envelopes = [Envelope(type=e.event_type, source="kyodo/residents", subject=e.subject,
                          municipality=code, data=e.model_dump_json().encode())
                 for e in events]
    async with db.tenant_transaction(code) as session:
        await when_events_notify(session, list(zip(events, envelopes, strict=True)))
    return envelopes


@dataclass
class Receiver:
    """A partner's endpoint on 127.0.0.1: records every request; ``answer`` decides the
    status (and may sleep); ``down()`` closes the listening socket (connection refused)."""

    port: int = field(default_factory=free_port)
    received: list[tuple[dict[str, str], bytes, float]] = field(default_factory=list)
    answer: Callable[[dict[str, str], bytes], Any] | None = None
    _server: asyncio.AbstractServer | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def down(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None
        for writer in list(self._writers):  # kept-alive connections go down too
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, _, v in
                           (line.partition(":") for line in lines[1:] if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.received.append((headers, body, time.monotonic()))
                status: Any = 200
                if self.answer is not None:
                    status = self.answer(headers, body)
                    if asyncio.iscoroutine(status):
                        status = await status
                if isinstance(status, bytes):  # not HTTP: said, then hung up
                    writer.write(status)
                    await writer.drain()
                    break
                else:
                    extra = "Location: http://127.0.0.1:1/\r\n" if 300 <= status < 400 else ""
                    writer.write(f"HTTP/1.1 {status} X\r\n{extra}Content-Length: 0\r\n\r\n"
                                 .encode())
                await writer.drain()
                if self._server is None:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


async def until(check: Callable[[], Any], timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
