"""Composition root of the certificates API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from kyodo_certificates.api import certificates, damage, issue, routes, verify
from kyodo_certificates.api.examples import EXAMPLES
from kyodo_certificates.rendering.fonts import register_font
from kyodo_certificates.rendering.pool import RenderPool
from kyodo_certificates.service_layer.issuing import Issuing
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app


def create_app(settings: CertificatesSettings | None = None) -> FastAPI:
    settings = settings or CertificatesSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            register_font()  # parse the font before the first request, not during it
            keyring = await Keyring.load(app.state.db, settings.sealing_keys,
                                         settings.root_ca)
            app.state.keyring = keyring
            pool = RenderPool(settings.render_processes) if settings.render_processes else None
            if pool is not None:  # ready before the first counter's request, not during it
                await asyncio.to_thread(pool.warm)
            app.state.issuing = Issuing(db=app.state.db, keyring=keyring,
                                        verify_base_url=settings.verify_base_url.rstrip("/"),
                                        pool=pool)
            try:
                async with httpx.AsyncClient(timeout=5.0) as http:
                    app.state.http = http
                    yield
            finally:
                if pool is not None:
                    await asyncio.to_thread(pool.close)

    # routes (/residents/{id}), issue (/residence…) and damage before certificates
    # (/{certificate_id})
    return create_service_app(
        title="Kyodo certificates",
        routers=[routes.router, issue.router, damage.router, certificates.router,
                 verify.router],
        lifespan=lifespan, max_body_bytes=settings.max_body_bytes, ready=service_ready,
        examples=EXAMPLES)
