"""Rate-limit isolation: while municipality A floods the gateway from another process and is
refused (429), municipality B is still served, and not much slower.

A small, bounded version of bench/gateway_isolation.py (which runs `python -m kyodo_gateway`
and measures the 1.5× target). Here the gateway runs in the test's event loop, so that the
test does not pay for starting a Python process on a busy CI machine; B's probe and the
upstream share that loop, and B's latency still includes every request of A's that the
gateway handles before B's. Only what holds on a loaded machine is asserted: B gets 200
every time, A gets mostly 429 once it has spent its burst, and B's p99 under the flood stays
below a generous bound (5× unloaded + 5 ms).
"""

from __future__ import annotations

import asyncio
import json
import math
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator

import httptools
import pytest
from aiohttp import web
from gateway_kit import HOME, OTHER, Identity, make_token, running_gateway, serve_aiohttp

pytestmark = pytest.mark.timeout(20)

TENANT_RATE, TENANT_BURST = 50, 1000  # per municipality: what A's flood runs into
CLIENT_RATE, CLIENT_BURST = 100, 2000  # per caller: above it, so A is refused as a municipality
# B's probe: back to back; 3 × PROBE_REQUESTS + warm-up stay within B's burst. The p99 of 300
# is the 4th-worst: one hiccup of the machine does not make it.
PROBE_REQUESTS = 300
FLOOD_CONNECTIONS, FLOOD_PAUSE = 4, 0.002
LIMITED_SECONDS = 1.0  # A floods at least this long after its first 429
A, B = HOME, OTHER

# A's flood, in its own process: on each connection a request, its answer, a pause, until
# SIGTERM or its own time limit; at most ~2,000 requests/s, 40× A's limit. Paced rather than
# flat out: here the gateway shares its event loop (and the machine's cores) with the probe and
# the upstream, and a flood that saturates that would measure the loop's capacity, not the
# limits (bench/gateway_isolation.py also measures a flat-out flood against the real process).
# Not niced: on a busy CI machine a niced flood hardly floods. It prints "limited" at its first
# 429 (A's burst is spent), then A's answers by status as JSON: all, and those from the first
# 429 on.
FLOOD = r'''
import asyncio, json, signal, sys
from collections import Counter
import httptools

port, token, code = int(sys.argv[1]), sys.argv[2], sys.argv[3]
connections, pause, limit = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
request = (f"GET /v1/municipalities/{code}/residents/flood HTTP/1.1\r\n"
           f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\r\n").encode()
total, limited = Counter(), Counter()


class Client:
    def __init__(self):
        self.parser = httptools.HttpResponseParser(self)
        self.done = False

    def on_message_complete(self):
        status = self.parser.get_status_code()
        total[status] += 1
        if limited or status == 429:
            if not limited:
                print("limited", flush=True)
            limited[status] += 1
        self.done = True


async def connection(stop):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    client = Client()
    while not stop.is_set():
        client.done = False
        writer.write(request)
        while not client.done:
            data = await reader.read(65536)
            if not data:
                total["closed"] += 1
                return
            client.parser.feed_data(data)
        await asyncio.sleep(pause)
    writer.close()


async def main():
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    asyncio.get_running_loop().call_later(limit, stop.set)
    await asyncio.gather(*(connection(stop) for _ in range(connections)),
                         return_exceptions=True)
    print(json.dumps({"total": {str(k): v for k, v in total.items()},
                      "limited": {str(k): v for k, v in limited.items()}}), flush=True)


asyncio.run(main())
'''


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered), math.ceil(0.99 * len(ordered))) - 1]


class Probe:
    """B: sequential GETs on one kept-alive connection; (statuses, latencies in ms)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.request = (f"GET /v1/municipalities/{B}/residents/probe HTTP/1.1\r\n"
                        f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\r\n"
                        ).encode()
        self.parser = httptools.HttpResponseParser(self)
        self.done = False

    def on_message_complete(self) -> None:
        self.done = True

    async def run(self, count: int) -> tuple[Counter[int], list[float]]:
        statuses: Counter[int] = Counter()
        latencies: list[float] = []
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            for _ in range(count):
                self.done = False
                started = time.perf_counter()
                writer.write(self.request)
                while not self.done:
                    data = await reader.read(65536)
                    assert data, "the gateway closed B's connection"
                    self.parser.feed_data(data)
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[self.parser.get_status_code()] += 1
        finally:
            writer.close()
        return statuses, latencies


async def hello(request: web.Request) -> web.Response:
    return web.json_response({"hello": "world"})


@pytest.fixture
async def port() -> AsyncIterator[int]:
    identity = Identity()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(hello) as upstream_url, \
            running_gateway(identity_url, upstream_url,
                            KYODO_RATE_TENANT_PER_SECOND=TENANT_RATE,
                            KYODO_RATE_TENANT_BURST=TENANT_BURST,
                            KYODO_RATE_CLIENT_PER_SECOND=CLIENT_RATE,
                            KYODO_RATE_CLIENT_BURST=CLIENT_BURST) as (gateway, _):
        yield gateway.port


async def test_b_is_served_while_a_floods_and_is_limited(port: int) -> None:
    token_a = make_token(municipality=A, subject="flooder")
    probe = Probe(port, make_token(municipality=B, subject="clerk-b"))
    await probe.run(10)  # B's token verified and cached, the upstream connection open
    before, before_ms = await probe.run(PROBE_REQUESTS)

    flood = await asyncio.create_subprocess_exec(
        sys.executable, "-c", FLOOD, str(port), token_a, A, str(FLOOD_CONNECTIONS),
        str(FLOOD_PAUSE), "10", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        assert flood.stdout is not None and flood.stderr is not None
        async with asyncio.timeout(8):  # the flood's start, then A's burst spent
            line = await flood.stdout.readline()
        assert line.strip() == b"limited", line + await flood.stderr.read()
        limited_at = time.monotonic()
        loaded, loaded_ms = await probe.run(PROBE_REQUESTS)
        await asyncio.sleep(max(0.0, limited_at + LIMITED_SECONDS - time.monotonic()))
        flood.send_signal(signal.SIGTERM)
        async with asyncio.timeout(5):
            out, err = await flood.communicate()
    finally:
        if flood.returncode is None:
            flood.kill()  # the flood this test started, by its PID
            await flood.wait()
    assert out.strip(), err.decode(errors="replace")
    counts = json.loads(out.splitlines()[-1])
    after, after_ms = await probe.run(PROBE_REQUESTS)

    assert before == loaded == after == {200: PROBE_REQUESTS}
    total, limited = counts["total"], counts["limited"]
    assert set(total) <= {"200", "429"}, counts
    assert total.get("200", 0) >= TENANT_BURST, counts  # A is served up to its limit…
    # …and once its burst is spent, mostly refused.
    assert limited.get("429", 0) > sum(limited.values()) / 2, counts
    # Unloaded: the worse of before and after the flood, so that other load on the machine
    # at either moment does not make the bound tighter than it means to be.
    unloaded = max(p99(before_ms), p99(after_ms))
    assert p99(loaded_ms) < 5 * unloaded + 5.0, (p99(before_ms), p99(loaded_ms),
                                                 p99(after_ms), counts)
