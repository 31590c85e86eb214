"""Composition root of the identity API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kyodo_common.crypto import Sealer, key_list
from kyodo_common.service import service_lifespan, service_ready
from kyodo_common.web import create_service_app
from kyodo_identity.adapters.access_feed import AccessFeed
from kyodo_identity.adapters.revoked_tokens import RevokedTokens
from kyodo_identity.adapters.store import on_session
from kyodo_identity.api import (
    audit,
    auth,
    clients,
    internal,
    logout,
    me,
    metadata,
    platform,
    purposes,
    staff,
    support_grants,
)
from kyodo_identity.api import token as token_endpoint
from kyodo_identity.api.examples import EXAMPLES
from kyodo_identity.domain.throttle import LoginThrottle
from kyodo_identity.service_layer.keys import PURPOSE, active_key, seal_plaintext_keys
from kyodo_identity.service_layer.passwords import PasswordHashing
from kyodo_identity.service_layer.tokens import TokenPolicy
from kyodo_identity.settings import IdentitySettings

ROUTERS = (token_endpoint.router, auth.router, platform.router, staff.router, clients.router,
           support_grants.router, audit.router, internal.router, logout.router,
           purposes.router, metadata.router, me.router)


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(app, settings):
            app.state.token_policy = TokenPolicy(
                issuer=settings.token_issuer, audience=settings.token_audience,
                lifetime_seconds=settings.access_token_seconds,
                refresh_seconds=settings.refresh_token_seconds)
            app.state.login_throttle = LoginThrottle(settings.throttle_rules)
            app.state.password_hashing = PasswordHashing(settings.hash_workers,
                                                         settings.hash_queue)
            app.state.fingerprint_key = settings.fingerprint_key_bytes
            app.state.key_sealer = sealer = Sealer(
                key_list(settings.key_encryption_keys, "KYODO_IDENTITY_KEY_ENCRYPTION_KEYS"),
                PURPOSE)
            async with app.state.db.platform_transaction() as session:
                keys = on_session(session)
                await seal_plaintext_keys(keys, sealer)  # a data directory from before
                await active_key(keys, sealer)  # publish a key before the first login
            app.state.access_feed = feed = AccessFeed(settings.database_url)
            app.state.revoked_tokens = revoked = RevokedTokens()
            loop = asyncio.get_running_loop()
            tasks = [loop.create_task(feed.run()),
                     loop.create_task(revoked.follow(app.state.db, feed))]
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                app.state.password_hashing.close()

    return create_service_app(title="Kyodo identity", routers=ROUTERS, lifespan=lifespan,
                              max_body_bytes=settings.max_body_bytes, ready=service_ready,
                              examples=EXAMPLES)
