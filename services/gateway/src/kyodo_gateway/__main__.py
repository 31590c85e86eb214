"""`python -m kyodo_gateway`: logging, tracing, then the gateway on uvloop until SIGTERM/SIGINT.

On a signal it stops accepting connections, lets the requests in flight finish (at most
KYODO_SHUTDOWN_TIMEOUT_SECONDS) and exits with status 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import uvloop

from kyodo_common.logs import setup_logging
from kyodo_common.runtime import settle_garbage_collector
from kyodo_common.telemetry import setup_tracing
from kyodo_gateway.app import create_app
from kyodo_gateway.settings import GatewaySettings

logger = logging.getLogger("kyodo.gateway")


async def serve(settings: GatewaySettings) -> None:
    gateway = create_app(settings)
    await gateway.start(host=settings.host, port=settings.port)
    logger.info("gateway listening on %s:%d", settings.host, gateway.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    logger.info("stopping: finishing requests in flight")
    await gateway.stop()
    logger.info("stopped")


def main() -> int:
    settings = GatewaySettings()
    setup_logging(settings.service_name, settings.log_level)
    provider = setup_tracing(settings)
    settle_garbage_collector()
    try:
        uvloop.run(serve(settings))
    finally:
        provider.shutdown()  # flushes the spans still batched
    return 0


if __name__ == "__main__":
    sys.exit(main())
