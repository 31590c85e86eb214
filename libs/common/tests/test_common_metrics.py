"""HTTP metrics of the service apps and the /metrics listener of workers and the gateway."""

from __future__ import annotations

import asyncio
import time

import httpx
from fastapi import APIRouter
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.parser import text_string_to_metric_families

from kyodo_common.errors import Problem
from kyodo_common.metrics import HttpMetrics, serve_metrics
from kyodo_common.web import MunicipalityCode, create_service_app, no_lifespan

SANJO = "152048"
TEMPLATE = "/v1/municipalities/{code}/things/{thing_id}"
router = APIRouter()


@router.get(TEMPLATE)
async def read_thing(code: MunicipalityCode, thing_id: str) -> dict[str, str]:
    if thing_id == "broken":
        raise Problem(409, "Conflict", detail="broken thing", kind="conflict")
    return {"id": thing_id}


@router.post("/v1/municipalities/{code}/things")
async def add_thing(code: MunicipalityCode) -> dict[str, str]:
    raise RuntimeError("the handler failed")


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text, name).get(tuple(sorted(labels.items())), 0.0)


async def _scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def _client() -> httpx.AsyncClient:
    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=100)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_a_request_counts_under_its_tenant_route_template_method_and_status() -> None:
    async with _client() as client:
        before = await _scrape(client)
        assert (await client.get(f"/v1/municipalities/{SANJO}/things/T-12345")).status_code == 200
        assert (await client.get(f"/v1/municipalities/{SANJO}/things/broken")).status_code == 409
        after = await _scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"tenant": SANJO, "route": TEMPLATE, "method": "GET"}
    assert delta("kyodo_http_requests_total", **ok, status="200") == 1
    assert delta("kyodo_http_requests_total", **ok, status="409") == 1
    assert delta("kyodo_http_request_duration_seconds_count", **ok) == 2
    assert delta("kyodo_http_request_duration_seconds_bucket", **ok, le="+Inf") == 2
    assert "T-12345" not in after  # the raw path (ids, personal data) is never a label


async def test_invalid_codes_unknown_paths_failures_and_refusals_are_counted_safely() -> None:
    async with _client() as client:
        before = await _scrape(client)
        await client.get("/v1/municipalities/999999/things/x")  # no such municipality
        await client.get("/no/such/path/8f14e45f")
        failed = await client.post(f"/v1/municipalities/{SANJO}/things")
        too_big = await client.post(f"/v1/municipalities/{SANJO}/things", content=b"x" * 101)
        await client.get("/health/live")
        after = await _scrape(client)
    assert failed.status_code == 500 and too_big.status_code == 413

    def delta(**labels: str) -> float:
        return (value(after, "kyodo_http_requests_total", **labels)
                - value(before, "kyodo_http_requests_total", **labels))

    assert delta(tenant="", route=TEMPLATE, method="GET", status="404") == 1
    assert delta(tenant="", route="unmatched", method="GET", status="404") == 1
    post = {"tenant": SANJO, "route": "/v1/municipalities/{code}/things", "method": "POST"}
    assert delta(**post, status="500") == 1
    # Refused before routing: counted, without a route or tenant.
    assert delta(tenant="", route="unmatched", method="POST", status="413") == 1
    # Label values only: a sample's value may well contain the digits 999999.
    labels = {v for family in text_string_to_metric_families(after)
              for sample in family.samples for v in sample.labels.values()}
    for junk in ("999999", "8f14e45f", "/health/live", "/metrics"):
        assert not any(junk in label for label in labels)


def test_the_metrics_endpoint_is_not_in_the_openapi_document() -> None:
    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=100)
    assert "/metrics" not in app.openapi()["paths"]


def test_the_middleware_costs_a_few_microseconds_per_request() -> None:
    """Measured against the same app without it (the figure in docs/adr/0008-metrics.md);
    bounded loosely here, as this machine is shared."""
    registry = CollectorRegistry()
    requests = Counter("r", "r", ["tenant", "route", "method", "status"], registry=registry)
    from prometheus_client import Histogram

    latency = Histogram("l", "l", ["tenant", "route", "method"], registry=registry)

    class Route:
        path_format = TEMPLATE

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        scope["route"] = Route()
        scope["path_params"] = {"code": SANJO, "thing_id": "1"}
        await send({"type": "http.response.start", "status": 200})  # type: ignore[operator]

    async def send(message: object) -> None:
        return None

    measured = HttpMetrics(app, requests, latency)  # type: ignore[arg-type]
    scope = {"type": "http", "path": f"/v1/municipalities/{SANJO}/things/1", "method": "GET"}

    async def run(target: object, rounds: int) -> float:
        started = time.perf_counter()
        for _ in range(rounds):
            await target(dict(scope), None, send)  # type: ignore[operator]
        return (time.perf_counter() - started) / rounds

    async def compare() -> float:
        await run(measured, 1000)  # warm the cached children
        overheads = [await run(measured, 5000) - await run(app, 5000) for _ in range(3)]
        return min(overheads)

    overhead = asyncio.run(compare())
    print(f"metrics middleware: {overhead * 1e6:.2f} µs per request")
    assert overhead < 50e-6, f"{overhead * 1e6:.1f} µs per request"


async def test_the_metrics_listener_answers_metrics_and_nothing_else() -> None:
    registry = CollectorRegistry()
    Counter("kyodo_test_events", "events", registry=registry).inc(3)
    server = await serve_metrics("127.0.0.1", 0, registry)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            scraped = await client.get("/metrics")
            assert scraped.status_code == 200
            assert value(scraped.text, "kyodo_test_events_total") == 3
            assert (await client.get("/other")).status_code == 404
        # Not HTTP at all: the connection is closed, the listener carries on.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"\x00" * 100 + b"\r\n\r\n")
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 5) == b""
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
