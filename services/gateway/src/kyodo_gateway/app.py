"""The gateway as a plain ASGI app: route, authenticate, authorise, trace, forward."""

from __future__ import annotations

import logging

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode, TracerProvider

from kyodo_common.auth import TokenVerifier, bearer_token
from kyodo_common.errors import Problem
from kyodo_common.telemetry import context_from_headers, inject_headers
from kyodo_common.tenancy import current_municipality
from kyodo_gateway.asgi import Receive, Scope, Send
from kyodo_gateway.headers import IncomingRequest, forwarding_headers, read_request
from kyodo_gateway.proxy import Forwarder, payload_too_large
from kyodo_gateway.responses import send_json, send_problem
from kyodo_gateway.routing import Route, Router, may_act_for
from kyodo_gateway.settings import GatewaySettings

TRACER_NAME = "kyodo.gateway"
logger = logging.getLogger("kyodo.gateway")


def internal_error() -> Problem:
    return Problem(500, "Internal error", detail="An unexpected error occurred",
                   kind="internal-error")


def forbidden() -> Problem:
    return Problem(403, "Forbidden", detail="you may not act for this municipality",
                   kind="forbidden")


class Gateway:
    """ASGI callable; FastAPI's routing would cost more than the forwarding itself."""

    def __init__(self, settings: GatewaySettings, *,
                 tracer_provider: TracerProvider | None = None) -> None:
        self.settings = settings
        self.router = Router(settings.upstreams)
        self.verifier = TokenVerifier(jwks_url=settings.jwks_url, issuer=settings.token_issuer,
                                      audience=settings.token_audience)
        self.forwarder = Forwarder(timeout_seconds=settings.upstream_timeout_seconds,
                                   max_body_bytes=settings.max_body_bytes)
        self._tracer = trace.get_tracer(TRACER_NAME, tracer_provider=tracer_provider)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await receive()  # websocket.connect; closing before accepting answers 403
            await send({"type": "websocket.close", "code": 1008})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.forwarder.open()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.forwarder.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path == "/health/live":
            await send_json(send, 200, {"status": "ok"})
            return
        if path == "/health/ready":
            ready = self.forwarder.is_open
            await send_json(send, 200 if ready else 503,
                            {"status": "ready" if ready else "starting"})
            return
        try:
            incoming = read_request(scope["headers"])
        except Problem as problem:  # malformed framing: answered before anything else
            await send_problem(send, problem, path)
            return
        parent = context_from_headers(incoming.trace_carrier) if incoming.trace_carrier else None
        method: str = scope["method"]
        with self._tracer.start_as_current_span(
            method, context=parent, kind=SpanKind.SERVER,
            attributes={"http.request.method": method},
            record_exception=False, set_status_on_exception=False,
        ) as span:
            status = await self._handle(scope, receive, send, incoming, span)
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_status(StatusCode.ERROR)

    async def _handle(self, scope: Scope, receive: Receive, send: Send,
                      incoming: IncomingRequest, span: Span) -> int:
        try:
            route = self.router.route(scope["path"])
            span.update_name(f"{scope['method']} {route.template}")
            span.set_attribute("http.route", route.template)
            span.set_attribute("kyodo.service", route.service)
            if route.municipality is not None:
                await self._authorise(route, incoming, span)
            declared = incoming.content_length
            if declared is not None and declared > self.settings.max_body_bytes:
                raise payload_too_large(self.settings.max_body_bytes)
            return await self.forwarder.forward(
                route=route, scope=scope, receive=receive, send=send,
                headers=self._upstream_headers(scope, incoming), has_body=incoming.has_body,
            )
        except Problem as problem:
            await send_problem(send, problem, scope["path"])
            return problem.status
        except Exception:
            # Nothing has been sent (forward() raises only before the response starts), so
            # even a bug leaves as problem+json rather than uvicorn's plain-text 500.
            logger.exception("unexpected error handling a request")
            await send_problem(send, internal_error(), scope["path"])
            return 500

    async def _authorise(self, route: Route, incoming: IncomingRequest, span: Span) -> None:
        code = route.municipality
        assert code is not None
        span.set_attribute("kyodo.municipality", code)
        current_municipality.set(code)  # for the log lines of this request
        principal = await self.verifier.verify(bearer_token(incoming.authorization))
        if not may_act_for(principal, code):
            raise forbidden()

    @staticmethod
    def _upstream_headers(scope: Scope, incoming: IncomingRequest) -> list[tuple[str, str]]:
        client = scope.get("client")
        headers = incoming.forward
        headers.extend(forwarding_headers(incoming, client[0] if client else None,
                                          scope["scheme"]))
        # The gateway's span becomes the parent of the service's server span: one trace.
        headers.extend(inject_headers().items())
        return headers


def create_app(settings: GatewaySettings | None = None, *,
               tracer_provider: TracerProvider | None = None) -> Gateway:
    """The composition root; tests pass their own settings and tracer provider."""
    return Gateway(settings or GatewaySettings(), tracer_provider=tracer_provider)
