"""The OAuth2 token endpoint: password (staff, operators), refresh_token, client_credentials."""

from __future__ import annotations

import base64
import binascii
import time
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from fastapi import APIRouter, Form, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kyodo_common.crypto import Sealer
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Problem
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_common.text import SafeText
from kyodo_identity.adapters.store import on_session
from kyodo_identity.adapters.views import municipality_known
from kyodo_identity.domain import client_credentials, opaque
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.domain.throttle import LoginThrottle, TooManyAttempts, login_key
from kyodo_identity.service_layer.clients import INVALID_CLIENT, authenticate_client
from kyodo_identity.service_layer.credentials import (
    UNKNOWN_OR_WRONG,
    LoginRefused,
    keeping_refusals,
)
from kyodo_identity.service_layer.keys import SigningKey, active_key
from kyodo_identity.service_layer.login import login_staff, staff_claims
from kyodo_identity.service_layer.operators import login_operator
from kyodo_identity.service_layer.passwords import (
    HashingBusy,
    PasswordHashing,
    Verifier,
    busy,
)
from kyodo_identity.service_layer.refresh import INVALID, redeem_refresh
from kyodo_identity.service_layer.tokens import TokenPolicy, sign_token

from .deps import ClientAddress, Db, Hashing, KeySealer, Policy, Throttle

router = APIRouter(prefix="/v1/auth", tags=["auth"])
SOURCE = "kyodo/identity"
# Form fields are not an ApiModel: the shared text type refuses control characters here.
FormField = Annotated[SafeText | None, Form()]


def _invalid_grant(detail: str) -> Problem:
    return Problem(401, "Login refused", detail=detail, kind="invalid-grant")


def _invalid_client(detail: str) -> Problem:
    return Problem(401, "Client refused", detail=detail, kind="invalid-client",
                   headers={"WWW-Authenticate": 'Basic realm="kyodo"'})


def _required(**fields: str | None) -> dict[str, str]:
    missing = [name for name, value in fields.items() if not value]
    if missing:
        raise Problem(422, "Invalid input", detail="One or more fields are missing",
                      kind="invalid-input",
                      invalid_params=[{"name": n, "reason": "required"} for n in missing])
    return {name: str(value) for name, value in fields.items()}


def _issued(access_token: str, policy: TokenPolicy, **extra: Any) -> JSONResponse:
    body = {"access_token": access_token, "token_type": "Bearer",
            "expires_in": policy.lifetime_seconds, **extra}
    # RFC 6749 §5.1: token responses must not be cached anywhere.
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _signing_key(db: Database, sealer: Sealer) -> SigningKey:
    async with db.platform_transaction() as session:
        return await active_key(on_session(session), sealer)


_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again",
                                 "schema": {"type": "integer", "minimum": 1}}}
_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
# The refusals a password login can meet (docs/adr/0003: login throttling).
LOGIN_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "refused: unknown login, wrong password or disabled account, "
                         "one answer for all", "content": _PROBLEM},
    429: {"description": "too many attempts for this login or from this address; "
                         "checked before the password", "headers": _RETRY_AFTER,
          "content": _PROBLEM},
    503: {"description": "too many passwords being checked at once", "headers": _RETRY_AFTER,
          "content": _PROBLEM},
}


class TokenResponse(BaseModel):
    """RFC 6749 §5.1; never cached (Cache-Control: no-store)."""

    access_token: str = Field(description="an EdDSA JWT: send it as `Authorization: Bearer …`")
    token_type: Literal["Bearer"] = Field(description="always Bearer")
    expires_in: int = Field(description="seconds the access token stays valid", examples=[600])
    scope: str = Field(description="the granted scopes, space-separated",
                       examples=["residents:read residents:write"])
    refresh_token: str | None = Field(
        default=None, description="staff logins only: exchange it once for a new pair "
                                  "(grant_type=refresh_token); it rotates on every use")


@router.post("/token", responses={200: {"model": TokenResponse}, **LOGIN_REFUSALS})
async def token(
    db: Db,
    sealer: KeySealer,
    policy: Policy,
    hashing: Hashing,
    throttle: Throttle,
    source: ClientAddress,
    grant_type: Annotated[SafeText, Form(
        description="password, refresh_token or client_credentials")],
    municipality_code: Annotated[SafeText | None, Form(
        description="the staff member's municipality code (password grant)")] = None,
    username: Annotated[SafeText | None, Form(
        description="the staff login (password grant), or `<municipality code>/<login>`")] = None,
    password: Annotated[SafeText | None, Form(
        description="the staff password (password grant)")] = None,
    refresh_token: Annotated[SafeText | None, Form(
        description="the refresh token to redeem (refresh_token grant)")] = None,
    client_id: Annotated[SafeText | None, Form(
        description="the partner client's id (client_credentials; or HTTP Basic)")] = None,
    client_secret: Annotated[SafeText | None, Form(
        description="the partner client's secret (client_credentials; or HTTP Basic)")] = None,
    scope: Annotated[SafeText | None, Form(
        description="space-separated scopes asked for (client_credentials)")] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Issue an access token (EdDSA JWT); staff logins also get a rotating refresh token."""
    if grant_type == "password":
        if municipality_code is None and username is not None and "/" in username:
            # OAuth2 password-flow clients (Swagger UI's Authorize) send only username and
            # password: the municipality comes first in the username, "152021/tanaka".
            municipality_code, _, username = username.partition("/")
        f = _required(municipality_code=municipality_code, username=username, password=password)
        return await _password(db, sealer, policy, hashing, throttle, source,
                               f["municipality_code"], f["username"], f["password"])
    if grant_type == "refresh_token":
        f = _required(refresh_token=refresh_token)
        return await _refresh(db, sealer, policy, f["refresh_token"])
    if grant_type == "client_credentials":
        basic = _basic_credentials(authorization)
        if basic is not None:
            client_id, client_secret = basic
        f = _required(client_id=client_id, client_secret=client_secret)
        return await _client(db, sealer, policy, hashing, f["client_id"], f["client_secret"],
                             scope)
    raise Problem(400, "Unsupported grant type", kind="unsupported-grant-type",
                  invalid_params=[{"name": "grant_type", "reason":
                                   "password, refresh_token or client_credentials"}])


async def _password(db: Database, sealer: Sealer, policy: TokenPolicy, hashing: PasswordHashing,
                    throttle: LoginThrottle, source: str, code: str, username: str,
                    password: str) -> JSONResponse:
    if code != PLATFORM_CODE and not is_valid_municipality_code(code):
        raise Problem(422, "Invalid input", kind="invalid-input",
                      invalid_params=[{"name": "municipality_code",
                                       "reason": "not a valid local government code"}])
    # Before anything is read or hashed, and alike for logins that exist and those that do not.
    try:
        attempt = throttle.admit(source, login_key(code, username), time.monotonic())
    except TooManyAttempts as wait:
        raise too_many_attempts(wait.retry_after_seconds) from None
    try:
        response = await _check_password(db, sealer, policy, hashing.for_attempt(attempt.suspect),
                                         code, username, password)
    except HashingBusy:
        throttle.abandoned(attempt, time.monotonic())
        raise busy() from None
    except LoginRefused:
        raise _invalid_grant(UNKNOWN_OR_WRONG) from None
    throttle.succeeded(attempt)
    return response


def too_many_attempts(retry_after: int) -> Problem:
    return Problem(429, "Too many requests", kind="too-many-requests",
                   detail="too many login attempts; retry later",
                   headers={"Retry-After": str(retry_after)})


async def _check_password(db: Database, sealer: Sealer, policy: TokenPolicy, hashing: Verifier,
                          code: str, username: str, password: str) -> JSONResponse:
    """The tokens, or LoginRefused: the same refusal, after one hash, whatever went wrong."""
    if code == PLATFORM_CODE:
        claims = await login_operator(db=db, login=username, password=password,
                                      hashing=hashing)
        return _issued(sign_token(await _signing_key(db, sealer), claims, policy), policy,
                       scope=claims["scope"])
    async with db.platform_transaction() as session:
        known = await municipality_known(session, code)
    if not known:
        await hashing.verify(None, password)  # the work of a known municipality's refusal
        raise LoginRefused(UNKNOWN_OR_WRONG)
    staff_session = await login_staff(db=db, municipality_code=code, login=username,
                                      password=password, hashing=hashing, policy=policy,
                                      now=datetime.now(UTC))
    access = staff_session.access_token(await _signing_key(db, sealer), policy)
    return _issued(access, policy, refresh_token=staff_session.refresh_token,
                   scope=staff_session.claims["scope"])


async def _refresh(db: Database, sealer: Sealer, policy: TokenPolicy,
                   token: str) -> JSONResponse:
    code = opaque.municipality_of(token)
    if code is None:
        raise _invalid_grant(INVALID)
    try:
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow, \
                keeping_refusals(uow):
            member, successor = await redeem_refresh(uow=uow, token=token,
                                                     now=datetime.now(UTC))
            await uow.commit()
    except LoginRefused as refused:
        raise _invalid_grant(refused.reason) from None
    claims = staff_claims(member, code)
    return _issued(sign_token(await _signing_key(db, sealer), claims, policy), policy,
                   refresh_token=successor, scope=claims["scope"])


async def _client(db: Database, sealer: Sealer, policy: TokenPolicy, hashing: PasswordHashing,
                  client_id: str, secret: str, scope: str | None) -> JSONResponse:
    code = client_credentials.municipality_of(client_id)
    if code is None:
        raise _invalid_client(INVALID_CLIENT)
    try:
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow, \
                keeping_refusals(uow):
            client = await authenticate_client(uow=uow, client_id=client_id,
                                               client_secret=secret, hashing=hashing,
                                               now=datetime.now(UTC))
    except HashingBusy:
        raise busy() from None
    except LoginRefused as refused:
        raise _invalid_client(refused.reason) from None
    scopes = client_credentials.requested_scopes(scope, client.scopes)
    claims = {"sub": client.client_id, "municipality": code, "kind": "client", "roles": [],
              "scope": " ".join(scopes), "name": client.name}
    return _issued(sign_token(await _signing_key(db, sealer), claims, policy), policy,
                   scope=claims["scope"])


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """RFC 6749 §2.3.1: client_id and secret, form-urlencoded, in HTTP Basic."""
    if not authorization:
        return None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise _invalid_client("malformed Basic credentials") from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise _invalid_client("malformed Basic credentials")
    return unquote(client_id), unquote(secret)
