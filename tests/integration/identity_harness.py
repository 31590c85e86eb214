"""The identity app in-process against the integration database, and helpers to drive it."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from kyodo_common.auth import TokenVerifier
from kyodo_common.db import Database
from kyodo_common.tenancy import municipality_check_digit
from kyodo_identity.adapters.operators import SqlOperators
from kyodo_identity.main import create_app
from kyodo_identity.service_layer.operators import ensure_operator
from kyodo_identity.settings import IdentitySettings
from kyodo_testing import Infrastructure, PlatformKeys

PROBLEM = "application/problem+json"
OPERATOR_LOGIN, OPERATOR_PASSWORD = "it-operator", "it-operator-password"
ADMIN_PASSWORD = "town-hall-secret-7"
CONFIG = {"per_capita": {"municipal": 3000, "prefectural": 1000, "forest_env": 1000},
          "kyuchi": 2, "certificate_fee_yen": 300, "mayor_name": "試験 太郎",
          "designated_city": False, "cors_origins": ["https://counter.example.jp"]}


def post_headers(token: str | None = None) -> dict[str, str]:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def random_code() -> str:
    """A valid code (check digit) outside the demo ones, which start with 15 or 08."""
    first = f"9{secrets.randbelow(10_000):04d}"
    return first + str(municipality_check_digit(first))


@dataclass
class Identity:
    app: FastAPI
    http: httpx.AsyncClient
    db: Database
    settings: IdentitySettings

    async def token(self, code: str, login: str, password: str) -> dict[str, Any]:
        response = await self.http.post("/v1/auth/token", data={
            "grant_type": "password", "municipality_code": code, "username": login,
            "password": password})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def operator(self) -> str:
        return str((await self.token("000000", OPERATOR_LOGIN, OPERATOR_PASSWORD))
                   ["access_token"])

    async def municipality(self, operator: str, admin_login: str = "admin") -> str:
        """A new municipality with a tenant admin (password ADMIN_PASSWORD)."""
        for _ in range(20):
            code = random_code()
            response = await self.http.post("/v1/platform/municipalities", json={
                "code": code, "name": f"試験市{code}", "name_en": f"Test {code}",
                "prefecture": "新潟県", "config": CONFIG,
                "admin": {"login": admin_login, "initial_password": ADMIN_PASSWORD},
            }, headers=post_headers(operator))
            if response.status_code == 201:
                return code
            assert response.status_code == 409, response.text
        raise AssertionError("no free municipality code")

    async def admin(self, code: str) -> str:
        return str((await self.token(code, "admin", ADMIN_PASSWORD))["access_token"])

    async def staff(self, code: str, admin: str, login: str, password: str,
                    roles: list[str]) -> dict[str, Any]:
        response = await self.http.post(
            f"/v1/municipalities/{code}/identity/staff",
            json={"login": login, "initial_password": password, "roles": roles},
            headers=post_headers(admin))
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def jwks(self) -> dict[str, Any]:
        body: dict[str, Any] = (await self.http.get("/v1/auth/jwks.json")).json()
        return body

    async def reload_keys(self) -> None:
        self.app.state.verifier.set_keys(await self.jwks())


@asynccontextmanager
async def running_identity(infrastructure: Infrastructure, var_dir: Path,
                           **overrides: Any) -> AsyncIterator[Identity]:
    """The app with its lifespan; it verifies bearer tokens against its own JWKS in-process."""
    settings = IdentitySettings(database_url=infrastructure.urls("identity")["DATABASE_URL"],
                                var_dir=var_dir,
                                **{**PlatformKeys.shared().env("identity"), **overrides})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with app.state.db.platform_transaction() as session:
            await ensure_operator(SqlOperators(session), login=OPERATOR_LOGIN,
                                  password=OPERATOR_PASSWORD)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://identity",
                                     timeout=30) as http:
            app.state.verifier = TokenVerifier(
                jwks_url="http://identity/v1/auth/jwks.json", issuer=settings.token_issuer,
                audience=settings.token_audience, http=http)
            yield Identity(app=app, http=http, db=app.state.db, settings=settings)
