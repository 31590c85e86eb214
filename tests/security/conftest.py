"""Security tests across services: unit-level ones run in the unit tier, those marked
`integration` (a real PostgreSQL) in the integration tier; they borrow the integration
tier's harnesses (tests/integration/*_kit.py); those marked `e2e` the e2e tier's platform."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from e2e.conftest import RunningPlatform, running_platform

from kyodo_common.db import Database
from kyodo_launcher.testing import Infrastructure


@pytest.fixture(scope="session")
async def certificates_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("certificates")["DATABASE_URL"])
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """The whole platform (`kyodo up`), as the e2e tier starts it."""
    with running_platform(tmp_path_factory.mktemp("kyodo-security") / "var") as running:
        yield running
