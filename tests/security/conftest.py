"""Security tier: properties of the platform as it is provisioned (kyodo_launcher.testing), and
the integration tier's databases for tests that attack the services."""

from tests.integration.conftest import (  # noqa: F401 - fixtures, found by pytest by name
    certificates_db,
    disaster_db,
    residents_db,
    tax_db,
)
