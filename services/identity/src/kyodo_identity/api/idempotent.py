"""Idempotency-Key on identity's POSTs, with care for secrets in requests and responses."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common import idempotency
from kyodo_common.auth import Principal
from kyodo_common.errors import PROBLEM_JSON


def secret_proof(key: bytes, *secrets: str) -> str:
    """Stands for passwords in a request fingerprint: a plain hash of a password stored in
    the idempotency table could be cracked offline; a keyed one cannot without the key."""
    return hmac.new(key, "\x00".join(secrets).encode(), hashlib.sha256).hexdigest()


class Idempotent:
    """One POST under its caller's Idempotency-Key: claimed in the transaction of the change."""

    def __init__(self, key: str | None, route: str, payload: Any, *, caller: Principal) -> None:
        self.key = idempotency.validate_key(key)
        self.fingerprint = idempotency.fingerprint(route, payload)
        self.caller = idempotency.caller_of(caller)
        self.municipality_code = ""

    async def replay(self, session: AsyncSession, municipality_code: str) -> Response | None:
        """The first response again when the key was used; None when this request claims it."""
        self.municipality_code = municipality_code
        previous = await idempotency.claim(session, municipality_code=municipality_code,
                                           caller=self.caller, key=self.key,
                                           request_fingerprint=self.fingerprint)
        if previous is None:
            return None
        if previous.body is None:
            return Response(status_code=previous.status)
        media_type = PROBLEM_JSON if previous.status >= 400 else None
        return JSONResponse(previous.body, status_code=previous.status, media_type=media_type)

    async def remember(self, session: AsyncSession, *, status: int, body: Any) -> None:
        await idempotency.remember(session, municipality_code=self.municipality_code,
                                   caller=self.caller, key=self.key, status=status, body=body)
