"""Security tier: the integration tier's databases, for tests that attack the services."""

from tests.integration.conftest import (  # noqa: F401 - fixtures, found by pytest by name
    certificates_db,
    disaster_db,
    residents_db,
    tax_db,
)
