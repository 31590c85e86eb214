"""Composition root of the residents API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.crypto import FieldCipher
from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_residents.api import procedures, queries, routes
from kyodo_residents.settings import ResidentsSettings


def create_app(settings: ResidentsSettings | None = None) -> FastAPI:
    settings = settings or ResidentsSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.my_number_cipher = FieldCipher(settings.internal_secret, "my_number")
            yield

    # routes before queries: their literal paths must win over /{resident_id}
    return create_service_app(title="Kyodo residents",
                              routers=[routes.router, procedures.router, queries.router],
                              lifespan=lifespan, max_body_bytes=settings.max_body_bytes,
                              ready=service_ready)
