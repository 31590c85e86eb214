"""The JWKS, a staff member's own password, and the operator's key rotation."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from kyodo_common.auth import Principal
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Problem
from kyodo_common.web import IdempotencyKey
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.api.idempotent import Idempotent, secret_proof
from kyodo_identity.api.schemas.staff import PasswordChange
from kyodo_identity.api.token import LOGIN_REFUSALS, too_many_attempts
from kyodo_identity.domain.throttle import TooManyAttempts, login_key
from kyodo_identity.service_layer.audit_trail import record_change
from kyodo_identity.service_layer.credentials import LoginRefused
from kyodo_identity.service_layer.keys import jwks, rotate_keys
from kyodo_identity.service_layer.passwords import HashingBusy, Verifier, busy
from kyodo_identity.service_layer.staff import change_own_password

from .deps import ClientAddress, Db, Hashing, KeySealer, Operator, Settings, StaffMember, Throttle

router = APIRouter(prefix="/v1/auth", tags=["auth"])
SOURCE = "kyodo/identity"


@router.get("/jwks.json")
async def signing_keys(db: Db) -> dict[str, Any]:
    """Public keys that verify the platform's tokens (the signing key and those retiring)."""
    async with db.platform_transaction() as session:
        return await jwks(session)


@router.post("/password", status_code=204,
             responses={k: v for k, v in LOGIN_REFUSALS.items() if k in (429, 503)})
async def change_password(request: Request, body: PasswordChange, me: StaffMember, db: Db,
                          hashing: Hashing, throttle: Throttle, source: ClientAddress,
                          idempotency_key: IdempotencyKey = None) -> Response:
    """A staff member changes their own password (the current one proves it is them)."""
    # Guessing the current password with a stolen token is throttled like a login (its own
    # key: the account, not a login name).
    try:
        attempt = throttle.admit(source, login_key(me.home_municipality, "\x00" + me.subject),
                                 time.monotonic())
    except TooManyAttempts as wait:
        raise too_many_attempts(wait.retry_after_seconds) from None
    try:
        response = await _change_password(request, body, me, db,
                                          hashing.for_attempt(attempt.suspect), idempotency_key)
    except HashingBusy:
        throttle.abandoned(attempt, time.monotonic())
        raise busy() from None
    if response.status_code == 204:
        throttle.succeeded(attempt)
    return response


async def _change_password(request: Request, body: PasswordChange, me: Principal, db: Database,
                           hashing: Verifier, idempotency_key: str | None) -> Response:
    proof = secret_proof(request.app.state.fingerprint_key, body.current_password,
                         body.new_password)
    request_key = Idempotent(idempotency_key, "auth.password",
                             {"staff": me.subject, "proof": proof},
                             caller=me)
    async with UnitOfWork(db, source=SOURCE, municipality_code=me.home_municipality) as uow:
        previous = await request_key.replay(uow.session, me.home_municipality)
        if previous is not None:
            return previous
        try:
            await change_own_password(uow=uow, principal=me, current=body.current_password,
                                      new=body.new_password, hashing=hashing,
                                      now=datetime.now(UTC))
        except LoginRefused as refused:
            problem = _password_refused(refused.reason)
            # The failed attempt is audited; the key answers a retry the same way.
            await request_key.remember(uow.session, status=403, body=problem.body())
            await uow.commit()
            raise problem from None
        await request_key.remember(uow.session, status=204, body=None)
        await uow.commit()
    return Response(status_code=204)


def _password_refused(reason: str) -> Problem:
    return Problem(403, "Password refused", detail=reason, kind="password-refused",
                   invalid_params=[{"name": "current_password", "reason": reason}])


@router.post("/keys/rotate", status_code=201)
async def rotate_signing_keys(operator: Operator, db: Db, settings: Settings, sealer: KeySealer,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """A new signing key from now; the old ones stay in the JWKS until retired."""
    request_key = Idempotent(idempotency_key, "auth.keys.rotate", {},
                             caller=operator)
    async with PlatformUnit(db) as work:
        previous = await request_key.replay(work.session, work.municipality_code)
        if previous is not None:
            return previous
        rotation = await rotate_keys(work.session, sealer, now=datetime.now(UTC),
                                     retire_after=timedelta(seconds=settings.key_retirement))
        await record_change(work.session, actor=operator,
                            municipality_code=work.municipality_code, action="key.rotated",
                            subject_type="signing_key", subject_id=rotation.kid)
        body = {"kid": rotation.kid,
                "retiring": [{"kid": kid, "retired_at": at.isoformat()}
                             for kid, at in rotation.retiring]}
        await request_key.remember(work.session, status=201, body=body)
        await work.commit()
    return JSONResponse(body, status_code=201)
