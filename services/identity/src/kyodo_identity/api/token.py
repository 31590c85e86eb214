"""The OAuth2 token endpoint: password (staff, operators), refresh_token, client_credentials."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import unquote

import sqlalchemy as sa
from fastapi import APIRouter, Form, Header
from fastapi.responses import JSONResponse

from kyodo_common.crypto import Sealer
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Problem
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.adapters.tables import municipalities
from kyodo_identity.domain import client_credentials, opaque
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.service_layer.clients import INVALID_CLIENT, authenticate_client
from kyodo_identity.service_layer.credentials import (
    UNKNOWN_OR_WRONG,
    LoginRefused,
    keeping_refusals,
)
from kyodo_identity.service_layer.keys import SigningKey, active_key
from kyodo_identity.service_layer.login import login_staff, staff_claims
from kyodo_identity.service_layer.operators import login_operator
from kyodo_identity.service_layer.refresh import INVALID, redeem_refresh
from kyodo_identity.service_layer.tokens import TokenPolicy, sign_token

from .deps import Db, KeySealer, Policy

router = APIRouter(prefix="/v1/auth", tags=["auth"])
SOURCE = "kyodo/identity"
FormField = Annotated[str | None, Form()]


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
        return await active_key(session, sealer)


@router.post("/token")
async def token(
    db: Db,
    sealer: KeySealer,
    policy: Policy,
    grant_type: Annotated[str, Form()],
    municipality_code: FormField = None,
    username: FormField = None,
    password: FormField = None,
    refresh_token: FormField = None,
    client_id: FormField = None,
    client_secret: FormField = None,
    scope: FormField = None,
    authorization: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Issue an access token (EdDSA JWT); staff logins also get a rotating refresh token."""
    if grant_type == "password":
        f = _required(municipality_code=municipality_code, username=username, password=password)
        return await _password(db, sealer, policy, f["municipality_code"], f["username"],
                               f["password"])
    if grant_type == "refresh_token":
        f = _required(refresh_token=refresh_token)
        return await _refresh(db, sealer, policy, f["refresh_token"])
    if grant_type == "client_credentials":
        basic = _basic_credentials(authorization)
        if basic is not None:
            client_id, client_secret = basic
        f = _required(client_id=client_id, client_secret=client_secret)
        return await _client(db, sealer, policy, f["client_id"], f["client_secret"], scope)
    raise Problem(400, "Unsupported grant type", kind="unsupported-grant-type",
                  invalid_params=[{"name": "grant_type", "reason":
                                   "password, refresh_token or client_credentials"}])


async def _password(db: Database, sealer: Sealer, policy: TokenPolicy, code: str, username: str,
                    password: str) -> JSONResponse:
    now = datetime.now(UTC)
    if code == PLATFORM_CODE:
        try:
            async with PlatformUnit(db) as work, keeping_refusals(work):
                claims = await login_operator(work=work, login=username, password=password,
                                              policy=policy, now=now)
                await work.commit()
        except LoginRefused as refused:
            raise _invalid_grant(refused.reason) from None
        return _issued(sign_token(await _signing_key(db, sealer), claims, policy), policy,
                       scope=claims["scope"])
    if not is_valid_municipality_code(code):
        raise Problem(422, "Invalid input", kind="invalid-input",
                      invalid_params=[{"name": "municipality_code",
                                       "reason": "not a valid local government code"}])
    async with db.platform_transaction() as session:
        known = (await session.execute(sa.select(municipalities.c.code).where(
            municipalities.c.code == code))).first()
    if known is None:
        raise _invalid_grant(UNKNOWN_OR_WRONG)
    try:
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow, \
                keeping_refusals(uow):
            staff_session = await login_staff(uow=uow, login=username, password=password,
                                              policy=policy, now=now)
            await uow.commit()
    except LoginRefused as refused:
        raise _invalid_grant(refused.reason) from None
    access = staff_session.access_token(await _signing_key(db, sealer), policy)
    return _issued(access, policy, refresh_token=staff_session.refresh_token,
                   scope=staff_session.claims["scope"])


async def _refresh(db: Database, sealer: Sealer, policy: TokenPolicy, token: str) -> JSONResponse:
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


async def _client(db: Database, sealer: Sealer, policy: TokenPolicy, client_id: str, secret: str,
                  scope: str | None) -> JSONResponse:
    code = client_credentials.municipality_of(client_id)
    if code is None:
        raise _invalid_client(INVALID_CLIENT)
    try:
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow, \
                keeping_refusals(uow):
            client = await authenticate_client(uow=uow, client_id=client_id,
                                               client_secret=secret, now=datetime.now(UTC))
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
