"""A clerk at the counter, in tests: the residents API in process, with tokens of any scope."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from kyodo_residents.main import create_app
from kyodo_residents.settings import ResidentsSettings
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter

ALL_SCOPES = "residents:read residents:write mynumber:read audit:read protected:read"


class Clerk:
    def __init__(self, client: httpx.AsyncClient, code: str, tokens: TokenMinter) -> None:
        self.client, self.code, self.tokens = client, code, tokens
        self.headers = {"Authorization": f"Bearer {tokens.token(code, ALL_SCOPES)}",
                        "X-Kyodo-Purpose": "identity-check"}

    def url(self, path: str) -> str:
        return f"/v1/municipalities/{self.code}/residents{path}"

    async def post(self, path: str, body: dict[str, Any], *, version: int | None = None,
                   key: str | None = None, **headers: str) -> httpx.Response:
        extra = {"Idempotency-Key": key or uuid.uuid4().hex, **headers}
        if version is not None:
            extra["If-Match"] = f'W/"{version}"'
        return await self.client.post(self.url(path), json=body,
                                      headers={**self.headers, **extra})

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(self.url(path), params=params, headers=self.headers)

    async def move_in(self, *, family: str = "山田", given: str = "太郎",
                      kana: tuple[str, str] = ("ヤマダ", "タロウ"), effective: str,
                      household: dict[str, Any] | None = None, birth: str = "1980-04-01",
                      sex: str = "male", confirm: bool = True, **person: Any
                      ) -> dict[str, Any]:
        """A keyed 転入; ``confirm``: tests build many people with the same readings, birth
        date and address, distinct by construction (confirm_not_duplicate)."""
        response = await self.post("/move-ins", {
            "kind": "domestic", "effective_date": effective,
            "person": {"family_name": family, "given_name": given,
                       "family_name_kana": kana[0], "given_name_kana": kana[1],
                       "sex": sex, "birth_date": birth, **person},
            "household": household or {"new_household": {
                "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号"}},
            "previous_address": "東京都千代田区千代田1番1号",
            "confirm_not_duplicate": confirm})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


@asynccontextmanager
async def residents_app(infrastructure: Infrastructure, var_dir: Path, **overrides: Any
                        ) -> AsyncIterator[httpx.AsyncClient]:
    settings = ResidentsSettings(database_url=infrastructure.urls("residents")["DATABASE_URL"],
                                 var_dir=var_dir,
                                 **{**PlatformKeys.shared().env("residents"), **overrides})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        app.state.verifier.set_keys(TokenMinter.shared().jwks)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://residents") as client:
            yield client
