"""Requests whose trace is not recorded skip OpenTelemetry's ASGI middleware (issue #22), and
still carry their trace: the same trace id in the route, the answer's X-Kyodo-Trace-Id and the
request log; sampled requests and requests without a traceparent still go through it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from opentelemetry.instrumentation import asgi as otel_asgi
from opentelemetry.sdk.trace import TracerProvider

from kyodo_common import server_spans
from kyodo_common.telemetry import current_trace_id
from kyodo_common.web import create_service_app, no_lifespan

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT = "b7ad6b7169203331"


@pytest.fixture
def middleware_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time OpenTelemetry's middleware collects a request's attributes."""
    calls: list[int] = []
    original = otel_asgi.collect_request_attributes

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(otel_asgi, "collect_request_attributes", counting)
    return calls


async def _get(headers: dict[str, str]) -> httpx.Response:
    router = APIRouter()

    @router.get("/v1/municipalities/{code}/things")
    async def things(code: str) -> dict[str, Any]:
        return {"trace_id": current_trace_id()}

    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=1000)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get("/v1/municipalities/152048/things", headers=headers)


async def test_an_unsampled_request_skips_the_middleware_and_keeps_its_trace(
        middleware_calls: list[int]) -> None:
    response = await _get({"traceparent": f"00-{TRACE_ID}-{PARENT}-00"})
    assert response.status_code == 200
    assert middleware_calls == []
    assert response.json() == {"trace_id": TRACE_ID}
    assert response.headers["x-kyodo-trace-id"] == TRACE_ID


@pytest.mark.parametrize("headers", [
    {"traceparent": f"00-{TRACE_ID}-{PARENT}-01"},  # sampled: its span is recorded
    {},  # no trace context: the middleware starts one
    {"traceparent": "00-not-a-trace-00"},  # not valid: the middleware decides
])
async def test_other_requests_go_through_the_middleware(middleware_calls: list[int],
                                                        headers: dict[str, str]) -> None:
    response = await _get(headers)
    assert response.status_code == 200
    assert middleware_calls == [1]


def test_with_the_sdk_an_unsampled_span_gets_its_own_span_id(
        monkeypatch: pytest.MonkeyPatch) -> None:
    provider = TracerProvider()
    monkeypatch.setattr(server_spans.trace, "get_tracer_provider", lambda: provider)
    header = (b"traceparent", f"00-{TRACE_ID}-{PARENT}-00".encode())
    span = server_spans._unrecorded_span([header])
    assert span is not None
    context = span.get_span_context()
    assert format(context.trace_id, "032x") == TRACE_ID
    assert format(context.span_id, "016x") != PARENT
    assert not context.trace_flags.sampled and not span.is_recording()


def test_a_sampler_that_records_unsampled_parents_keeps_the_middleware(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry.sdk.trace.sampling import ALWAYS_ON

    provider = TracerProvider(sampler=ALWAYS_ON)
    monkeypatch.setattr(server_spans.trace, "get_tracer_provider", lambda: provider)
    assert server_spans._unrecorded_span(
        [(b"traceparent", f"00-{TRACE_ID}-{PARENT}-00".encode())]) is None


def test_a_traceparent_sent_twice_is_left_to_the_middleware() -> None:
    value = f"00-{TRACE_ID}-{PARENT}-00".encode()
    assert server_spans._unrecorded_span([(b"traceparent", value),
                                          (b"traceparent", value)]) is None
