"""The gateway's /metrics: requests by route template, method and status, their latency, and
requests per tenant by status class with its slow answers, served on the metrics port only (the
public port does not answer it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from gateway_kit import HOME, Echo, Identity, bearer, make_token, running_gateway, serve_aiohttp
from prometheus_client.parser import text_string_to_metric_families

from kyodo_common.tenancy import municipality_check_digit
from kyodo_gateway.app import Gateway
from kyodo_gateway.metrics import GatewayMetrics

pytestmark = pytest.mark.timeout(60)
RESIDENTS = "/v1/municipalities/{code}/residents"


@pytest.fixture(scope="module")
async def setup() -> AsyncIterator[tuple[Gateway, str]]:
    async with serve_aiohttp(Identity().handle) as identity_url, \
            serve_aiohttp(Echo().handle) as upstream_url, \
            running_gateway(identity_url, upstream_url, KYODO_METRICS_PORT=0) as running:
        yield running


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _value(text: str, name: str, **labels: str) -> float:
    return _samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


async def _scrape(gateway: Gateway) -> str:
    assert gateway.metrics_port is not None
    async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
        response = await client.get(f"http://127.0.0.1:{gateway.metrics_port}/metrics")
    assert response.status_code == 200
    return response.text


async def test_requests_count_by_route_template_method_and_status_and_by_tenant(
    setup: tuple[Gateway, str],
) -> None:
    gateway, url = setup
    before = await _scrape(gateway)
    token = bearer(make_token())
    async with httpx.AsyncClient(base_url=url, timeout=5, trust_env=False) as client:
        ok = await client.get(f"/v1/municipalities/{HOME}/residents/R-777", headers=token)
        refused = await client.get(f"/v1/municipalities/{HOME}/residents/R-777")
        unknown = await client.get("/v1/no-such-route/abc")
        await client.get("/health/live")
    assert (ok.status_code, refused.status_code, unknown.status_code) == (200, 401, 404)
    after = await _scrape(gateway)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    route = {"route": RESIDENTS, "method": "GET"}
    assert delta("kyodo_http_requests_total", **route, status="200") == 1
    assert delta("kyodo_http_requests_total", **route, status="401") == 1
    assert delta("kyodo_http_requests_total", route="unmatched", method="GET",
                 status="404") == 1
    assert delta("kyodo_http_request_duration_seconds_count", **route) == 2
    assert delta("kyodo_http_request_duration_seconds_bucket", **route, le="+Inf") == 2
    assert delta("kyodo_http_tenant_requests_total", tenant=HOME, status_class="2xx") == 1
    # The 401 is not the town's: a caller without a token is counted under no tenant.
    assert delta("kyodo_http_tenant_requests_total", tenant=HOME, status_class="4xx") == 0
    assert delta("kyodo_http_tenant_requests_total", tenant="", status_class="4xx") == 2
    assert ("kyodo_http_tenant_slow_requests_total", (("tenant", HOME),)) in _samples(after)
    assert "R-777" not in after and "no-such-route" not in after and "/health" not in after


async def test_the_public_port_does_not_serve_metrics(setup: tuple[Gateway, str]) -> None:
    _, url = setup
    async with httpx.AsyncClient(base_url=url, timeout=5, trust_env=False) as client:
        response = await client.get("/metrics")
    assert response.status_code == 404


def test_buckets_are_cumulative_the_sum_is_kept_and_tenants_count_by_class() -> None:
    metrics = GatewayMetrics()
    for seconds in (0.001, 0.004, 0.2, 30.0):
        metrics.observe(HOME, RESIDENTS, b"GET", 200, seconds)
    metrics.observe(HOME, RESIDENTS, b"BREW", 501, 0.001)
    metrics.observe(HOME, "/v1/municipalities/{code}/tax", b"GET", 503, 0.5)
    from prometheus_client import generate_latest

    text = generate_latest(metrics.registry).decode()
    labels = {"route": RESIDENTS, "method": "GET"}
    assert _value(text, "kyodo_http_request_duration_seconds_bucket", **labels, le="0.005") == 2
    assert _value(text, "kyodo_http_request_duration_seconds_bucket", **labels, le="0.25") == 3
    assert _value(text, "kyodo_http_request_duration_seconds_bucket", **labels, le="10.0") == 3
    assert _value(text, "kyodo_http_request_duration_seconds_bucket", **labels, le="+Inf") == 4
    assert _value(text, "kyodo_http_request_duration_seconds_count", **labels) == 4
    assert _value(text, "kyodo_http_request_duration_seconds_sum", **labels) == pytest.approx(
        30.205)
    assert _value(text, "kyodo_http_requests_total", route=RESIDENTS,
                  method="OTHER", status="501") == 1
    assert _value(text, "kyodo_http_tenant_requests_total", tenant=HOME,
                  status_class="2xx") == 4
    assert _value(text, "kyodo_http_tenant_requests_total", tenant=HOME,
                  status_class="5xx") == 2  # 501 and 503
    assert _value(text, "kyodo_http_tenant_slow_requests_total", tenant=HOME) == 2  # 30 s, 0.5 s


# Six route templates the gateway routes to, with their method, answered with four statuses.
NATIONAL_ROUTES = ((RESIDENTS, b"GET"), (RESIDENTS, b"POST"),
                   ("/v1/municipalities/{code}/certificates", b"POST"),
                   ("/v1/municipalities/{code}/certificates", b"GET"),
                   ("/v1/municipalities/{code}/tax", b"GET"),
                   ("/v1/municipalities/{code}/disaster", b"POST"))
NATIONAL_STATUSES = (200, 401, 404, 502)
# Before issue #22: 188,028 series (every tenant × route × method × status a counter, every
# tenant × route × method a histogram of 14: 12 buckets, sum and count).
SERIES_BEFORE = 188_028


def _national_codes(count: int = 1741) -> list[str]:
    """As many valid municipality codes as Japan has (check digits right; not the real list)."""
    firsts = [f"{pref:02d}{n:03d}" for n in range(201, 300) for pref in range(1, 48)]
    return [first + str(municipality_check_digit(first)) for first in firsts[:count]]


def test_series_stay_bounded_when_every_town_of_japan_uses_every_route() -> None:
    codes = _national_codes()
    assert len(set(codes)) == 1741
    metrics = GatewayMetrics()
    for route, method in NATIONAL_ROUTES:
        for code in codes:
            for status in NATIONAL_STATUSES:
                metrics.observe(code, route, method, status, 0.4 if status == 502 else 0.01)
    from prometheus_client import generate_latest

    series = sum(1 for family in text_string_to_metric_families(
        generate_latest(metrics.registry).decode()) for _ in family.samples)
    # Per tenant (and the refused answers' empty one): requests by status class (2xx, 4xx,
    # 5xx) and slow answers; per route and method: a counter per status and one histogram
    # (12 buckets, sum, count).
    bound = (len(codes) + 1) * 4 + len(NATIONAL_ROUTES) * (len(NATIONAL_STATUSES) + 14)
    assert series <= bound, (f"{series:,} series for 1,741 tenants × 6 routes × 4 statuses "
                             f"(bound {bound:,}; {SERIES_BEFORE:,} before issue #22)")
    print(f"gateway series for 1,741 tenants × 6 routes × 4 statuses: {series:,} "
          f"(before issue #22: {SERIES_BEFORE:,})")


def test_a_refused_caller_makes_no_series_for_the_towns_it_names() -> None:
    """A scan of /v1/municipalities/<code>/… without a token (401) or outside the caller's
    towns (403) is counted without the tenant: no series per code named."""
    codes = _national_codes()
    metrics = GatewayMetrics()
    for code in codes:
        for status in (401, 403):
            metrics.observe(code, "/v1/municipalities/{code}/residents", b"GET", status, 0.01)
    metrics.observe(codes[0], "/v1/municipalities/{code}/residents", b"GET", 200, 0.01)
    from prometheus_client import generate_latest

    tenants = {s.labels["tenant"] for family in text_string_to_metric_families(
        generate_latest(metrics.registry).decode()) for s in family.samples
        if "tenant" in s.labels}
    assert tenants == {"", codes[0]}
