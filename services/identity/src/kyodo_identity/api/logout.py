"""Logout: the caller's own access token ends now, not when it expires, and with it the
refresh token's whole family if the caller hands it in."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response
from pydantic import Field

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput
from kyodo_common.web import ApiModel, CurrentPrincipal, IdempotencyKey
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.domain import opaque
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.service_layer.audit_trail import record_change
from kyodo_identity.service_layer.refresh import end_own_session
from kyodo_identity.service_layer.revocations import revoke_token

from .deps import Db

router = APIRouter(prefix="/v1/auth", tags=["auth"])
SOURCE = "kyodo/identity"


class LogoutRequest(ApiModel):
    refresh_token: str | None = Field(default=None, min_length=1, max_length=200,
                                      description="the refresh token to revoke with the session")


@router.post("/logout", status_code=204)
async def logout(me: CurrentPrincipal, db: Db, body: LogoutRequest | None = None,
                 idempotency_key: IdempotencyKey = None) -> Response:
    """End the caller's session: the gateway refuses this access token within 2 seconds;
    the refresh token, if given (the caller's own), and every one rotated from it, at once.

    Logging out twice is logging out once, so the Idempotency-Key needs no stored answer."""
    refresh = body.refresh_token if body is not None else None
    if not me.token_id:
        raise InvalidInput("Authorization", "the token has no id (jti) to revoke")
    if refresh is not None and (me.kind != "staff"
                                or opaque.municipality_of(refresh) != me.home_municipality):
        raise InvalidInput("refresh_token", "not a refresh token of this session")
    now = datetime.now(UTC)
    work: PlatformUnit | UnitOfWork = PlatformUnit(db) \
        if me.home_municipality == PLATFORM_CODE \
        else UnitOfWork(db, source=SOURCE, municipality_code=me.home_municipality)
    async with work:
        if refresh is not None:
            await end_own_session(work.session, staff_id=me.subject, token=refresh, now=now)
        await revoke_token(work.session, principal=me, now=now)
        await record_change(work.session, actor=me, municipality_code=me.home_municipality,
                            action="session.logged_out", subject_type=me.kind,
                            subject_id=me.subject)
        await work.commit()
    return Response(status_code=204)
