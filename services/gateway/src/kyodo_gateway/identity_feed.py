"""What the gateway learns from identity's internal API: pushed, with a slow poll behind it.

* The push: a long-poll on ``/v1/internal/access-changes`` that identity answers as soon as a
  grant or a revocation (logout, disabled staff) commits (its LISTEN/NOTIFY), or after a few
  seconds if nothing did; on a change the gateway reads the snapshot (``/v1/internal/access``)
  again. A revocation reaches the gateway in milliseconds, well within the 2 s promised.
* The backstop: the snapshot and the municipalities' CORS origins are read every
  ``grants_poll_seconds`` whatever the long-poll says.
* Confirmation: each snapshot read, and each long-poll saying that nothing changed since the
  snapshot held, confirms the grants; the Authorizer refuses grant-based access when they have
  not been confirmed for ``grants_fail_closed_seconds`` (fail closed).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from kyodo_common.assertion import AssertionSigner, sign_service_token
from kyodo_gateway.grants import (
    GrantIndex,
    Revocations,
    parse_grants,
    parse_origins,
    parse_revocations,
)
from kyodo_gateway.purposes import parse_purposes

logger = logging.getLogger("kyodo.gateway")

ACCESS_PATH = "/v1/internal/access"
CHANGES_PATH = "/v1/internal/access-changes"
MUNICIPALITIES_PATH = "/v1/internal/municipalities"
_TOKEN_LIFETIME = 300
# After a failed long-poll: the first retry soon, then no faster than every few seconds.
_RETRY_FIRST, _RETRY_MAX = 0.2, 3.0


class IdentityPoller:
    """Follows identity in the background; hands each good snapshot to the callbacks."""

    def __init__(self, identity_url: str, signer: AssertionSigner, interval: float, *,
                 on_access: Callable[[GrantIndex, Revocations], None],
                 on_confirmed: Callable[[], None],
                 on_origins: Callable[[dict[str, frozenset[str]]], None],
                 on_purposes: Callable[[dict[str, frozenset[bytes]]], None] = lambda _: None,
                 wait: float = 5.0) -> None:
        self._base = identity_url.rstrip("/")
        self._signer = signer
        self._interval = interval
        self._wait = wait
        self._on_access = on_access
        self._on_confirmed = on_confirmed
        self._on_origins = on_origins
        self._on_purposes = on_purposes
        self._token = ""
        self._token_until = 0.0
        self._failing: dict[str, bool] = {}
        self._session: aiohttp.ClientSession | None = None
        self.polls = 0
        self.pushes = 0
        self.last_success: dict[str, float] = {}

    def _service_token(self) -> str:
        now = time.time()
        if now > self._token_until:
            self._token = sign_service_token(self._signer, "gateway", _TOKEN_LIFETIME)
            self._token_until = now + _TOKEN_LIFETIME - 60
        return self._token

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=min(5.0, max(self._interval, 1.0)))
            self._session = aiohttp.ClientSession(timeout=timeout,
                                                  cookie_jar=aiohttp.DummyCookieJar())
        return self._session

    async def run(self) -> None:
        try:
            await self.poll_once()
            await asyncio.gather(self._poll(), self._follow())
        finally:
            await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self.poll_once()

    async def poll_once(self) -> None:
        await asyncio.gather(self.read_access(), self._fetch(
            MUNICIPALITIES_PATH, "municipalities", self._apply_municipalities))
        self.polls += 1

    def _apply_municipalities(self, payload: Any) -> None:
        origins, own_purposes = parse_origins(payload), parse_purposes(payload)
        self._on_origins(origins)
        self._on_purposes(own_purposes)

    async def read_access(self) -> bool:
        return await self._fetch(ACCESS_PATH, "grants and revocations", self._apply_access)

    def _apply_access(self, payload: Any) -> None:
        self._on_access(parse_grants(payload), parse_revocations(payload))

    async def _follow(self) -> None:
        """The long-poll: a new snapshot on each change, a confirmation when none came."""
        held: str | None = None  # the version the snapshot held is at least as new as
        retry = _RETRY_FIRST
        while True:
            try:
                async with self.session.get(
                    self._base + CHANGES_PATH, params={"after": held or "", "wait": self._wait},
                    headers={"Authorization": f"Bearer {self._service_token()}"},
                    timeout=aiohttp.ClientTimeout(total=self._wait + 5.0),
                ) as response:
                    response.raise_for_status()
                    answer = await response.json(content_type=None)
                version, listening = str(answer["version"]), bool(answer["listening"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # identity away, restarting, or an older one
                self._failed("the push", exc)
                await asyncio.sleep(retry)
                retry = min(retry * 2, _RETRY_MAX)
                continue
            self._recovered("the push")
            if listening and version == held:
                self._on_confirmed()  # nothing changed since the snapshot held
                retry = _RETRY_FIRST
            elif await self.read_access():
                retry = _RETRY_FIRST
                # Read after the version was seen: it holds every change up to it. Without
                # a listener identity cannot vouch for a version: read again next time.
                held = version if listening else None
                self.pushes += 1
            else:  # the long-poll would answer at once again: do not hammer identity
                await asyncio.sleep(retry)
                retry = min(retry * 2, _RETRY_MAX)

    async def _fetch(self, path: str, what: str, apply: Callable[[Any], None]) -> bool:
        try:
            async with self.session.get(
                self._base + path, headers={"Authorization": f"Bearer {self._service_token()}"},
            ) as response:
                response.raise_for_status()
                payload = await response.json(content_type=None)
            apply(payload)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # whatever goes wrong, the poller goes on
            self._failed(what, exc)
            return False
        self.last_success[what] = time.time()
        self._recovered(what)
        return True

    def _failed(self, what: str, exc: Exception) -> None:
        if not isinstance(exc, aiohttp.ClientError | TimeoutError | ValueError | KeyError):
            logger.exception("reading %s from identity failed unexpectedly", what)
        if not self._failing.get(what):
            self._failing[what] = True
            logger.warning("reading %s from identity failed (%s)", what, type(exc).__name__)

    def _recovered(self, what: str) -> None:
        if self._failing.get(what):
            logger.info("reading %s from identity works again", what)
        self._failing[what] = False
