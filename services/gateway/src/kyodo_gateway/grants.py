"""Support grants and the municipalities' CORS origins, polled from identity's internal API.

The last good snapshot is kept when identity cannot be reached; grants' validity windows are
checked at request time, so an expired grant stops at once and a revoked one with the next
successful poll (every 10 s by default: well within the 60 s the platform promises).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from kyodo_common.assertion import AssertionSigner, sign_service_token

logger = logging.getLogger("kyodo.gateway")

GRANTS_PATH = "/v1/internal/support-grants/active"
MUNICIPALITIES_PATH = "/v1/internal/municipalities"
_TOKEN_LIFETIME = 300


@dataclass(frozen=True, slots=True)
class Grant:
    """Staff `subject` of `grantee_municipality` may act for `grantor` with `scopes`."""

    grant_id: str
    grantor: str
    subject: str
    grantee_municipality: str
    scopes: frozenset[str]
    valid_from: float
    valid_until: float

    def active(self, now: float) -> bool:
        return self.valid_from <= now < self.valid_until


class GrantIndex:
    """Grants by (grantee's municipality, grantee, grantor): one dict lookup per request."""

    def __init__(self, grants: Iterable[Grant] = ()) -> None:
        self._by: dict[tuple[str, str, str], list[Grant]] = {}
        for grant in grants:
            key = (grant.grantee_municipality, grant.subject, grant.grantor)
            self._by.setdefault(key, []).append(grant)
        self.size = sum(len(v) for v in self._by.values())

    def find(self, home: str, subject: str, municipality: str, scope: str | None,
             now: float) -> Grant | None:
        """The active grant covering `scope`; the one valid longest when several do."""
        if scope is None:
            return None
        candidates = self._by.get((home, subject, municipality))
        if not candidates:
            return None
        best: Grant | None = None
        for grant in candidates:
            if scope in grant.scopes and grant.active(now) and (
                    best is None or grant.valid_until > best.valid_until):
                best = grant
        return best


def _timestamp(value: Any, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, int | float):
        return float(value)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_grants(payload: Any) -> GrantIndex:
    """`{"grants": [...]}` or a bare list; a malformed entry is skipped, not the snapshot."""
    entries = payload.get("grants", []) if isinstance(payload, Mapping) else payload
    if not isinstance(entries, list):
        raise ValueError("support grants: expected a list")
    grants = []
    for entry in entries:
        try:
            scopes = entry["scopes"]
            grants.append(Grant(
                grant_id=str(entry["grant_id"]),
                grantor=str(entry["grantor_municipality"]),
                subject=str(entry["grantee_subject"]),
                grantee_municipality=str(entry["grantee_municipality"]),
                scopes=frozenset(scopes.split() if isinstance(scopes, str) else map(str, scopes)),
                valid_from=_timestamp(entry.get("valid_from"), -math.inf),
                valid_until=_timestamp(entry.get("valid_until"), math.inf),
            ))
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.warning("support grant skipped: malformed entry")
    return GrantIndex(grants)


def parse_origins(payload: Any) -> dict[str, frozenset[str]]:
    """`[{"code", "cors_origins": [...]}]` (or under "municipalities") → code → origins."""
    entries = payload.get("municipalities", []) if isinstance(payload, Mapping) else payload
    if not isinstance(entries, list):
        raise ValueError("municipalities: expected a list")
    origins: dict[str, frozenset[str]] = {}
    for entry in entries:
        try:
            origins[str(entry["code"])] = frozenset(
                str(o).rstrip("/") for o in entry.get("cors_origins") or ())
        except (KeyError, TypeError, AttributeError):
            logger.warning("municipality skipped: malformed entry")
    return origins


class IdentityPoller:
    """Polls identity in the background; hands each good snapshot to the callbacks."""

    def __init__(self, identity_url: str, signer: AssertionSigner, interval: float, *,
                 on_grants: Callable[[GrantIndex], None],
                 on_origins: Callable[[dict[str, frozenset[str]]], None]) -> None:
        self._base = identity_url.rstrip("/")
        self._signer = signer
        self._interval = interval
        self._on_grants = on_grants
        self._on_origins = on_origins
        self._token = ""
        self._token_until = 0.0
        self._failing: dict[str, bool] = {}
        self._session: aiohttp.ClientSession | None = None
        self.polls = 0
        self.last_success: dict[str, float] = {}

    def _service_token(self) -> str:
        now = time.time()
        if now > self._token_until:
            self._token = sign_service_token(self._signer, "gateway", _TOKEN_LIFETIME)
            self._token_until = now + _TOKEN_LIFETIME - 60
        return self._token

    async def run(self) -> None:
        try:
            while True:
                await self.poll_once()
                await asyncio.sleep(self._interval)
        finally:
            await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def poll_once(self) -> None:
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=min(5.0, max(self._interval, 1.0)))
            self._session = aiohttp.ClientSession(timeout=timeout,
                                                  cookie_jar=aiohttp.DummyCookieJar())
        await asyncio.gather(
            self._fetch(GRANTS_PATH, "support grants", lambda p: self._on_grants(parse_grants(p))),
            self._fetch(MUNICIPALITIES_PATH, "municipalities",
                        lambda p: self._on_origins(parse_origins(p))),
        )
        self.polls += 1

    async def _fetch(self, path: str, what: str, apply: Callable[[Any], None]) -> None:
        assert self._session is not None
        try:
            async with self._session.get(
                self._base + path, headers={"Authorization": f"Bearer {self._service_token()}"},
            ) as response:
                response.raise_for_status()
                payload = await response.json(content_type=None)
            apply(payload)
        except Exception as exc:  # whatever goes wrong, the poller goes on
            if not isinstance(exc, aiohttp.ClientError | TimeoutError | ValueError):
                logger.exception("polling %s from identity failed unexpectedly", what)
            if not self._failing.get(what):
                self._failing[what] = True
                logger.warning("polling %s from identity failed (%s); the last snapshot is "
                               "kept", what, type(exc).__name__)
            return
        self.last_success[what] = time.time()
        if self._failing.get(what):
            logger.info("polling %s from identity works again", what)
        self._failing[what] = False
