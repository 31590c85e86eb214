"""The service app factory and the dependencies every route reads like a sentence with."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from opentelemetry import trace
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationInfo,
    field_validator,
)
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kyodo_common import audit, docs_pages, openapi, privacy, purposes
from kyodo_common.assertion import ASSERTION_HEADER, Acting, AssertionVerifier
from kyodo_common.auth import Principal, TokenVerifier, bearer_token
from kyodo_common.db import Database
from kyodo_common.errors import (
    TRACE_ID_HEADER,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    RuleBroken,
    TooLarge,
    install_problem_handlers,
    problem_response,
)
from kyodo_common.metrics import HttpMetrics, exposition
from kyodo_common.security_headers import SecurityHeaders
from kyodo_common.server_spans import bypass_for_unsampled
from kyodo_common.telemetry import current_trace_id
from kyodo_common.tenancy import current_municipality, is_valid_municipality_code
from kyodo_common.text import Multiline, find_forbidden, forbidden_character, refuse_controls

PURPOSE_HEADER = "X-Kyodo-Purpose"
# Headers optional in a signature only because their dependency answers its own problem when
# one is missing: the published document marks them required (kyodo_common.openapi).
REQUIRED: dict[str, Any] = {openapi.REQUIRED_MARK: True}


class ApiModel(BaseModel):
    """Base of request bodies: unknown fields are refused, not silently dropped; no string
    anywhere in a field holds a control character (tab, LF and CR only in a field marked
    `Annotated[str, MULTILINE]`), a lone surrogate or a non-character (kyodo_common.text).
    Every field is checked, so a field added later cannot forget it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        # Runs for every field of every request, on the value as it came (before
        # str_strip_whitespace would quietly drop a trailing U+0085 or U+000B): the common
        # cases cost one check in C.
        if value.__class__ is str:
            multiline = info.field_name in _fields_of(cls)[0]
            if forbidden_character(value, multiline=multiline) is not None:
                # The line breaks and spaces a form leaves at the ends may go.
                _refuse(find_forbidden(value.strip(" \t\r\n"), multiline=multiline))
        elif value.__class__ in (dict, list):
            multiline_fields, of_api_models = _fields_of(cls)
            if info.field_name not in of_api_models:  # those check their own fields
                _refuse(find_forbidden(value, multiline=info.field_name in multiline_fields))
        return value


_FIELDS: dict[type[BaseModel], tuple[frozenset[str], frozenset[str]]] = {}


def _fields_of(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """The fields of `model` marked MULTILINE, and those holding ApiModels (once per model)."""
    found = _FIELDS.get(model)
    if found is None:
        fields = model.model_fields
        found = (frozenset(name for name, field in fields.items()
                           if any(isinstance(m, Multiline) for m in field.metadata)),
                 frozenset(name for name, field in fields.items()
                           if _holds_api_model(field.annotation)))
        _FIELDS[model] = found
    return found


def _holds_api_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, ApiModel):
        return True
    return any(_holds_api_model(arg) for arg in get_args(annotation))


def _refuse(found: tuple[str, str] | None) -> None:
    if found is not None:
        place, reason = found
        raise ValueError(f"{place.lstrip('.')}: {reason}" if place else reason)


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


class TraceIdHeader:
    """Every answer names its trace (X-Kyodo-Trace-Id), so that a clerk's screenshot or a
    partner's log leads operations to the request in every service's logs and traces.
    Inside OpenTelemetry's middleware: the request's span is current when the answer starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_trace_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", ())
                trace_id = current_trace_id()
                if trace_id is not None and not any(n == _TRACE_ID_HEADER for n, _ in headers):
                    message["headers"] = [*headers, (_TRACE_ID_HEADER, trace_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_trace_id)


_TRACE_ID_HEADER = TRACE_ID_HEADER.lower().encode()


class FreshRequestContext:
    """Each HTTP request starts from the given values of these context variables (what the
    caller may see, the terminal it comes from), and they are reset after it: an app called in
    its caller's task (an in-process test client) must not leave them behind."""

    def __init__(self, app: ASGIApp,
                 variables: Sequence[tuple[ContextVar[Any], Any]]) -> None:
        self.app = app
        self.variables = variables

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tokens = [(variable, variable.set(value)) for variable, value in self.variables]
        try:
            await self.app(scope, receive, send)
        finally:
            for variable, token in reversed(tokens):
                variable.reset(token)


# A control character in a header (other than tab) breaks HTTP and must not reach storage.
_HEADER_CONTROLS = bytes(range(0x09)) + bytes(range(0x0A, 0x20)) + b"\x7f"


def _has_header_control(value: bytes) -> bool:
    return len(value.translate(None, _HEADER_CONTROLS)) != len(value)  # C-fast, unlike re


async def _refuse_control_characters(request: Request) -> None:
    """Every route's first dependency: path and query parameters (names too) hold no control
    characters, and headers none but tab. Bodies are checked by ApiModel. One search per part
    of the request; the parameter is looked for only when something was found."""
    scope = request.scope
    if forbidden_character(scope["path"]) is not None:
        for name, value in request.path_params.items():
            if isinstance(value, str):
                refuse_controls(name, value)
        refuse_controls("path", scope["path"])
    if scope.get("query_string"):
        for name, value in request.query_params.multi_items():
            refuse_controls("query", name)
            refuse_controls(name, value)
    headers = scope["headers"]
    if _has_header_control(b" ".join([value for _, value in headers])):
        for raw_name, raw_value in headers:
            if _has_header_control(raw_value):
                refuse_controls(raw_name.decode("latin-1"), raw_value.decode("latin-1"))


# The one place a domain error meets HTTP: its class decides the status (the nearest class
# in its MRO that is listed); its type, title, detail and fields go into the body unchanged.
STATUS_OF: dict[type[DomainError], int] = {
    NotFound: 404, Conflict: 409, InvalidInput: 422, RuleBroken: 422, Forbidden: 403,
    PreconditionRequired: 428, PreconditionFailed: 412, TooLarge: 413, DomainError: 422,
}


def problem_of(error: DomainError) -> Problem:
    status = next(STATUS_OF[c] for c in type(error).__mro__ if c in STATUS_OF)
    return Problem(status, error.title, detail=error.detail, kind=error.kind,
                   invalid_params=error.invalid_params, extensions=error.extensions)


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(problem_of(exc), request.url.path)


def _operation_id(route: APIRoute) -> str:
    """The route's function name (`move_in`, `issue_residence_certificate`): what a generated
    client calls the operation. Unique across the platform (tests/contract)."""
    return route.name


def create_service_app(
    *,
    title: str,
    routers: Sequence[APIRouter],
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    max_body_bytes: int,
    ready: Callable[[FastAPI], Coroutine[Any, Any, None]] | None = None,
    examples: Mapping[str, openapi.Example | tuple[openapi.Example, ...]] | None = None,
) -> FastAPI:
    # FastAPI's own pages load their code from a CDN: ours serve it from a package.
    app = _ServiceApp(title=title, lifespan=lifespan, docs_url=None, redoc_url=None,
                      dependencies=[Depends(_refuse_control_characters)],
                      generate_unique_id_function=_operation_id)
    install_problem_handlers(app)
    app.add_exception_handler(DomainError, _on_domain_error)
    openapi.install(app, examples)
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

    @app.get(docs_pages.DOCS, include_in_schema=False)
    async def swagger_ui() -> Response:
        return Response(docs_pages.swagger_ui(f"{title} – docs"), media_type="text/html")

    @app.get(docs_pages.REDOC, include_in_schema=False)
    async def redoc() -> Response:
        return Response(docs_pages.redoc(f"{title} – docs"), media_type="text/html")

    @app.get(docs_pages.OAUTH2_REDIRECT, include_in_schema=False)
    async def oauth2_redirect() -> Response:
        return Response(docs_pages.oauth2_redirect(), media_type="text/html")

    @app.get(docs_pages.ASSETS + "{version}/{name}", include_in_schema=False)
    async def docs_asset(request: Request) -> Response:
        found = docs_pages.asset(request.url.path)
        if found is None:
            raise Problem(404, "Not found", detail="no such asset", kind="not-found")
        content_type, body = found
        return Response(body, media_type=content_type.decode(),
                        headers={"cache-control": docs_pages.ASSET_CACHE_CONTROL.decode()})

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # One server span per request; the per-message receive/send spans cost more than they tell.
    FastAPIInstrumentor.instrument_app(app, excluded_urls="health/.*",
                                       exclude_spans=["receive", "send"])
    # Requests whose trace is not recorded skip the instrumentation's work (server_spans).
    app.build_middleware_stack = bypass_for_unsampled(  # type: ignore[method-assign]
        app.build_middleware_stack)
    app.add_middleware(TraceIdHeader)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(FreshRequestContext,
                       variables=(privacy.AT_REQUEST_START, audit.AT_REQUEST_START))
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


_TERMINAL = re.compile(r"^[\x21-\x7e]{1,64}$")


def _terminal(value: str | None, principal: Principal) -> str | None:
    """What the access log records as the terminal/client: the counter's terminal as the
    frontend names it, and a partner system by its client id."""
    if value is not None and not _TERMINAL.match(value):
        raise Problem(422, "Invalid terminal", kind="invalid-input",
                      detail=f"{audit.TERMINAL_HEADER} names the terminal in 1 to 64 printable "
                             "ASCII characters, e.g. honcho-window-3",
                      invalid_params=[{"name": audit.TERMINAL_HEADER,
                                       "reason": "1 to 64 printable ASCII characters"}])
    if principal.kind == "client":
        return f"client:{principal.subject}" + (f"/{value}" if value else "")
    return value


async def _acting(
    request: Request,
    code: MunicipalityCode,
    authorization: Annotated[str | None, Header()] = None,
    assertion: Annotated[str | None, Header(alias=ASSERTION_HEADER)] = None,
    terminal: Annotated[str | None, Header(
        alias=audit.TERMINAL_HEADER,
        description="the counter terminal the clerk works at (recorded in the access log)",
    )] = None,
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
    audit.current_terminal.set(_terminal(terminal, acting.principal))
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


def acting_for_any(*scopes: str) -> Callable[..., Coroutine[Any, Any, Acting]]:
    """The caller may act for the path's municipality with one of these scopes."""

    async def check(acting: Annotated[Acting, Depends(_acting)]) -> Acting:
        if not any(acting.has_scope(scope) for scope in scopes):
            raise Problem(403, "Forbidden", kind="forbidden",
                          detail=f"one of the scopes {', '.join(scopes)} is required")
        return acting

    return check


async def _purpose(
    purpose: Annotated[str | None, Header(
        alias=PURPOSE_HEADER, description="why personal data is read: a purpose code, e.g. "
        "residence-certificate (GET /v1/municipalities/{code}/identity/purposes lists them)",
        json_schema_extra=REQUIRED, examples=["residence-certificate"],
    )] = None,
) -> str:
    if not purpose or not purpose.strip():
        raise Problem(400, "Purpose required",
                      detail=f"reads of personal data need the {PURPOSE_HEADER} header",
                      kind="purpose-required",
                      invalid_params=[{"name": PURPOSE_HEADER, "reason": "required"}])
    return purposes.check_purpose(purpose)  # a code of the vocabulary, or 422


Purpose = Annotated[str, Depends(_purpose)]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", json_schema_extra=REQUIRED, examples=["7f0c1e7e-window-3-0412"],
    description="one key per intended change (e.g. a UUID made when the form opens): a repeat "
                "with the same key and body gets the first answer and changes nothing")]


async def _if_match(if_match: Annotated[str | None, Header(
        alias="If-Match", json_schema_extra=REQUIRED, examples=['W/"3"'],
        description="the ETag of the record as the clerk read it")] = None
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
