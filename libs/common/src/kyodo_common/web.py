"""The service app factory and the dependencies every route reads like a sentence with."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from opentelemetry import trace
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kyodo_common import idempotency, privacy, purposes
from kyodo_common.assertion import ASSERTION_HEADER, Acting, AssertionVerifier
from kyodo_common.auth import Principal, TokenVerifier, bearer_token
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Problem, install_problem_handlers, problem_response
from kyodo_common.metrics import HttpMetrics, exposition
from kyodo_common.security_headers import SecurityHeaders
from kyodo_common.tenancy import current_municipality, is_valid_municipality_code

PURPOSE_HEADER = "X-Kyodo-Purpose"


class ApiModel(BaseModel):
    """Base of request bodies: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BodySizeLimit:
    """Refuses bodies over the limit with 413 before they are read into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # FastAPI re-raises HTTPException from body parsing; the handler renders it.
                    raise HTTPException(413, self._detail)
            return message

        await self.app(scope, limited_receive, send)

    @property
    def _detail(self) -> str:
        return f"the request body exceeds {self.max_bytes} bytes"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = Problem(413, "Payload too large", detail=self._detail,
                          kind="payload-too-large")
        await problem_response(problem, scope.get("path"))(scope, receive, send)


class _ServiceApp(FastAPI):
    """FastAPI with the security headers outside even Starlette's error middleware, so that
    its 500s carry them too (outside the stack: OpenTelemetry rebuilds the stack itself)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._secured = SecurityHeaders(super().__call__)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._secured(scope, receive, send)


def create_service_app(
    *,
    title: str,
    routers: Sequence[APIRouter],
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    max_body_bytes: int,
    ready: Callable[[FastAPI], Coroutine[Any, Any, None]] | None = None,
) -> FastAPI:
    app = _ServiceApp(title=title, lifespan=lifespan)
    install_problem_handlers(app)
    for router in routers:
        app.include_router(router)

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready", include_in_schema=False)
    async def is_ready(request: Request) -> dict[str, str]:
        if ready is not None:
            try:
                await ready(request.app)
            except Exception as exc:
                raise Problem(503, "Not ready", detail=type(exc).__name__,
                              kind="not-ready") from exc
        return {"status": "ready"}

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # One server span per request; the per-message receive/send spans cost more than they tell.
    FastAPIInstrumentor.instrument_app(app, excluded_urls="health/.*",
                                       exclude_spans=["receive", "send"])
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(privacy.HideProtectedByDefault)
    # Outside the body limit, so that its 413s are counted too.
    app.add_middleware(HttpMetrics)
    return app


async def _database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DatabaseDep = Annotated[Database, Depends(_database)]


async def _municipality_code(
    code: Annotated[str, Path(description="全国地方公共団体コード, 6 digits with check digit")],
) -> str:
    if not is_valid_municipality_code(code):
        raise Problem(404, "Not found", detail="no such municipality", kind="not-found")
    current_municipality.set(code)
    trace.get_current_span().set_attribute("kyodo.municipality", code)
    return code


MunicipalityCode = Annotated[str, Depends(_municipality_code)]


async def _principal(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    verifier: TokenVerifier = request.app.state.verifier
    principal = await verifier.verify(bearer_token(authorization))
    trace.get_current_span().set_attribute("enduser.id", principal.subject)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_principal)]


async def _acting(
    request: Request,
    code: MunicipalityCode,
    authorization: Annotated[str | None, Header()] = None,
    assertion: Annotated[str | None, Header(alias=ASSERTION_HEADER)] = None,
) -> Acting:
    """Through the gateway: its signed assertion (grants honoured). Called directly: the
    caller's own token, for its home municipality only."""
    if assertion:
        verifier: AssertionVerifier = request.app.state.assertions
        acting = verifier.verify(assertion)
    else:
        principal = await _principal(request, authorization)
        acting = Acting(principal=principal, municipality=principal.home_municipality,
                        scopes=principal.scopes, grant_id=None,
                        expires_at=principal.expires_at)
    if acting.municipality != code:
        raise Problem(403, "Forbidden", detail="you may not act for this municipality",
                      kind="forbidden")
    privacy.viewer_is(acting)
    span = trace.get_current_span()
    span.set_attribute("enduser.id", acting.principal.subject)
    if acting.grant_id:
        span.set_attribute("kyodo.grant_id", acting.grant_id)
    return acting


def acting_for(scope: str) -> Callable[..., Coroutine[Any, Any, Acting]]:
    """The caller may act for the path's municipality with this scope."""

    async def check(acting: Annotated[Acting, Depends(_acting)]) -> Acting:
        if not acting.has_scope(scope):
            raise Problem(403, "Forbidden", detail=f"the scope {scope} is required",
                          kind="forbidden")
        return acting

    return check


async def _purpose(
    purpose: Annotated[str | None, Header(
        alias=PURPOSE_HEADER, description="why personal data is read: a purpose code, e.g. "
        "residence-certificate (GET /v1/municipalities/{code}/identity/purposes lists them)",
    )] = None,
) -> str:
    if not purpose or not purpose.strip():
        raise Problem(400, "Purpose required",
                      detail=f"reads of personal data need the {PURPOSE_HEADER} header",
                      kind="purpose-required",
                      invalid_params=[{"name": PURPOSE_HEADER, "reason": "required"}])
    return purposes.check_purpose(purpose)  # a code of the vocabulary, or 422


Purpose = Annotated[str, Depends(_purpose)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


async def _if_match(if_match: Annotated[str | None, Header(alias="If-Match")] = None
                    ) -> int | None:
    """W/"3" → 3: the version the clerk read (None without If-Match)."""
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Problem(400, "Invalid If-Match", kind="invalid-if-match",
                      invalid_params=[{"name": "If-Match", "reason": "use the ETag you read"}])
    return int(value)


IfMatch = Annotated[int | None, Depends(_if_match)]


def etag(version: int) -> str:
    """The weak ETag of a row version."""
    return f'W/"{version}"'


@asynccontextmanager
async def no_lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield


# What a POST's action answers: status, JSON body, extra headers.
Reply = tuple[int, Any, dict[str, str]]


async def idempotent_post(
    *, db: Database, source: str, code: str, caller: Principal, key: str | None, route: str,
    payload: Any, action: Callable[[UnitOfWork], Awaitable[Reply]],
    replayed_headers: Callable[[Any], dict[str, str]] | None = None,
) -> JSONResponse:
    """A POST under the caller's Idempotency-Key: the key, the change, its events and the
    stored response in one transaction; the caller's repeat gets the first response again
    (with the headers ``replayed_headers`` derives from its body) and changes nothing."""
    valid_key = idempotency.validate_key(key)
    fingerprint = idempotency.fingerprint(route, payload)
    whose = idempotency.caller_of(caller)
    async with UnitOfWork(db, source=source, municipality_code=code) as uow:
        previous = await idempotency.claim(uow.session, municipality_code=code, caller=whose,
                                           key=valid_key, request_fingerprint=fingerprint)
        if previous is not None:
            headers = replayed_headers(previous.body) if replayed_headers else None
            return JSONResponse(previous.body, status_code=previous.status, headers=headers)
        status, body, headers = await action(uow)
        idempotency.stage_response(uow.staged, municipality_code=code, caller=whose,
                                   key=valid_key, status=status, body=body)
        await uow.commit()
    return JSONResponse(body, status_code=status, headers=headers)
