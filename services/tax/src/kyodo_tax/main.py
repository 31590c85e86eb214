"""Composition root of the tax API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_tax.api import assessments, declarations, imports, jobs, rules
from kyodo_tax.api.examples import EXAMPLES
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.settings import TaxSettings


def create_app(settings: TaxSettings | None = None) -> FastAPI:
    settings = settings or TaxSettings()
    # Loaded and checked before serving: a bad rule file must stop the service, not a request.
    context = TaxContext.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.tax = context
            yield

    return create_service_app(title="Kyodo tax",
                              routers=[imports.router, declarations.router, jobs.router,
                                       assessments.router, rules.router],
                              lifespan=lifespan, max_body_bytes=settings.max_body_bytes,
                              ready=service_ready, examples=EXAMPLES)
