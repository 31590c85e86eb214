"""The gateway's request metrics: plain dict counters on the hot path, rendered on scrape.

Same names and labels as the services' (kyodo_common.metrics), so one dashboard shows both:
requests and latency by route and method (the gateway's template,
`/v1/municipalities/{code}/residents`, or a public prefix, never the raw path), and requests
per tenant by status class with the tenant's slow answers. prometheus_client's own counters
take a lock per increment, more than the whole admission of a cached request; a dict increment
on the event loop's thread needs none.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric

from kyodo_common.metrics import (
    LATENCY_BUCKETS,
    LATENCY_HELP,
    LATENCY_LABELS,
    LATENCY_NAME,
    NO_TENANT,
    REFUSED_STATUSES,
    REQUESTS_HELP,
    REQUESTS_LABELS,
    REQUESTS_NAME,
    SLOW_SECONDS,
    TENANT_REQUESTS_HELP,
    TENANT_REQUESTS_LABELS,
    TENANT_REQUESTS_NAME,
    TENANT_SLOW_HELP,
    TENANT_SLOW_LABELS,
    TENANT_SLOW_NAME,
    UNMATCHED_ROUTE,
    status_class,
)

_METHODS = {m.encode(): m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                     "OPTIONS")}
_BUCKETS = len(LATENCY_BUCKETS)


class GatewayMetrics:
    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = {}
        # Per route and method: a count per bucket (the last one is +Inf), then the sum.
        self.latency: dict[tuple[str, str], list[float]] = {}
        # Per tenant and status (rendered by status class), and the tenant's slow answers.
        self.tenants: dict[tuple[str, int], int] = {}
        self.slow: dict[str, int] = {}
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

    def observe(self, tenant: str | None, route: str | None, method: bytes, status: int,
                seconds: float) -> None:
        labels = (route or UNMATCHED_ROUTE, _METHODS.get(method, "OTHER"))
        key = (*labels, status)
        requests = self.requests
        requests[key] = requests.get(key, 0) + 1
        histogram = self.latency.get(labels)
        if histogram is None:
            histogram = self.latency[labels] = [0.0] * (_BUCKETS + 2)
        histogram[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        histogram[-1] += seconds
        tenant = NO_TENANT if not tenant or status in REFUSED_STATUSES else tenant
        tenants, tenant_key = self.tenants, (tenant, status)
        tenants[tenant_key] = tenants.get(tenant_key, 0) + 1
        if seconds > SLOW_SECONDS:
            self.slow[tenant] = self.slow.get(tenant, 0) + 1

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(REQUESTS_NAME, REQUESTS_HELP, labels=REQUESTS_LABELS)
        for (route, method, status), count in list(self.requests.items()):
            requests.add_metric([route, method, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(LATENCY_NAME, LATENCY_HELP, labels=LATENCY_LABELS)
        for labels, histogram in list(self.latency.items()):
            cumulative, buckets = 0.0, []
            for bound, in_bucket in zip((*map(str, LATENCY_BUCKETS), "+Inf"), histogram,
                                        strict=False):
                cumulative += in_bucket
                buckets.append((bound, cumulative))
            latency.add_metric(list(labels), buckets, histogram[-1])
        yield latency
        by_class: dict[tuple[str, str], int] = {}
        for (tenant, status), count in list(self.tenants.items()):
            key = (tenant, status_class(status))
            by_class[key] = by_class.get(key, 0) + count
        tenants = CounterMetricFamily(TENANT_REQUESTS_NAME, TENANT_REQUESTS_HELP,
                                      labels=TENANT_REQUESTS_LABELS)
        for (tenant, klass), count in by_class.items():
            tenants.add_metric([tenant, klass], count)
        yield tenants
        # Every tenant that was answered has its slow counter, at 0 until a slow answer.
        slow = CounterMetricFamily(TENANT_SLOW_NAME, TENANT_SLOW_HELP, labels=TENANT_SLOW_LABELS)
        counts = self.slow
        for tenant in {tenant for tenant, _ in by_class}:
            slow.add_metric([tenant], counts.get(tenant, 0))
        yield slow
