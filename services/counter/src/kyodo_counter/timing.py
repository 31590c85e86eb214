"""Where a page's server time goes, in its Server-Timing header: the calls to the gateway
(their summed time and count: calls made side by side overlap), writing the session, and the
whole request; the rest is the app's own work (templates, forms). Durations only: no name,
no URL, nothing about the person (the header is read by the clerk's browser and the bench)."""

from __future__ import annotations

import time
from contextvars import ContextVar

_spent: ContextVar[dict[str, float] | None] = ContextVar("counter_timing", default=None)


def begin() -> dict[str, float]:
    spent = {"api": 0.0, "calls": 0.0, "session": 0.0}
    _spent.set(spent)
    return spent


def add(kind: str, started: float) -> None:
    """Count the time since ``started`` (perf_counter) under ``kind``."""
    spent = _spent.get()
    if spent is not None:
        spent[kind] += (time.perf_counter() - started) * 1000
        if kind == "api":
            spent["calls"] += 1


def header(spent: dict[str, float], total_ms: float) -> str:
    own = total_ms - spent["api"] - spent["session"]
    return (f'api;dur={spent["api"]:.2f};desc="gateway calls: {spent["calls"]:.0f}", '
            f'session;dur={spent["session"]:.2f}, app;dur={max(own, 0.0):.2f}, '
            f'total;dur={total_ms:.2f}')
