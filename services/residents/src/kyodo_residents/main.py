"""Composition root of the residents API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.crypto import FieldCipher, key_list
from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_residents.api import procedures, queries, routes
from kyodo_residents.api.examples import EXAMPLES
from kyodo_residents.settings import ResidentsSettings

MY_NUMBER = "my_number"  # the cipher's purpose: binds its derived keys to this field


def my_number_cipher(settings: ResidentsSettings) -> FieldCipher:
    return FieldCipher(key_list(settings.my_number_keys, "KYODO_MY_NUMBER_KEYS"), MY_NUMBER)


def create_app(settings: ResidentsSettings | None = None) -> FastAPI:
    settings = settings or ResidentsSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.my_number_cipher = my_number_cipher(settings)
            yield

    # routes before queries: their literal paths must win over /{resident_id}
    return create_service_app(title="Kyodo residents",
                              routers=[routes.router, procedures.router, queries.router],
                              lifespan=lifespan, max_body_bytes=settings.max_body_bytes,
                              ready=service_ready, examples=EXAMPLES)
