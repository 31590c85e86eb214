"""`python -m kyodo_gateway` as the launcher starts it: env settings, signals, exit status."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import httpx
import pytest
from gateway_kit import (
    ASSERTION_KEY,
    AUDIENCE,
    HOME,
    ISSUER,
    Echo,
    Identity,
    free_socket,
    make_token,
    serve_aiohttp,
)

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_finishes_requests_in_flight_and_exits_0(
    sig: signal.Signals, tmp_path: object,
) -> None:
    identity, echo = Identity(), Echo()
    async with serve_aiohttp(identity.handle) as identity_url, \
            serve_aiohttp(echo.handle) as upstream_url:
        sock = free_socket()
        port = sock.getsockname()[1]
        sock.close()
        env = {**os.environ, "KYODO_PORT": str(port), "KYODO_HOST": "127.0.0.1",
               "KYODO_UPSTREAM_IDENTITY": identity_url,
               "KYODO_UPSTREAM_RESIDENTS": upstream_url,
               "KYODO_UPSTREAM_CERTIFICATES": upstream_url,
               "KYODO_JWKS_URL": f"{identity_url}/v1/auth/jwks.json",
               "KYODO_TOKEN_ISSUER": ISSUER, "KYODO_TOKEN_AUDIENCE": AUDIENCE,
               "KYODO_GATEWAY_ASSERTION_KEY": ASSERTION_KEY, "KYODO_VAR_DIR": str(tmp_path)}
        env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kyodo_gateway", env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=url, timeout=5.0, trust_env=False) as client:
                async with asyncio.timeout(20):
                    while True:
                        try:
                            if (await client.get("/health/live")).status_code == 200:
                                break
                        except httpx.TransportError:
                            pass
                        assert process.returncode is None, await process.stderr.read()  # type: ignore[union-attr]
                        await asyncio.sleep(0.1)
                held = asyncio.create_task(client.get(
                    f"/v1/municipalities/{HOME}/residents/held",
                    headers={"Authorization": f"Bearer {make_token()}"}))
                await asyncio.wait_for(echo.slow_started.wait(), 10)
                process.send_signal(sig)
                await asyncio.sleep(0.3)
                assert process.returncode is None  # waits for the request in flight
                echo.release.set()
                response = await held
                assert response.status_code == 200
            async with asyncio.timeout(15):
                assert await process.wait() == 0
        finally:
            if process.returncode is None:
                process.kill()  # the gateway this test started
                await process.wait()
