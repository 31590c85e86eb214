"""Logout: the caller's own access token ends now, not when it expires, and with it the
refresh token's whole family if the caller hands it in."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from kyodo_common.errors import InvalidInput
from kyodo_common.web import ApiModel, CurrentPrincipal, IdempotencyKey
from kyodo_identity.domain import opaque
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers

from .deps import Pipeline, acting_as

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class LogoutRequest(ApiModel):
    refresh_token: str | None = Field(default=None, min_length=1, max_length=200,
                                      description="the refresh token to revoke with the session")


@router.post("/logout", status_code=204)
async def logout(me: CurrentPrincipal, pipeline: Pipeline, body: LogoutRequest | None = None,
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
    # The caller's home: a town's unit of work, or the platform's for an operator.
    await pipeline.update(c.LogOut(actor=me, refresh_token=refresh), handlers.log_out,
                          acting=acting_as(me, me.home_municipality))
    return Response(status_code=204)
