"""HTTP metrics of the service apps and the /metrics listener of workers and the gateway."""

from __future__ import annotations

import asyncio
import time

import httpx
from fastapi import APIRouter
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from kyodo_common.errors import Problem
from kyodo_common.metrics import SLOW_SECONDS, HttpMetrics, RequestMetrics, serve_metrics
from kyodo_common.tenancy import is_valid_municipality_code, municipality_check_digit
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


async def test_a_request_counts_under_its_route_template_method_status_and_tenant() -> None:
    async with _client() as client:
        before = await _scrape(client)
        assert (await client.get(f"/v1/municipalities/{SANJO}/things/T-12345")).status_code == 200
        assert (await client.get(f"/v1/municipalities/{SANJO}/things/broken")).status_code == 409
        after = await _scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"route": TEMPLATE, "method": "GET"}
    assert delta("kyodo_http_requests_total", **ok, status="200") == 1
    assert delta("kyodo_http_requests_total", **ok, status="409") == 1
    assert delta("kyodo_http_request_duration_seconds_count", **ok) == 2
    assert delta("kyodo_http_request_duration_seconds_bucket", **ok, le="+Inf") == 2
    assert delta("kyodo_http_tenant_requests_total", tenant=SANJO, status_class="2xx") == 1
    assert delta("kyodo_http_tenant_requests_total", tenant=SANJO, status_class="4xx") == 1
    # Quick answers: the tenant's slow counter is there, at 0.
    assert (("tenant", SANJO),) in samples(after, "kyodo_http_tenant_slow_requests_total")
    assert delta("kyodo_http_tenant_slow_requests_total", tenant=SANJO) == 0
    # The tenant labels only its own counters, never a histogram or a route's counter.
    for name in ("kyodo_http_requests_total", "kyodo_http_request_duration_seconds_bucket"):
        assert all("tenant" not in dict(key) for key in samples(after, name))
    assert "_created" not in after  # no timestamp series beside each counter
    assert "T-12345" not in after  # the raw path (ids, personal data) is never a label


def test_an_answer_slower_than_the_target_counts_for_its_tenant() -> None:
    registry = CollectorRegistry()
    metrics = HttpMetrics(None, RequestMetrics.register(registry))  # type: ignore[arg-type]
    scope = {"path_params": {"code": SANJO}, "method": "GET"}
    metrics.observe(scope, 200, SLOW_SECONDS + 0.01)
    metrics.observe(scope, 200, SLOW_SECONDS)
    metrics.observe(scope, 503, 2.0)
    text = generate_latest(registry).decode()
    assert value(text, "kyodo_http_tenant_slow_requests_total", tenant=SANJO) == 2
    assert value(text, "kyodo_http_tenant_requests_total", tenant=SANJO,
                 status_class="2xx") == 2
    assert value(text, "kyodo_http_tenant_requests_total", tenant=SANJO,
                 status_class="5xx") == 1
    assert value(text, "kyodo_http_requests_total", route="unmatched", method="GET",
                 status="503") == 1


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

    def delta(name: str = "kyodo_http_requests_total", **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(route=TEMPLATE, method="GET", status="404") == 1
    assert delta(route="unmatched", method="GET", status="404") == 1
    assert delta(route="/v1/municipalities/{code}/things", method="POST", status="500") == 1
    # Refused before routing: counted, without a route or tenant.
    assert delta(route="unmatched", method="POST", status="413") == 1
    # The invalid code, the unknown path and the refusal before routing under no tenant; the
    # handler's failure under the town.
    tenants = "kyodo_http_tenant_requests_total"
    assert delta(tenants, tenant="", status_class="4xx") == 3
    assert delta(tenants, tenant=SANJO, status_class="5xx") == 1
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

    class Route:
        path_format = TEMPLATE

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        scope["route"] = Route()
        scope["path_params"] = {"code": SANJO, "thing_id": "1"}
        await send({"type": "http.response.start", "status": 200})  # type: ignore[operator]

    async def send(message: object) -> None:
        return None

    measured = HttpMetrics(app, RequestMetrics.register(registry))  # type: ignore[arg-type]
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


# Six route templates a counter uses, with their method, answered with four statuses.
NATIONAL_ROUTES = (("/v1/municipalities/{code}/residents/{resident_id}", "GET"),
                   ("/v1/municipalities/{code}/residents", "POST"),
                   ("/v1/municipalities/{code}/households/{household_id}", "GET"),
                   ("/v1/municipalities/{code}/certificates", "POST"),
                   ("/v1/municipalities/{code}/tax/assessments", "GET"),
                   ("/v1/municipalities/{code}/procedures", "POST"))
NATIONAL_STATUSES = (200, 400, 404, 500)
# Before issue #22: 240,258 series (every tenant × route × method × status a counter and its
# _created, every tenant × route × method a histogram of 15: 12 buckets, sum, count, _created).
SERIES_BEFORE = 240_258


def national_codes(count: int = 1741) -> list[str]:
    """As many valid municipality codes as Japan has (check digits right; not the real list)."""
    firsts = [f"{pref:02d}{n:03d}" for n in range(201, 300) for pref in range(1, 48)]
    return [first + str(municipality_check_digit(first)) for first in firsts[:count]]


def test_series_stay_bounded_when_every_town_of_japan_uses_every_route() -> None:
    """1,741 tenants × 6 routes × 4 statuses: the exported series grow with the tenants only
    by their per-tenant counters (status class and slow answers), not by route × histogram."""
    codes = national_codes()
    assert len(set(codes)) == 1741 and all(map(is_valid_municipality_code, codes))

    class Route:
        def __init__(self, template: str) -> None:
            self.path_format = template

    registry = CollectorRegistry()
    metrics = HttpMetrics(None, RequestMetrics.register(registry))  # type: ignore[arg-type]
    for template, method in NATIONAL_ROUTES:
        route = Route(template)
        for code in codes:
            scope = {"route": route, "path_params": {"code": code}, "method": method}
            for status in NATIONAL_STATUSES:
                metrics.observe(scope, status, 0.4 if status == 500 else 0.01)
    series = sum(1 for family in text_string_to_metric_families(
        generate_latest(registry).decode()) for _ in family.samples)
    served = len(codes) * len(NATIONAL_ROUTES) * len(NATIONAL_STATUSES)
    # Per tenant: requests by status class (2xx, 4xx, 5xx) and slow answers; per route and
    # method: a counter per status and one histogram (12 buckets, sum, count).
    bound = len(codes) * 4 + len(NATIONAL_ROUTES) * (len(NATIONAL_STATUSES) + 14)
    assert series <= bound, (f"{series:,} series for {served:,} label sets of 1,741 tenants "
                            f"(bound {bound:,}; {SERIES_BEFORE:,} before issue #22)")
    print(f"metrics series for 1,741 tenants × 6 routes × 4 statuses: {series:,} "
          f"(before issue #22: {SERIES_BEFORE:,})")


def test_a_refused_caller_makes_no_series_for_the_towns_it_names() -> None:
    """Anyone can name every code with a valid check digit (~100,000): a 401 or 403 is
    counted without the tenant, so only towns a caller may ask of get series of their own."""
    codes = national_codes()

    class Route:
        path_format = "/v1/municipalities/{code}/residents/{resident_id}"

    registry = CollectorRegistry()
    metrics = HttpMetrics(None, RequestMetrics.register(registry))  # type: ignore[arg-type]
    for code in codes:
        for status in (401, 403):
            metrics.observe({"route": Route(), "path_params": {"code": code},
                             "method": "GET"}, status, 0.01)
    metrics.observe({"route": Route(), "path_params": {"code": codes[0]}, "method": "GET"},
                    200, 0.01)
    tenants = {s.labels["tenant"] for family in text_string_to_metric_families(
        generate_latest(registry).decode()) for s in family.samples if "tenant" in s.labels}
    assert tenants == {"", codes[0]}
