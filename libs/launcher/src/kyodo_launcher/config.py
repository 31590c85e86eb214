"""The launcher's own settings: where data lives, ports, and external servers if any."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LauncherSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    var_dir: Path = Field(default=Path("var"), validation_alias="KYODO_VAR_DIR")
    base_port: int = Field(default=8000, validation_alias="KYODO_BASE_PORT")
    postgres_port: int = Field(default=55432, validation_alias="KYODO_POSTGRES_PORT")
    broker_port: int = Field(default=59092, validation_alias="KYODO_BROKER_PORT")
    # An external server instead of the embedded one (admin URL; databases are created on it).
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    # Or one URL per service (used as it is: migrations, the service and its relay).
    database_url_identity: str | None = Field(default=None,
                                              validation_alias="DATABASE_URL_IDENTITY")
    database_url_residents: str | None = Field(default=None,
                                               validation_alias="DATABASE_URL_RESIDENTS")
    database_url_certificates: str | None = Field(default=None,
                                                  validation_alias="DATABASE_URL_CERTIFICATES")
    kafka_bootstrap_servers: str | None = Field(default=None,
                                                validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    # Password given to the services' database roles by `kyodo migrate` (a secret in production).
    db_role_password: str | None = Field(default=None, validation_alias="KYODO_DB_ROLE_PASSWORD")
    otel_exporter_otlp_endpoint: str | None = Field(default=None,
                                                    validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    ready_timeout: float = Field(default=60.0, validation_alias="KYODO_READY_TIMEOUT")

    def external_service_url(self, service: str) -> str | None:
        url: str | None = getattr(self, f"database_url_{service}", None)
        return url

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "log"

    @property
    def state_path(self) -> Path:
        return self.var_dir / "run" / "platform.json"


def local_secrets(var_dir: Path) -> dict[str, str]:
    """Passwords generated on first start and kept (0600) beside the data they protect (the
    services' keys are apart, in keys.json: kyodo_launcher.keys)."""
    path = var_dir / "secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    values = {"postgres": secrets.token_urlsafe(24), "roles": secrets.token_urlsafe(24)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(values, f)
    return values
