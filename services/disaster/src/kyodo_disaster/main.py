"""Composition root of the disaster API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_disaster.api import applications, audit, disasters, houses, imports, ledger
from kyodo_disaster.api.examples import EXAMPLES
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.settings import DisasterSettings


def create_app(settings: DisasterSettings | None = None) -> FastAPI:
    settings = settings or DisasterSettings()
    context = DisasterContext.from_settings(settings)  # a bad rules file fails here

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.disaster = context
            yield

    return create_service_app(
        title="Kyodo disaster",
        routers=[disasters.router, houses.router, imports.router, applications.router,
                 ledger.router, audit.router],
        lifespan=lifespan, max_body_bytes=settings.max_body_bytes, ready=service_ready,
        examples=EXAMPLES)
