"""Alembic migrations per service, run programmatically by the launcher or a migration job."""

from __future__ import annotations

import asyncio
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from kyodo_common.db.engine import sqlalchemy_url


def alembic_config(package: str, url: str) -> Config:
    """Alembic config for ``<package>/migrations`` against the owner's database URL."""
    config = Config()
    config.set_main_option("script_location", str(resources.files(package) / "migrations"))
    config.attributes["database_url"] = sqlalchemy_url(url)
    return config


def upgrade(package: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, url), revision)


def run_env() -> None:
    """Body of every service's migrations/env.py: online migrations over asyncpg."""
    from alembic import context

    url = context.config.attributes["database_url"]

    def migrate(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=None,
                          transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool, hide_parameters=True)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
            await connection.commit()
        await engine.dispose()

    asyncio.run(main())
