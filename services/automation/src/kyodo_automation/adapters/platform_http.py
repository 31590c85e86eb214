"""The platform as a scenario sees it: the gateway, called with the scenario account's token.

5xx answers and connection errors are retried with exponential backoff (tenacity); a POST is
retried with the same Idempotency-Key, so a retry after a lost answer changes nothing twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from kyodo_automation.domain.engine import Response
from kyodo_common.web import PURPOSE_HEADER

TOKEN_PATH = "/v1/auth/token"  # noqa: S105 - a path, not a secret


class AccountRefused(Exception):
    """Identity would not give the scenario's account a token (revoked, wrong secret)."""


class PlatformUnavailable(Exception):
    """The platform answered 5xx, or not at all, after every attempt."""


class _ServerError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code}")
        self.response = response


@dataclass
class AccountToken:
    access_token: str
    scopes: frozenset[str]
    expires_at: float


class AccountTokens:
    """client_credentials for one account, kept until shortly before it expires."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, client_id: str,
                 client_secret: str) -> None:
        self.http, self.base_url = http, base_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self._token: AccountToken | None = None

    async def current(self) -> AccountToken:
        if self._token is None or self._token.expires_at < time.monotonic() + 30:
            self._token = await self._fetch()
        return self._token

    async def _fetch(self) -> AccountToken:
        try:
            response = await self.http.post(self.base_url + TOKEN_PATH, data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret})
        except httpx.TransportError as exc:
            raise PlatformUnavailable(f"identity unreachable: {type(exc).__name__}") from None
        if response.status_code >= 500:
            raise PlatformUnavailable(f"identity answered {response.status_code}")
        if response.status_code != 200:
            raise AccountRefused("identity refused the scenario's account "
                                 f"({response.status_code}): revoked, or a wrong secret")
        body = response.json()
        return AccountToken(access_token=body["access_token"],
                            scopes=frozenset(str(body.get("scope", "")).split()),
                            expires_at=time.monotonic() + float(body.get("expires_in", 300)))


class GatewayPlatform:
    def __init__(self, http: httpx.AsyncClient, base_url: str, municipality_code: str,
                 tokens: AccountTokens, *, attempts: int, max_wait: float = 5.0) -> None:
        self.http, self.base_url, self.code = http, base_url.rstrip("/"), municipality_code
        self.tokens = tokens
        self.attempts, self.max_wait = attempts, max_wait

    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response:
        url = f"{self.base_url}/v1/municipalities/{self.code}{path}"
        try:
            async for attempt in AsyncRetrying(
                    retry=retry_if_exception_type((httpx.TransportError, _ServerError)),
                    wait=wait_exponential(multiplier=0.2, max=self.max_wait),
                    stop=stop_after_attempt(self.attempts), reraise=True):
                with attempt:
                    response = await self._send(method, url, body, idempotency_key, purpose)
        except _ServerError as exc:
            raise PlatformUnavailable(
                f"{method} {path} answered {exc.response.status_code} "
                f"after {self.attempts} attempts") from None
        except httpx.TransportError as exc:
            raise PlatformUnavailable(
                f"{method} {path}: {type(exc).__name__} after {self.attempts} attempts") from None
        return Response(response.status_code, _body(response))

    async def _send(self, method: str, url: str, body: Any, key: str,
                    purpose: str | None) -> httpx.Response:
        token = await self.tokens.current()
        headers = {"Authorization": f"Bearer {token.access_token}"}
        if method != "GET":
            headers["Idempotency-Key"] = key
        if purpose:
            headers[PURPOSE_HEADER] = purpose
        response = await self.http.request(method, url, headers=headers,
                                           json=body if method != "GET" else None)
        if response.status_code >= 500:
            raise _ServerError(response)
        return response


def _body(response: httpx.Response) -> Any:
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.json()
        except ValueError:
            return None
    return {"text": response.text[:2000]}
