"""The disaster API in process, the register's events fed to its read model, clerks of any
municipality (home, or acting for another under a support grant), and the outbox read back."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from kyodo_residents_events import ResidentRegistered, ResidentState

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, asyncpg_dsn
from kyodo_common.events import Envelope
from kyodo_disaster.main import create_app
from kyodo_disaster.service_layer.unit_of_work import DisasterInboxUnitOfWork
from kyodo_disaster.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_disaster.settings import DisasterSettings
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter

WRITER = "disaster:read disaster:write"
PURPOSE = "disaster-response"


@asynccontextmanager
async def disaster_app(infrastructure: Infrastructure, var_dir: Path,
                       **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    config = DisasterSettings(database_url=infrastructure.urls("disaster")["DATABASE_URL"],
                              var_dir=var_dir,
                              **{**PlatformKeys.shared().env("disaster"), **settings})
    app = create_app(config)
    async with app.router.lifespan_context(app):
        app.state.verifier.set_keys(TokenMinter.shared().jwks)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://disaster") as client:
            yield client


def assertion(*, subject: str, home: str, acting: str, scopes: str,
              grant_id: str | None) -> str:
    """What the gateway signs for a caller acting for ``acting`` (under a grant when not home)."""
    principal = Principal(subject=subject, home_municipality=home, kind="staff",
                          roles=frozenset({"disaster_support"}),
                          scopes=frozenset(scopes.split()), expires_at=time.time() + 60,
                          token_id=uuid.uuid4().hex)
    return PlatformKeys.shared().assertion(Acting(
        principal=principal, municipality=acting, scopes=principal.scopes, grant_id=grant_id,
        expires_at=time.time() + 60))


class Clerk:
    """Staff at work for ``code``: with their own token, or through a gateway assertion."""

    def __init__(self, client: httpx.AsyncClient, code: str, *, scopes: str = WRITER,
                 subject: str = "sanjo-clerk", home: str | None = None,
                 grant_id: str | None = None) -> None:
        self.client, self.code = client, code
        if home is None or home == code:
            token = TokenMinter.shared().token(code, scopes, subject=subject)
            self.headers = {"Authorization": f"Bearer {token}"}
        else:
            self.headers = {"X-Kyodo-Assertion": assertion(
                subject=subject, home=home, acting=code, scopes=scopes, grant_id=grant_id)}
        self.headers["X-Kyodo-Purpose"] = PURPOSE

    def url(self, path: str) -> str:
        return f"/v1/municipalities/{self.code}/disaster{path}"

    async def post(self, path: str, body: Any = None, *, version: int | None = None,
                   key: str | None = None, content: bytes | None = None,
                   **headers: str) -> httpx.Response:
        extra = {"Idempotency-Key": key or uuid.uuid4().hex, **headers}
        if version is not None:
            extra["If-Match"] = f'W/"{version}"'
        if content is not None:
            extra.setdefault("Content-Type", "text/csv")
            return await self.client.post(self.url(path), content=content,
                                          headers={**self.headers, **extra})
        return await self.client.post(self.url(path), json=body,
                                      headers={**self.headers, **extra})

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(self.url(path), params=params, headers=self.headers)

    async def declare(self, **changes: Any) -> dict[str, Any]:
        today = today_in_japan()
        body = {"name": "令和6年7月大雨災害", "kind": "flood",
                "occurred_on": (today - timedelta(days=3)).isoformat(),
                "affected_area": ["旭町二丁目", "元町"],
                "application_opens_on": (today - timedelta(days=2)).isoformat(),
                "application_closes_on": (today + timedelta(days=60)).isoformat(), **changes}
        response = await self.post("/disasters", body)
        assert response.status_code == 201, response.text
        declared: dict[str, Any] = response.json()
        return declared

    async def house(self, disaster_id: str, address: str,
                    postal_code: str = "955-8686") -> dict[str, Any]:
        response = await self.post(f"/disasters/{disaster_id}/houses",
                                   {"postal_code": postal_code, "address": address})
        assert response.status_code == 201, response.text
        house: dict[str, Any] = response.json()
        return house

    async def survey(self, house: dict[str, Any], ratio: str, *, kind: str = "first",
                     version: int | None = None, **changes: Any) -> httpx.Response:
        body = {"kind": kind, "damage_ratio": ratio,
                "surveyed_on": today_in_japan().isoformat(), **changes}
        return await self.post(f"/houses/{house['id']}/surveys", body,
                               version=house["version"] if version is None else version)


def unique_block() -> str:
    """A 番地 no other test uses, so addresses never collide in the shared database."""
    return f"{uuid.uuid4().int % 900_000 + 100}"


def resident(*, address: str, given: str = "太郎", household_id: uuid.UUID | None = None,
             relationship: str | None = "世帯主", protected: bool = False,
             version: int = 1, status: str = "resident") -> ResidentState:
    number = f"{uuid.uuid4().int % 10**10:010d}"
    return ResidentState(
        resident_id=uuid.uuid4(), platform_person_id=uuid.uuid4(), resident_number=number,
        version=version, status=status, family_name="三条", given_name=given,
        family_name_kana="サンジョウ", given_name_kana="タロウ", birth_date=date(1980, 4, 1),
        sex="male", nationality="JP", household_id=household_id,
        household_number=None, relationship=relationship, postal_code="9558686",
        address=address, protected=protected)


async def feed(db: Database, code: str, *states: ResidentState) -> None:
    """As the worker would: the register's event through the read model's handler."""
    event = ResidentRegistered(municipality_code=code, effective_date=today_in_japan(),
                               reason="職権記載", residents=states,
                               subject_id=states[0].resident_id)
    envelope = Envelope(type=event.event_type, source="tests", subject=event.subject,
                        municipality=code, data=event.model_dump_json().encode())
    async with db.tenant_transaction(code) as session:
        await when_register_changes_update_residents(DisasterInboxUnitOfWork(session),
                                                     [(event, envelope)])


async def published(infrastructure: Infrastructure, subject: str) -> list[tuple[str, Any]]:
    """(type, data) of the outbox rows keyed by this subject, in order (read as the relay)."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.relay_url("disaster")))
    try:
        rows = await conn.fetch("SELECT type, data FROM outbox WHERE key = $1 ORDER BY id",
                                subject)
    finally:
        await conn.close()
    return [(r["type"], json.loads(r["data"])) for r in rows]
