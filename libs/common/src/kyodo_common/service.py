"""What every service process does the same way: its lifespan, readiness and serving."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from kyodo_common.assertion import AssertionVerifier, GatewayKeys, load_public_keys
from kyodo_common.auth import TokenVerifier
from kyodo_common.db import Database
from kyodo_common.logs import setup_logging
from kyodo_common.runtime import settle_garbage_collector
from kyodo_common.settings import ServiceSettings
from kyodo_common.telemetry import setup_tracing


@asynccontextmanager
async def service_lifespan(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    """Puts settings, the database and the token verifier on app.state for the routes."""
    db = Database(settings.database_url, pool_size=settings.db_pool_size)
    instrument_database(db)
    http = httpx.AsyncClient(timeout=5.0)
    app.state.settings = settings
    app.state.db = db
    app.state.verifier = TokenVerifier(jwks_url=settings.jwks_url, issuer=settings.token_issuer,
                                       audience=settings.token_audience, http=http)
    app.state.gateway_keys = GatewayKeys(load_public_keys(settings.gateway_assertion_public_keys))
    app.state.assertions = AssertionVerifier(app.state.gateway_keys)
    try:
        yield
    finally:
        await http.aclose()
        await db.dispose()


def instrument_database(db: Database) -> None:
    """A span per SQLAlchemy statement; none for taking a connection from the pool. The
    instrumentor also wraps every ``Engine.connect`` in a "connect" span: each unit of work
    checks a pooled connection out, so each request paid a span (recorded and exported when
    sampled) that named no real connection (issue #22: CPU per registration)."""
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.instrumentation.utils import unwrap
    from sqlalchemy.engine.base import Engine

    SQLAlchemyInstrumentor().instrument(engine=db.engine.sync_engine)
    if hasattr(Engine.connect, "__wrapped__"):
        unwrap(Engine, "connect")


async def service_ready(app: FastAPI) -> None:
    db: Database = app.state.db
    await db.ping()


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    import uvicorn

    setup_logging(settings.service_name, settings.log_level)
    provider = setup_tracing(settings)
    settle_garbage_collector()
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, loop="uvloop",
                    http="httptools", log_config=None, access_log=False)
    finally:
        provider.shutdown()
