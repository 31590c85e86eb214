"""The gateway's request metrics: plain dict counters on the hot path, rendered on scrape.

Same names and labels as the services' (kyodo_common.metrics), so one dashboard shows both;
the route label is the gateway's template (`/v1/municipalities/{code}/residents`, or a public
prefix), never the raw path. prometheus_client's own counters take a lock per increment, more
than the whole admission of a cached request; a dict increment on the event loop's thread
needs none.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric

from kyodo_common.metrics import LATENCY_BUCKETS, NO_TENANT, UNMATCHED_ROUTE

_METHODS = {m.encode(): m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                     "OPTIONS")}
_BUCKETS = len(LATENCY_BUCKETS)


class GatewayMetrics:
    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, str, int], int] = {}
        # Per label set: a count per bucket (the last one is +Inf), then the sum of seconds.
        self.latency: dict[tuple[str, str, str], list[float]] = {}
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)

    def observe(self, tenant: str | None, route: str | None, method: bytes, status: int,
                seconds: float) -> None:
        method_name = _METHODS.get(method, "OTHER")
        labels = (tenant or NO_TENANT, route or UNMATCHED_ROUTE, method_name)
        key = (*labels, status)
        requests = self.requests
        requests[key] = requests.get(key, 0) + 1
        histogram = self.latency.get(labels)
        if histogram is None:
            histogram = self.latency[labels] = [0.0] * (_BUCKETS + 2)
        histogram[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        histogram[-1] += seconds

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "kyodo_http_requests",
            "HTTP requests answered, by tenant, route template, method, status",
            labels=["tenant", "route", "method", "status"])
        for (tenant, route, method, status), count in list(self.requests.items()):
            requests.add_metric([tenant, route, method, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(
            "kyodo_http_request_duration_seconds",
            "Time from the request head to the end of the response, by tenant, route and method",
            labels=["tenant", "route", "method"])
        for labels, histogram in list(self.latency.items()):
            cumulative, buckets = 0.0, []
            for bound, in_bucket in zip((*map(str, LATENCY_BUCKETS), "+Inf"), histogram,
                                        strict=False):
                cumulative += in_bucket
                buckets.append((bound, cumulative))
            latency.add_metric(list(labels), buckets, histogram[-1])
        yield latency
