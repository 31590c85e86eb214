"""Composition root of the identity API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_identity.api.routes import router
from kyodo_identity.service_layer.keys import active_key
from kyodo_identity.service_layer.login import TokenPolicy
from kyodo_identity.settings import IdentitySettings


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.token_policy = TokenPolicy(
                issuer=settings.token_issuer, audience=settings.token_audience,
                lifetime_seconds=settings.access_token_seconds,
                max_failed_logins=settings.max_failed_logins,
                lockout_seconds=settings.lockout_seconds)
            async with app.state.db.platform_transaction() as session:
                await active_key(session)  # publish a key before the first login
            yield

    return create_service_app(title="Kyodo identity", routers=[router], lifespan=lifespan,
                              max_body_bytes=settings.max_body_bytes, ready=service_ready)
