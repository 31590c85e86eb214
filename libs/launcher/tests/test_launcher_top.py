"""`kyodo top`: rates, the p99 and the gauges computed from two scrapes of /metrics, and the
live table drawn from fake processes (one of which does not answer)."""

from __future__ import annotations

import io

import httpx
import pytest
from rich.console import Console

from kyodo_launcher.top import between, parse, quantile, run

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _exposition(ok: int, failed: int, fast: int, slow: int, *, backlog: int | None = None,
                lag: tuple[int, int] | None = None) -> str:
    """``fast`` requests took under 10 ms, ``slow`` between 250 and 500 ms."""
    lines = ["# TYPE kyodo_http_requests counter",
             f'kyodo_http_requests_total{{route="/r",method="GET",status="200"}} {ok}',
             f'kyodo_http_requests_total{{route="/r",method="GET",status="503"}} {failed}',
             # The same requests per municipality: not counted again.
             "# TYPE kyodo_http_tenant_requests counter",
             f'kyodo_http_tenant_requests_total{{tenant="152048",status_class="2xx"}} {ok}',
             f'kyodo_http_tenant_requests_total{{tenant="152048",status_class="5xx"}} {failed}',
             "# TYPE kyodo_http_tenant_slow_requests counter",
             f'kyodo_http_tenant_slow_requests_total{{tenant="152048"}} {slow}',
             "# TYPE kyodo_http_request_duration_seconds histogram"]
    for le in (*BUCKETS, float("inf")):
        count = fast + (slow if le >= 0.5 else 0)
        label = "+Inf" if le == float("inf") else repr(le)
        lines.append('kyodo_http_request_duration_seconds_bucket{route="/r",'
                     f'method="GET",le="{label}"}} {count}')
    lines.append('kyodo_http_request_duration_seconds_count{route="/r",'
                 f'method="GET"}} {fast + slow}')
    if backlog is not None:
        lines += ["# TYPE kyodo_outbox_backlog gauge", f"kyodo_outbox_backlog {backlog}"]
    if lag is not None:
        lines += ["# TYPE kyodo_consumer_lag gauge",
                  f'kyodo_consumer_lag{{group="a"}} {lag[0]}',
                  f'kyodo_consumer_lag{{group="b"}} {lag[1]}']
    return "\n".join(lines) + "\n"


def test_rates_and_p99_are_of_the_interval_and_gauges_the_latest() -> None:
    before = parse(_exposition(1000, 10, 900, 100, backlog=50, lag=(3, 4)))
    # 10 s later: 200 more requests, 2 of them 503; 190 fast and 10 slow
    after = parse(_exposition(1198, 12, 1090, 110, backlog=7, lag=(1, 2)))
    line = between("tax", before, after, 10.0)
    assert line.requests_per_second == pytest.approx(20.0)
    assert line.errors_per_second == pytest.approx(0.2)
    # the 99th of 200 is the 198th: 8 into the 10 slow ones, in the (0.25, 0.5] bucket
    assert line.p99_seconds == pytest.approx(0.25 + 0.25 * 8 / 10)
    assert (line.backlog, line.lag) == (7, 3)
    # over all time, 100 of 1000 were slow: the p99 would be different — the interval's counts
    assert quantile(0.99, after.buckets) != pytest.approx(line.p99_seconds)


def test_a_restart_counts_from_zero_and_an_idle_interval_has_no_p99() -> None:
    before = parse(_exposition(1000, 0, 1000, 0))
    restarted = parse(_exposition(30, 0, 30, 0))
    assert between("tax", before, restarted, 3.0).requests_per_second == pytest.approx(10.0)
    idle = between("tax", restarted, restarted, 3.0)
    assert (idle.requests_per_second, idle.p99_seconds) == (0.0, None)
    worker = between("tax-worker", parse("kyodo_outbox_backlog 2\n"),
                     parse("kyodo_outbox_backlog 5\n"), 2.0)
    assert (worker.requests_per_second, worker.backlog) == (None, 5.0)


def test_the_live_view_from_fake_processes() -> None:
    served = iter([_exposition(0, 0, 0, 0), _exposition(40, 0, 40, 0)])

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.port == 1:
            return httpx.Response(200, text=next(served))
        if request.url.port == 2:
            return httpx.Response(200, text="kyodo_outbox_backlog 12\n"
                                            'kyodo_consumer_lag{group="g"} 3\n')
        raise httpx.ConnectError("refused")

    out = io.StringIO()
    console = Console(file=out, width=140, force_terminal=False, color_system=None)
    ticks = iter([0.0, 2.0])
    urls = {"gateway": "http://127.0.0.1:1/metrics", "tax-worker": "http://127.0.0.1:2/metrics",
            "residents-worker": "http://127.0.0.1:3/metrics"}
    with httpx.Client(transport=httpx.MockTransport(handle)) as client:
        lines = run(client, urls, console=console, interval=2.0, rounds=1,
                    clock=lambda: next(ticks), sleep=lambda _: None)
    assert lines[0].requests_per_second == pytest.approx(20.0)
    assert (lines[1].backlog, lines[1].lag) == (12, 3)
    text = out.getvalue()
    assert "20.0" in text and "12" in text
    assert "not answering: residents-worker" in text
