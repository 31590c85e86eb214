"""Composition root of the automation API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_automation.api import builtin, queue, reports, runs, scenarios
from kyodo_automation.api.examples import EXAMPLES
from kyodo_automation.service_layer.context import AutomationContext
from kyodo_automation.settings import AutomationSettings
from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app


def create_app(settings: AutomationSettings | None = None) -> FastAPI:
    settings = settings or AutomationSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            context = AutomationContext.from_settings(settings)
            app.state.automation = context
            try:
                yield
            finally:
                await context.http.aclose()

    return create_service_app(
        title="Kyodo automation",
        routers=[scenarios.router, runs.router, queue.router, reports.router,
                 builtin.router],
        lifespan=lifespan, max_body_bytes=settings.max_body_bytes, ready=service_ready,
        examples=EXAMPLES)
