"""The webhooks service in tests: its API in process, the register's events handed to its
fan-out as the worker's consumer would, its delivery engine as a task, and a receiver on a
loopback port that can answer anything, fail, or be down."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from kyodo_residents_events import ResidentMovedOut, ResidentState

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.events import DomainEvent, Envelope
from kyodo_testing import Infrastructure, PlatformKeys
from kyodo_webhooks.main import create_app
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.service_layer.dispatcher import run_dispatcher
from kyodo_webhooks.service_layer.fan_out import when_events_notify
from kyodo_webhooks.service_layer.unit_of_work import WebhooksInboxUnitOfWork
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
        await when_events_notify(WebhooksInboxUnitOfWork(session),
                                 list(zip(events, envelopes, strict=True)))
    return envelopes


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
