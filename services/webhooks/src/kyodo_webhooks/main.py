"""Composition root of the subscriptions API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_webhooks.api import routes
from kyodo_webhooks.api.examples import EXAMPLES
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.settings import WebhooksSettings


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    settings = settings or WebhooksSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.webhooks = WebhooksContext.from_settings(settings)
            yield

    return create_service_app(title="Kyodo webhooks", routers=[routes.router],
                              lifespan=lifespan, max_body_bytes=settings.max_body_bytes,
                              ready=service_ready, examples=EXAMPLES)
