"""The JWKS, a staff member's own password, and the operator's key rotation."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Response

from kyodo_common.web import IdempotencyKey
from kyodo_identity.adapters import views
from kyodo_identity.api.schemas.staff import PasswordChange
from kyodo_identity.api.token import LOGIN_REFUSALS, too_many_attempts
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.domain.throttle import TooManyAttempts, login_key
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers
from kyodo_identity.service_layer.audit_trail import anonymous
from kyodo_identity.service_layer.passwords import HashingBusy, busy
from kyodo_identity.service_layer.staff import PasswordRefused

from .deps import (
    ClientAddress,
    Db,
    FingerprintKey,
    Hashing,
    KeySealer,
    Operator,
    Pipeline,
    Settings,
    StaffMember,
    Throttle,
    acting_as,
    secret_proof,
)

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.get("/jwks.json")
async def signing_keys(db: Db) -> dict[str, Any]:
    """Public keys that verify the platform's tokens (the signing key and those retiring)."""
    async with db.platform_transaction() as session:
        return await views.jwks(session)


@router.post("/password", status_code=204,
             responses={k: v for k, v in LOGIN_REFUSALS.items() if k in (429, 503)})
async def change_password(body: PasswordChange, me: StaffMember,
                          pipeline: Pipeline, hashing: Hashing, throttle: Throttle,
                          source: ClientAddress, fingerprint_key: FingerprintKey,
                          idempotency_key: IdempotencyKey = None) -> Response:
    """A staff member changes their own password (the current one proves it is them)."""
    # Guessing the current password with a stolen token is throttled like a login (its own
    # key: the account, not a login name).
    try:
        attempt = throttle.admit(source, login_key(me.home_municipality, "\x00" + me.subject),
                                 time.monotonic())
    except TooManyAttempts as wait:
        raise too_many_attempts(wait.retry_after_seconds) from None
    command = c.ChangeOwnPassword(actor=me, current=body.current_password,
                                  new=body.new_password)
    proof = secret_proof(fingerprint_key, body.current_password, body.new_password)
    try:
        await pipeline.answer(command, handlers.ChangeOwnPassword(
            hashing.for_attempt(attempt.suspect)), acting=acting_as(me, me.home_municipality),
            key=idempotency_key, fingerprint=("auth.password", {"staff": me.subject,
                                                                "proof": proof}))
    except HashingBusy:
        throttle.abandoned(attempt, time.monotonic())
        raise busy() from None
    except PasswordRefused:
        # The change rolled back; the failed attempt is audited on its own, as a failed
        # login's is (a retry with the same key is checked, and audited, again).
        await pipeline.update(c.RecordRefusedPassword(staff_id=me.subject),
                              handlers.record_refused_password,
                              acting=acting_as(anonymous(me.home_municipality),
                                               me.home_municipality))
        raise
    throttle.succeeded(attempt)
    return Response(status_code=204)


@router.post("/keys/rotate", status_code=201)
async def rotate_signing_keys(operator: Operator, pipeline: Pipeline, settings: Settings,
                              sealer: KeySealer,
                              idempotency_key: IdempotencyKey = None) -> Response:
    """A new signing key from now; the old ones stay in the JWKS until retired."""
    return await pipeline.run(
        c.RotateSigningKeys(retire_after_seconds=settings.key_retirement),
        handlers.RotateSigningKeys(sealer), acting=acting_as(operator, PLATFORM_CODE),
        key=idempotency_key, fingerprint=("auth.keys.rotate", {}))
