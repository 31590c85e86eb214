"""The public API through the gateway, in the clerk's name: the only thing the app calls."""

from __future__ import annotations

import time
from typing import Any

import httpx

from kyodo_counter import timing
from kyodo_counter.sessions import Session


class ApiError(Exception):
    """A problem+json answer (or a non-JSON error) from the API."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{status}: {problem.get('detail') or problem.get('title')}")
        self.status = status
        self.problem = problem


class SessionExpired(Exception):
    """The token is refused and could not be refreshed: the clerk logs in again."""


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"title": response.reason_phrase}
    return body if isinstance(body, dict) else {"title": response.reason_phrase}


class Gateway:
    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None) -> None:
        self.http = client or httpx.AsyncClient(base_url=base_url, timeout=30.0)

    async def close(self) -> None:
        await self.http.aclose()

    async def login(self, municipality: str, login: str, password: str) -> dict[str, Any]:
        response = await self.http.post("/v1/auth/token", data={
            "grant_type": "password", "municipality_code": municipality,
            "username": login, "password": password})
        if response.status_code != 200:
            raise ApiError(response.status_code, _problem(response))
        body: dict[str, Any] = response.json()
        return body

    async def _refresh(self, session: Session) -> bool:
        if not session.refresh_token:
            return False
        response = await self.http.post("/v1/auth/token", data={
            "grant_type": "refresh_token", "refresh_token": session.refresh_token})
        if response.status_code != 200:
            return False
        body = response.json()
        session.access_token = body["access_token"]
        session.refresh_token = body.get("refresh_token") or session.refresh_token
        return True

    async def send(self, session: Session, method: str, path: str, *,
                   json: Any = None, params: dict[str, Any] | None = None,
                   purpose: str | None = None, key: str | None = None,
                   if_match: str | None = None) -> httpx.Response:
        """One call with the session's token; a refused token is refreshed once."""
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {session.access_token}"}
            if purpose:
                headers["X-Kyodo-Purpose"] = purpose
            if key:
                headers["Idempotency-Key"] = key
            if if_match:
                headers["If-Match"] = if_match
            started = time.perf_counter()
            response = await self.http.request(method, path, json=json, params=params,
                                               headers=headers)
            await response.aread()
            timing.add("api", started)
            if response.status_code != 401:
                break
            if attempt == 2 or not await self._refresh(session):
                raise SessionExpired()
        if response.status_code >= 400:
            raise ApiError(response.status_code, _problem(response))
        return response

    async def get(self, session: Session, path: str, **kwargs: Any) -> Any:
        return (await self.send(session, "GET", path, **kwargs)).json()

    async def post(self, session: Session, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = await self.send(session, "POST", path, json=body, **kwargs)
        return response.json() if response.content else None

    async def logout(self, session: Session, key: str) -> None:
        """Revoke the access token and the refresh token's family at identity."""
        body = {"refresh_token": session.refresh_token} if session.refresh_token else None
        try:
            await self.http.post("/v1/auth/logout", json=body, headers={
                "Authorization": f"Bearer {session.access_token}", "Idempotency-Key": key})
        except httpx.HTTPError:
            pass  # the session ends here anyway; the token expires on its own


def etag(version: int | str) -> str:
    """The If-Match of the version a form was rendered from."""
    return f'W/"{version}"'
