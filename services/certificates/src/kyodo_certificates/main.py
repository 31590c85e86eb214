"""Composition root of the certificates API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_certificates.api.routes import router
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app


def create_app(settings: CertificatesSettings | None = None) -> FastAPI:
    settings = settings or CertificatesSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            yield

    return create_service_app(title="Kyodo certificates", routers=[router], lifespan=lifespan,
                              max_body_bytes=settings.max_body_bytes, ready=service_ready)
