"""Pytest fixtures: a real PostgreSQL and broker for integration tests, stopped by PID.

A development-only package (the root project's dev group): no service or the launcher
depends on it, so no image ships pytest or these fixtures."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kyodo_launcher import broker, postgres
from kyodo_launcher.catalogue import SERVICES, ServiceSpec, all_roles
from kyodo_launcher.config import LauncherSettings
from kyodo_launcher.ports import free_port, free_port_block
from kyodo_launcher.processes import Child
from kyodo_launcher.provision import (
    provision,
    service_urls,
    wait_for_postgres,
)

__all__ = ["Infrastructure", "PlatformKeys", "TokenMinter", "every_item", "free_port",
           "free_port_block", "infrastructure", "platform_keys", "tokens"]

if TYPE_CHECKING:
    from kyodo_common.assertion import Acting, AssertionSigner


@dataclass
class Infrastructure:
    admin_url: str  # the superuser: only to create roles and databases, as in deployment
    passwords: dict[str, str]  # each database role's own password
    bootstrap_servers: str
    broker: Child
    postgres: Child

    def urls(self, service: str) -> dict[str, str]:
        """The app's, the relay's and the owner's (MIGRATION_DATABASE_URL) URLs."""
        return service_urls(self.admin_url, self.spec(service), self.passwords)

    def owner_url(self, service: str) -> str:
        """The database's owner, which ran its migrations: bound by FORCE ROW LEVEL SECURITY
        like every role, so it sees a tenant's rows only in that tenant's transaction."""
        return self.urls(service)["MIGRATION_DATABASE_URL"]

    def relay_url(self, service: str) -> str:
        """The relay's role: reads every tenant's outbox, as the tests that check events do."""
        return self.urls(service)["RELAY_DATABASE_URL"]

    @staticmethod
    def spec(service: str) -> ServiceSpec:
        return next(s for s in SERVICES if s.name == service)


async def _provision(infra: Infrastructure) -> None:
    await wait_for_postgres(infra.admin_url, 30)
    await provision(infra.admin_url, infra.passwords, infra.bootstrap_servers,
                    LauncherSettings(var_dir=Path("unused")))


@pytest.fixture(scope="session")
def infrastructure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infrastructure]:
    """PostgreSQL (embedded wheel) and Tansu on free loopback ports, migrated, with topics."""
    root: Path = tmp_path_factory.mktemp("kyodo-infra")
    password = secrets.token_urlsafe(16)
    pg_port, broker_port = free_port(), free_port()
    postgres.init_cluster(root / "pg", password)
    pg = postgres.server(root / "pg", pg_port, root / "postgres.log")
    kafka = broker.broker(broker_port, root / "broker.log")
    pg.start()
    kafka.start()
    infra = Infrastructure(
        admin_url=f"postgresql://postgres:{password}@127.0.0.1:{pg_port}/postgres",
        passwords={role: secrets.token_urlsafe(16) for role in all_roles()},
        bootstrap_servers=f"127.0.0.1:{broker_port}",
        broker=kafka, postgres=pg,
    )
    try:
        asyncio.run(_provision(infra))
        yield infra
    finally:
        kafka.stop()
        pg.stop()


class TokenMinter:
    """Signs tokens as identity would, for tests that call a service without identity running."""

    def __init__(self, issuer: str = "https://kyodo.local/identity",
                 audience: str = "kyodo") -> None:
        from kyodo_identity.service_layer.keys import SigningKey, load_private_key, new_key
        from kyodo_identity.service_layer.login import TokenPolicy

        kid, pem, jwk = new_key()
        self.key = SigningKey(kid, load_private_key(pem))
        self.jwks = {"keys": [jwk]}
        self.policy = TokenPolicy(issuer=issuer, audience=audience, lifetime_seconds=600)

    _shared: TokenMinter | None = None

    @classmethod
    def shared(cls) -> TokenMinter:
        """One key for the whole test session, so every app in it trusts every token."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def token(self, municipality: str, scopes: str = "residents:read residents:write",
              subject: str = "test-clerk") -> str:
        from kyodo_identity.service_layer.login import sign_token

        return sign_token(self.key, {"sub": subject, "municipality": municipality,
                                     "kind": "staff", "roles": ["counter_clerk"],
                                     "scope": scopes}, self.policy)


@pytest.fixture(scope="session")
def tokens() -> TokenMinter:
    return TokenMinter.shared()


class PlatformKeys:
    """The keys `kyodo up` would generate, for tests that run services in-process: each
    service's settings get only its own (`env`), and tests sign as the gateway (`signer`)."""

    def __init__(self) -> None:
        from kyodo_launcher.keys import generate

        self.values = generate()

    _shared: PlatformKeys | None = None

    @classmethod
    def shared(cls) -> PlatformKeys:
        """One set for the whole test session, as one platform has."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def env(self, service: str) -> dict[str, str]:
        """What `kyodo up` gives this service: pass as keyword arguments to its settings."""
        from kyodo_launcher.keys import service_env

        return service_env(self.values, service)

    @property
    def signer(self) -> AssertionSigner:
        from kyodo_common.assertion import AssertionSigner, load_private_key

        return AssertionSigner(load_private_key(self.values["gateway_assertion_key"]))

    def assertion(self, acting: Acting) -> str:
        from kyodo_common.assertion import sign_assertion

        return sign_assertion(self.signer, acting)


@pytest.fixture(scope="session")
def platform_keys() -> PlatformKeys:
    return PlatformKeys.shared()


async def every_item(http: Any, url: str, *, params: dict[str, Any] | None = None,
                     limit: int = 500, **kwargs: Any) -> list[Any]:
    """Every item of a paged list (``items`` + ``next``), following the cursor to the end.
    ``http`` is an ``httpx.AsyncClient``; ``kwargs`` go with every request (headers, ...)."""
    items: list[Any] = []
    cursor: str | None = None
    while True:
        page_params = {**(params or {}), "limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = await http.get(url, params=page_params, **kwargs)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items
