"""The tax service in tests: its API in process, its consumers fed directly with residents' and
identity's events, and numbers and names that never collide between tests."""

from __future__ import annotations

import csv
import io
import itertools
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import PerCapita, TenantConfig
from kyodo_residents_events import (
    ResidentMovedIn,
    ResidentMovedOut,
    ResidentRegisterChanged,
    ResidentRegistered,
    ResidentState,
)

from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_jp.checkdigits import resident_number
from kyodo_tax.main import create_app
from kyodo_tax.service_layer.unit_of_work import TaxInboxUnitOfWork
from kyodo_tax.service_layer.when_municipality_configured_keep_tax_config import (
    when_municipality_configured_keep_tax_config,
)
from kyodo_tax.service_layer.when_register_changes_record_history import (
    when_register_changes_record_history,
)
from kyodo_tax.settings import TaxSettings
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter

SCOPES = "tax:read tax:write"
_serials = itertools.count(random.randint(10_000, 5_000_000) * 10)


def new_resident_number() -> str:
    while True:
        number = resident_number(next(_serials))
        if number is not None:
            return number


@dataclass
class Person:
    """One person of the platform, with a resident record per municipality they lived in."""

    platform_person_id: uuid.UUID
    family_kana: str
    given_kana: str
    birth_date: date
    records: dict[str, tuple[uuid.UUID, str]]  # code → (resident_id, 宛名番号)

    def resident_number(self, code: str) -> str:
        return self.records[code][1]

    def state(self, code: str, version: int, status: str, address: str) -> ResidentState:
        resident_id, number = self.records.setdefault(
            code, (uuid.uuid4(), new_resident_number()))
        return ResidentState(
            resident_id=resident_id, platform_person_id=self.platform_person_id,
            resident_number=number, version=version, status=status, family_name="三条",
            given_name="太郎", family_name_kana=self.family_kana,
            given_name_kana=self.given_kana, birth_date=self.birth_date, sex="male",
            nationality="JP", household_id=None, household_number=None, relationship=None,
            postal_code="9558686", address=address)


def new_person(birth: date = date(1980, 4, 1)) -> Person:
    return Person(uuid.uuid4(), "サンジョウ", "タロウ", birth, {})


async def feed(db: Database, code: str, event_type: type[ResidentRegisterChanged], *,
               effective: date, states: list[ResidentState], reason: str = "") -> None:
    """What the worker's consumer does with one residents event (minus the inbox row)."""
    event = event_type(municipality_code=code, effective_date=effective,
                       reason=reason or event_type.__name__, residents=tuple(states),
                       subject_id=states[0].resident_id)
    envelope = Envelope(type=event.event_type, source="kyodo/residents",
                        subject=event.subject, municipality=code,
                        data=event.model_dump_json().encode())
    async with db.tenant_transaction(code) as session:
        await when_register_changes_record_history(TaxInboxUnitOfWork(session),
                                                   [(event, envelope)])


async def register(db: Database, code: str, person: Person, *, since: date,
                   address: str = "旭町二丁目3番1号") -> None:
    await feed(db, code, ResidentRegistered, effective=since,
               states=[person.state(code, 1, "resident", address)])


async def move(db: Database, person: Person, *, origin: str, destination: str,
               on: date) -> None:
    """転出 from origin and 転入 at destination, both effective on the same day."""
    await feed(db, origin, ResidentMovedOut, effective=on,
               states=[person.state(origin, 2, "moved_out", "旭町二丁目3番1号")])
    await feed(db, destination, ResidentMovedIn, effective=on,
               states=[person.state(destination, 1, "resident", "大手通1丁目4番地10")])


async def configure(db: Database, code: str, *, version: int = 1, prefectural: int = 1000,
                    kyuchi: int = 1, designated_city: bool = False,
                    income_levy_rates: dict[str, str] | None = None) -> None:
    event = MunicipalityConfigured(
        code=code, name="テスト市", name_en="Test", prefecture="新潟県", version=version,
        config=TenantConfig.model_validate({
            "per_capita": PerCapita(municipal=3000, prefectural=prefectural, forest_env=1000),
            "kyuchi": kyuchi, "designated_city": designated_city,
            "income_levy_rates": income_levy_rates}))
    envelope = Envelope(type=event.event_type, source="kyodo/identity", subject=code,
                        municipality=code, data=event.model_dump_json().encode())
    async with db.tenant_transaction(code) as session:
        await when_municipality_configured_keep_tax_config(TaxInboxUnitOfWork(session), event,
                                                           envelope)


def report_csv(rows: list[dict[str, Any]]) -> bytes:
    columns = ["employer_number", "resident_number", "family_name_kana", "given_name_kana",
               "birth_date", "salary_income", "social_insurance", "spouse",
               "dependants_general", "dependants_under_16"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[row.get(c, "") for c in columns] for row in rows])
    return out.getvalue().encode()


def report_row(person: Person, code: str, salary: int, **extra: Any) -> dict[str, Any]:
    return {"employer_number": "1234", "resident_number": person.resident_number(code),
            "family_name_kana": person.family_kana, "given_name_kana": person.given_kana,
            "birth_date": person.birth_date.isoformat(), "salary_income": salary,
            "social_insurance": salary * 15 // 100, **extra}


class TaxClerk:
    """A tax officer of one municipality, calling the API."""

    def __init__(self, client: httpx.AsyncClient, code: str) -> None:
        self.client, self.code = client, code
        self.headers = {"Authorization": f"Bearer {TokenMinter.shared().token(code, SCOPES)}",
                        "X-Kyodo-Purpose": "tax-assessment"}

    def url(self, path: str) -> str:
        return f"/v1/municipalities/{self.code}/tax{path}"

    async def post(self, path: str, body: Any = None, *, content: bytes | None = None,
                   key: str | None = None, **headers: str) -> httpx.Response:
        extra = {"Idempotency-Key": key or uuid.uuid4().hex, **headers}
        if content is not None:
            return await self.client.post(self.url(path), content=content,
                                          headers={**self.headers, **extra})
        return await self.client.post(self.url(path), json=body,
                                      headers={**self.headers, **extra})

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(self.url(path), params=params, headers=self.headers)

    async def import_csv(self, content: bytes, fiscal_year: int,
                         key: str | None = None) -> httpx.Response:
        return await self.post(f"/salary-reports/imports?fiscal_year={fiscal_year}",
                               content=content, key=key, **{"Content-Type": "text/csv"})

    async def assess(self, person: Person, fiscal_year: int) -> httpx.Response:
        return await self.post("/assessments", {
            "fiscal_year": fiscal_year, "platform_person_id": str(person.platform_person_id)})


@asynccontextmanager
async def tax_app(infrastructure: Infrastructure, var_dir: Path, **settings: Any
                  ) -> AsyncIterator[httpx.AsyncClient]:
    values = {"database_url": infrastructure.urls("tax")["DATABASE_URL"], "var_dir": var_dir,
              **PlatformKeys.shared().env("tax"), **settings}
    app = create_app(TaxSettings(**values))
    async with app.router.lifespan_context(app):
        app.state.verifier.set_keys(TokenMinter.shared().jwks)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://tax") as client:
            yield client
