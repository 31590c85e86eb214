"""Dependencies the identity routes read like sentences with."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from opentelemetry import trace

from kyodo_common.assertion import (
    ASSERTION_HEADER,
    CLIENT_ADDRESS_HEADER,
    Acting,
    AssertionVerifier,
    GatewayKeys,
    verify_client_address,
)
from kyodo_common.assertion import verify_service_token as _verify_service_token
from kyodo_common.auth import Principal, TokenVerifier, bearer_token, unauthorized
from kyodo_common.crypto import Sealer
from kyodo_common.errors import Problem
from kyodo_common.idempotency import StoredResponse
from kyodo_common.web import CurrentPrincipal, DatabaseDep, MunicipalityCode
from kyodo_common.write_pipeline import TableKeys, WritePipeline
from kyodo_identity.adapters.revoked_tokens import RevokedTokens
from kyodo_identity.domain.platform import OPERATOR_KIND
from kyodo_identity.domain.throttle import LoginThrottle
from kyodo_identity.service_layer.passwords import PasswordHashing
from kyodo_identity.service_layer.tokens import TokenPolicy
from kyodo_identity.service_layer.unit_of_work import SOURCE, units_of_work
from kyodo_identity.settings import IdentitySettings


async def _settings(request: Request) -> IdentitySettings:
    settings: IdentitySettings = request.app.state.settings
    return settings


async def _policy(request: Request) -> TokenPolicy:
    policy: TokenPolicy = request.app.state.token_policy
    return policy


async def _fingerprint_key(request: Request) -> bytes:
    key: bytes = request.app.state.fingerprint_key
    return key


async def _password_hashing(request: Request) -> PasswordHashing:
    hashing: PasswordHashing = request.app.state.password_hashing
    return hashing


async def _login_throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


async def _key_sealer(request: Request) -> Sealer:
    sealer: Sealer = request.app.state.key_sealer
    return sealer


async def _client_address(
    request: Request,
    signed: Annotated[str | None, Header(alias=CLIENT_ADDRESS_HEADER,
                                         include_in_schema=False)] = None,
) -> str:
    """The caller's address: the gateway's signed word for it, else the TCP peer (a caller
    that reaches identity directly; an unsigned or forged header counts for nothing)."""
    if signed:
        address = verify_client_address(request.app.state.gateway_keys, signed)
        if address is not None:
            return address
    return request.client.host if request.client is not None else "unknown"


class SecretlessKeys(TableKeys):
    """The Idempotency-Key table, keeping no secret: a client's secret exists in clear only
    in the first answer, so a repeat answers ``client_secret: null``."""

    def remember(self, uow: Any, *, caller: str, key: str, answer: StoredResponse) -> None:
        body = answer.body
        if isinstance(body, dict) and "client_secret" in body:
            answer = StoredResponse(status=answer.status, body={**body, "client_secret": None},
                                    headers=answer.headers)
        super().remember(uow, caller=caller, key=key, answer=answer)


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE, unit_of_work=units_of_work(db),
                         keys=SecretlessKeys())


def secret_proof(key: bytes, *secrets: str) -> str:
    """Stands for passwords in a request fingerprint: a plain hash of a password stored in
    the idempotency table could be cracked offline; a keyed one cannot without the key."""
    return hmac.new(key, "\x00".join(secrets).encode(), hashlib.sha256).hexdigest()


def acting_as(principal: Principal, municipality: str) -> Acting:
    """A caller who is not acting for a town through ``acting_for`` (an operator, oneself)."""
    return Acting(principal=principal, municipality=municipality, scopes=principal.scopes,
                  grant_id=None, expires_at=principal.expires_at)


Db = DatabaseDep
Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
KeySealer = Annotated[Sealer, Depends(_key_sealer)]
Hashing = Annotated[PasswordHashing, Depends(_password_hashing)]
Throttle = Annotated[LoginThrottle, Depends(_login_throttle)]
ClientAddress = Annotated[str, Depends(_client_address)]
FingerprintKey = Annotated[bytes, Depends(_fingerprint_key)]
Settings = Annotated[IdentitySettings, Depends(_settings)]
Policy = Annotated[TokenPolicy, Depends(_policy)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def forbidden(detail: str) -> Problem:
    return Problem(403, "Forbidden", detail=detail, kind="forbidden")


def _not_revoked(request: Request, principal: Principal) -> Principal:
    """Identity's public routes are forwarded by the gateway without its token check."""
    revoked: RevokedTokens = request.app.state.revoked_tokens
    if revoked.refuses(principal):
        raise unauthorized("the token has been revoked")
    return principal


async def _operator(request: Request, principal: CurrentPrincipal) -> Principal:
    _not_revoked(request, principal)
    if principal.kind != OPERATOR_KIND or not principal.has_scope("platform:manage"):
        raise forbidden("only a platform operator may do this")
    return principal


async def _staff_member(request: Request, principal: CurrentPrincipal) -> Principal:
    _not_revoked(request, principal)
    if principal.kind != "staff":
        raise forbidden("only a staff member may do this")
    return principal


Operator = Annotated[Principal, Depends(_operator)]
StaffMember = Annotated[Principal, Depends(_staff_member)]


def acting_or_operator(scope: str | None) -> Callable[..., Coroutine[Any, Any, Acting]]:
    """Like ``acting_for``, and a platform operator may also act for any municipality
    (``None``: any caller who may act for the municipality, whatever its scopes)."""

    async def check(
        request: Request,
        code: MunicipalityCode,
        authorization: Annotated[str | None, Header()] = None,
        assertion: Annotated[str | None, Header(alias=ASSERTION_HEADER)] = None,
    ) -> Acting:
        if assertion:
            assertions: AssertionVerifier = request.app.state.assertions
            acting = assertions.verify(assertion)
        else:
            verifier: TokenVerifier = request.app.state.verifier
            principal = _not_revoked(request,
                                     await verifier.verify(bearer_token(authorization)))
            home = code if principal.kind == OPERATOR_KIND else principal.home_municipality
            acting = Acting(principal=principal, municipality=home, scopes=principal.scopes,
                            grant_id=None, expires_at=principal.expires_at)
        if acting.municipality != code:
            raise forbidden("you may not act for this municipality")
        if scope is not None and not acting.has_scope(scope):
            raise forbidden(f"the scope {scope} is required")
        trace.get_current_span().set_attribute("enduser.id", acting.principal.subject)
        return acting

    return check


async def _service_caller(request: Request,
                          authorization: Annotated[str | None, Header()] = None) -> str:
    """The gateway calling an internal endpoint: a service token it signed (EdDSA), checked
    with its public keys; identity holds no key that could sign one."""
    keys: GatewayKeys = request.app.state.gateway_keys
    return _verify_service_token(keys, bearer_token(authorization))


ServiceCaller = Annotated[str, Depends(_service_caller)]
