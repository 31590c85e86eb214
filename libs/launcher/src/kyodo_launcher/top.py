"""`kyodo top`: requests per second, p99 latency, outbox backlog and consumer lag per process,
from two scrapes of each process's /metrics (the state file lists the URLs, platform.py).

Rates and the p99 are of the interval between two scrapes, as Prometheus's rate() and
histogram_quantile() would compute them; the backlog and the lag are the latest values.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx
from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console
from rich.live import Live
from rich.table import Table

REQUESTS = "kyodo_http_requests_total"
LATENCY_BUCKET = "kyodo_http_request_duration_seconds_bucket"
BACKLOG = "kyodo_outbox_backlog"
OLDEST = "kyodo_outbox_oldest_unpublished_age_seconds"
LAG = "kyodo_consumer_lag"
DEAD_LETTERS = "kyodo_consumer_dead_letters_total"


@dataclass(frozen=True)
class Scrape:
    """One process's /metrics, summed over routes (the per-tenant counters count the same
    requests again and are not read)."""

    requests: float = 0.0
    errors: float = 0.0  # 5xx answers
    buckets: dict[float, float] = field(default_factory=dict)  # le → cumulative count
    backlog: float | None = None
    oldest_age: float | None = None
    lag: float | None = None
    dead_letters: float = 0.0


def parse(text: str) -> Scrape:
    requests = errors = dead = 0.0
    buckets: dict[float, float] = defaultdict(float)
    backlog = oldest = lag = None
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            name, value = sample.name, sample.value
            if name == REQUESTS:
                requests += value
                if sample.labels.get("status", "").startswith("5"):
                    errors += value
            elif name == LATENCY_BUCKET:
                buckets[float(sample.labels["le"])] += value
            elif name == BACKLOG:
                backlog = value
            elif name == OLDEST:
                oldest = value
            elif name == LAG:
                lag = (lag or 0.0) + value
            elif name == DEAD_LETTERS:
                dead += value
    return Scrape(requests=requests, errors=errors, buckets=dict(buckets), backlog=backlog,
                  oldest_age=oldest, lag=lag, dead_letters=dead)


def quantile(q: float, buckets: Mapping[float, float]) -> float | None:
    """histogram_quantile over cumulative bucket counts: linear within the bucket; the
    highest finite bound when the rank falls into +Inf; None without observations."""
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] <= 0:
        return None
    rank = q * buckets[bounds[-1]]
    lower, below = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if math.isinf(bound):
                return lower
            if count == below:
                return bound
            return lower + (bound - lower) * (rank - below) / (count - below)
        lower, below = bound, count
    return lower


@dataclass(frozen=True)
class Line:
    process: str
    requests_per_second: float | None
    errors_per_second: float | None
    p99_seconds: float | None
    backlog: float | None
    oldest_age: float | None
    lag: float | None
    dead_letters: float


def between(process: str, before: Scrape, after: Scrape, seconds: float) -> Line:
    """The interval's rates (a restart, which resets counters, counts from zero)."""

    def delta(a: float, b: float) -> float:
        return b - a if b >= a else b

    served = bool(after.buckets) or after.requests > 0
    window = {le: delta(before.buckets.get(le, 0.0), count)
              for le, count in after.buckets.items()}
    return Line(
        process=process,
        requests_per_second=delta(before.requests, after.requests) / seconds if served else None,
        errors_per_second=delta(before.errors, after.errors) / seconds if served else None,
        p99_seconds=quantile(0.99, window),
        backlog=after.backlog, oldest_age=after.oldest_age, lag=after.lag,
        dead_letters=after.dead_letters)


def _line(process: str, before: Scrape | None, after: Scrape | None, seconds: float) -> Line:
    if before is None or after is None:
        return Line(process, None, None, None, None, None, None, 0.0)
    return between(process, before, after, seconds)


def _figure(value: float | None, fmt: str) -> str:
    return "" if value is None else format(value, fmt)


def table(lines: list[Line], title: str) -> Table:
    grid = Table(title=title)
    for column in ("process", "req/s", "5xx/s", "p99 ms", "outbox backlog", "oldest s",
                   "consumer lag", "dead letters"):
        grid.add_column(column, justify="left" if column == "process" else "right")
    for line in lines:
        grid.add_row(line.process, _figure(line.requests_per_second, ".1f"),
                     _figure(line.errors_per_second, ".1f"),
                     _figure(None if line.p99_seconds is None else line.p99_seconds * 1000,
                             ".0f"),
                     _figure(line.backlog, ".0f"), _figure(line.oldest_age, ".1f"),
                     _figure(line.lag, ".0f"), _figure(line.dead_letters, ".0f"))
    return grid


def scrape_all(client: httpx.Client, urls: Mapping[str, str]) -> dict[str, Scrape | None]:
    """A process that does not answer shows as such, it does not stop the view."""
    scrapes: dict[str, Scrape | None] = {}
    for process, url in urls.items():
        try:
            response = client.get(url)
            scrapes[process] = parse(response.text) if response.status_code == 200 else None
        except httpx.HTTPError:
            scrapes[process] = None
    return scrapes


def run(client: httpx.Client, urls: Mapping[str, str], *, console: Console,
        interval: float = 2.0, rounds: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep) -> list[Line]:
    """Redraws every ``interval`` until Ctrl-C (or ``rounds``); returns the last lines."""
    before, then = scrape_all(client, urls), clock()
    lines: list[Line] = []
    done = 0
    with Live(table([], "kyodo top: first scrape…"), console=console,
              auto_refresh=False) as live:
        while rounds is None or done < rounds:
            sleep(interval)
            after, now = scrape_all(client, urls), clock()
            lines = [_line(p, before.get(p), after.get(p), max(now - then, 1e-6))
                     for p in urls]
            down = [p for p in urls if after.get(p) is None]
            title = f"kyodo top — every {interval:g}s" + (
                f" — not answering: {', '.join(down)}" if down else "")
            live.update(table(lines, title), refresh=True)
            before, then = after, now
            done += 1
    return lines
