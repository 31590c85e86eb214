"""Security tests across services: unit-level ones run in the unit tier, those marked
`integration` (a real PostgreSQL) in the integration tier; they borrow the integration
tier's harnesses (tests/integration/*_kit.py) and databases; those marked `e2e` the e2e tier's
platform."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e.conftest import RunningPlatform, running_platform

from tests.integration.conftest import (  # noqa: F401 - fixtures, found by pytest by name
    certificates_db,
    disaster_db,
    residents_db,
    tax_db,
)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """The whole platform (`kyodo up`), as the e2e tier starts it."""
    with running_platform(tmp_path_factory.mktemp("kyodo-security") / "var") as running:
        yield running
