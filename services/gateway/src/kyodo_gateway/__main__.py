"""`python -m kyodo_gateway`: logging, tracing, then uvicorn on uvloop and httptools."""

from __future__ import annotations

import uvicorn

from kyodo_common.logs import setup_logging
from kyodo_common.telemetry import setup_tracing
from kyodo_gateway.app import create_app
from kyodo_gateway.settings import GatewaySettings


def main() -> None:
    settings = GatewaySettings()
    setup_logging(settings.service_name, settings.log_level)
    setup_tracing(settings)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, loop="uvloop",
        http="httptools", log_config=None, lifespan="on",
        # The gateway is the public edge: X-Forwarded-For from clients is not trusted to
        # rewrite the peer address, and the server software is not advertised.
        proxy_headers=False, server_header=False,
    )


if __name__ == "__main__":
    main()
