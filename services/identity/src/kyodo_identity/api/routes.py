"""Token endpoint (OAuth2 password grant for staff) and the JWKS."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request

from kyodo_common.db import Database
from kyodo_common.errors import Problem
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_identity.adapters.tables import municipalities
from kyodo_identity.service_layer.keys import active_key, jwks
from kyodo_identity.service_layer.login import LoginRefused, TokenPolicy, login_staff

router = APIRouter(prefix="/v1/auth", tags=["auth"])


def _invalid_grant(detail: str) -> Problem:
    return Problem(401, "Login refused", detail=detail, kind="invalid-grant")


@router.post("/token")
async def token(
    request: Request,
    grant_type: Annotated[str, Form()],
    municipality_code: Annotated[str, Form(min_length=6, max_length=6)],
    username: Annotated[str, Form(min_length=1, max_length=100)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """Staff login: password grant scoped to the staff member's home municipality."""
    if grant_type != "password":
        raise Problem(400, "Unsupported grant type", kind="unsupported-grant-type",
                      invalid_params=[{"name": "grant_type", "reason": "only 'password'"}])
    if not is_valid_municipality_code(municipality_code):
        raise Problem(422, "Invalid input", kind="invalid-input",
                      invalid_params=[{"name": "municipality_code",
                                       "reason": "not a valid local government code"}])
    db: Database = request.app.state.db
    policy: TokenPolicy = request.app.state.token_policy
    async with db.platform_transaction() as session:
        known = (await session.execute(sa.select(municipalities.c.code).where(
            municipalities.c.code == municipality_code))).first()
        key = await active_key(session)
    if known is None:
        raise _invalid_grant("unknown login or wrong password")
    try:
        async with db.tenant_transaction(municipality_code) as session:
            access_token = await login_staff(session, municipality_code=municipality_code,
                                             login=username, password=password, key=key,
                                             policy=policy)
    except LoginRefused as refused:
        raise _invalid_grant(refused.reason) from None
    return {"access_token": access_token, "token_type": "Bearer",
            "expires_in": policy.lifetime_seconds}


@router.get("/jwks.json")
async def signing_keys(request: Request) -> dict[str, Any]:
    """Public keys that verify the platform's tokens."""
    db: Database = request.app.state.db
    async with db.platform_transaction() as session:
        return await jwks(session)
