"""Per-tenant and per-client rate limits: token buckets in this process's memory."""

from __future__ import annotations

import math

from kyodo_common.errors import Problem

_MAX_KEYS = 200_000


class TokenBuckets:
    """One bucket per key, refilled at `rate` tokens per second up to `burst`."""

    __slots__ = ("_buckets", "burst", "rate")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = max(burst, 1.0)
        self._buckets: dict[str, list[float]] = {}

    def take(self, key: str, now: float) -> float:
        """0.0 when a token was taken; else the seconds until one will be there."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_KEYS:
                self.prune(now)
            self._buckets[key] = [self.burst - 1.0, now]
            return 0.0
        tokens = bucket[0] + (now - bucket[1]) * self.rate
        if tokens > self.burst:
            tokens = self.burst
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate

    def give_back(self, key: str) -> None:
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket[0] = min(self.burst, bucket[0] + 1.0)

    def prune(self, now: float) -> None:
        """Forget buckets that have refilled: they behave exactly like new ones."""
        full = [k for k, (tokens, at) in self._buckets.items()
                if tokens + (now - at) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= _MAX_KEYS:  # a flood of distinct keys: start over
            self._buckets.clear()

    def __len__(self) -> int:
        return len(self._buckets)


def too_many_requests(whom: str, wait: float) -> Problem:
    seconds = max(1, math.ceil(wait))
    return Problem(429, "Too many requests", kind="too-many-requests",
                   detail=f"the rate limit for this {whom} is exceeded; retry later",
                   headers={"Retry-After": str(seconds)})


class RateLimiter:
    """A request takes a token from its client's bucket and from its municipality's."""

    def __init__(self, *, tenant_rate: float, tenant_burst: float, client_rate: float,
                 client_burst: float) -> None:
        self.tenants = TokenBuckets(tenant_rate, tenant_burst)
        self.clients = TokenBuckets(client_rate, client_burst)

    def check(self, tenant: str | None, client: str, now: float) -> None:
        wait = self.clients.take(client, now)
        if wait:
            raise too_many_requests("client", wait)
        if tenant is not None:
            wait = self.tenants.take(tenant, now)
            if wait:
                # The client's token was not used: do not count it against the client.
                self.clients.give_back(client)
                raise too_many_requests("municipality", wait)

    def prune(self, now: float) -> None:
        self.tenants.prune(now)
        self.clients.prune(now)
