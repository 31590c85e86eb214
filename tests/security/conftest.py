"""Security tests across services: unit-level ones run in the unit tier, those marked
`integration` (a real PostgreSQL) in the integration tier; they borrow the integration
tier's harnesses (tests/integration/*_kit.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kyodo_common.db import Database
from kyodo_launcher.testing import Infrastructure


@pytest.fixture(scope="session")
async def certificates_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("certificates")["DATABASE_URL"])
    yield db
    await db.dispose()
