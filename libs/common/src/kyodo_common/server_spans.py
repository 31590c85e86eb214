"""Server spans only for the requests whose trace is recorded (issue #22: CPU per request).

The gateway gives every request a ``traceparent``: sampled for the traces it records (a budget
per second, or the caller's own sampled trace), unsampled for all the others. OpenTelemetry's
ASGI middleware does its whole work for an unsampled request too (the route found by matching
the routes, the request's attributes collected, its metric instruments called) to end with a
span that records nothing. For such a request this middleware only makes the request's context
what OpenTelemetry would have made it: a span that records nothing, of the caller's trace, with
its own span id when the SDK is installed (what the SDK's tracer gives an unsampled span), the
caller's span itself without it (what the API's no-op tracer gives). So the trace id reaches
the access log, the outbox's ``traceparent``, the logs and ``X-Kyodo-Trace-Id`` as before.
Whether a span would be recorded is asked of the installed sampler itself, so a sampler that
records more (``OTEL_TRACES_SAMPLER``) still gets every span it wants through the middleware.
Requests without a ``traceparent``, or with a sampled one, go through the middleware unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opentelemetry import context, trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Receive, Scope, Send

_propagator = TraceContextTextMapPropagator()
_RANDOM_TRACE_ID = getattr(TraceFlags, "RANDOM_TRACE_ID", 0)


def _unrecorded_span(headers: list[tuple[bytes, bytes]]) -> NonRecordingSpan | None:
    """The request's span when it carries a trace context that no span will be recorded for;
    None when the middleware must decide (no or a sampled ``traceparent``, one sent twice)."""
    carrier: dict[str, str] = {}
    for name, value in headers:
        if name in (b"traceparent", b"tracestate"):
            key = name.decode("latin-1")
            if key in carrier:
                return None
            carrier[key] = value.decode("latin-1")
    if "traceparent" not in carrier:
        return None
    parent_context = _propagator.extract(carrier)
    parent = trace.get_current_span(parent_context).get_span_context()
    if not parent.is_valid or parent.trace_flags.sampled:
        return None
    provider: Any = trace.get_tracer_provider()
    sampler = getattr(provider, "sampler", None)
    if sampler is None:  # no SDK: the no-op tracer's span is the caller's
        return NonRecordingSpan(parent)
    decision = sampler.should_sample(parent_context, parent.trace_id, "HTTP", SpanKind.SERVER)
    if decision.decision.is_recording():
        return None
    # As the SDK's tracer makes an unsampled span: its own span id, the sampler's trace
    # state, not sampled (keeping the caller's random-trace-id flag).
    span_id = provider.id_generator.generate_span_id()
    flags = TraceFlags(parent.trace_flags & _RANDOM_TRACE_ID)
    return NonRecordingSpan(SpanContext(parent.trace_id, span_id, is_remote=False,
                                        trace_flags=flags, trace_state=decision.trace_state))


class UnsampledRequests:
    """Sends requests that no span will be recorded for past OpenTelemetry's middleware."""

    def __init__(self, traced: ASGIApp, untraced: ASGIApp) -> None:
        self.traced = traced
        self.untraced = untraced

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        span = _unrecorded_span(scope["headers"]) if scope["type"] == "http" else None
        if span is None:
            await self.traced(scope, receive, send)
            return
        token = context.attach(trace.set_span_in_context(span))
        try:
            await self.untraced(scope, receive, send)
        finally:
            context.detach(token)


def bypass_for_unsampled(build: Callable[[], ASGIApp]) -> Callable[[], ASGIApp]:
    """Wraps the FastAPI instrumentor's ``build_middleware_stack`` (its stack is
    ServerErrorMiddleware → OpenTelemetryMiddleware → the app's own stack): unsampled requests
    go straight to the app's own stack. Any other shape is left as it is."""

    def build_middleware_stack() -> ASGIApp:
        stack: Any = build()
        otel = getattr(stack, "app", None)
        if not isinstance(otel, OpenTelemetryMiddleware):
            return stack  # type: ignore[no-any-return]
        return UnsampledRequests(traced=stack, untraced=otel.app)

    return build_middleware_stack
