"""The launcher's own settings: where data lives, ports, and external servers if any."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kyodo_common.events.kafka_security import KafkaSecurity


class LauncherSettings(KafkaSecurity):
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
    # The database roles' passwords, one per role, are read by `kyodo migrate` from
    # KYODO_DB_PASSWORD_<SERVICE>_<OWNER|APP|RELAY> (role_password_variable).
    otel_exporter_otlp_endpoint: str | None = Field(default=None,
                                                    validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    ready_timeout: float = Field(default=60.0, validation_alias="KYODO_READY_TIMEOUT")
    # The embedded broker keeps every record in memory (Tansu's memory engine has neither
    # retention nor DeleteRecords): past this it is rotated (kyodo_launcher.recovery). 0: never.
    broker_memory_mb: float = Field(default=64.0, validation_alias="KYODO_BROKER_MEMORY_MB")
    # A rotation waits this long after the broker's start,
    broker_rotate_after: float = Field(default=300.0,
                                       validation_alias="KYODO_BROKER_ROTATE_AFTER")
    # and while some consumer group lags by more than this (its unread events would be
    # republished at every rotation; the broker keeps them until it caught up).
    broker_rotate_lag: float = Field(default=300.0, validation_alias="KYODO_BROKER_ROTATE_LAG")
    # Republish points stand this long before the oldest event a group may not have read:
    # longer than any transaction that writes events (kyodo_common.events.recovery.MARGIN).
    # Shorter only where transactions are known to be short (the e2e tests of rotation).
    republish_margin: float = Field(default=60.0, gt=0, validation_alias="KYODO_REPUBLISH_MARGIN")

    def external_service_url(self, service: str) -> str | None:
        url: str | None = getattr(self, f"database_url_{service}", None)
        return url

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "log"

    @property
    def state_path(self) -> Path:
        return self.var_dir / "run" / "platform.json"


ROLE_PASSWORD_PREFIX = "KYODO_DB_PASSWORD_"  # noqa: S105 - a variable's name


def role_password_variable(role: str) -> str:
    """The variable `kyodo migrate` reads a role's password from: kyodo_residents_app ->
    KYODO_DB_PASSWORD_RESIDENTS_APP."""
    return ROLE_PASSWORD_PREFIX + role.removeprefix("kyodo_").upper()


def role_passwords_from(environ: Mapping[str, str], roles: Iterable[str]) -> dict[str, str]:
    """The roles' passwords that are set (non-empty) in ``environ``."""
    found = {role: environ.get(role_password_variable(role), "") for role in roles}
    return {role: password for role, password in found.items() if password}


def _write_private(path: Path, values: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(values, f)
    tmp.replace(path)


def local_secrets(var_dir: Path) -> dict[str, str]:
    """Passwords generated on first start and kept (0600) beside the data they protect (the
    services' keys are apart, in keys.json: kyodo_launcher.keys)."""
    path = var_dir / "secrets.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    values = {"postgres": secrets.token_urlsafe(24)}
    _write_private(path, values)
    return values


def local_role_passwords(var_dir: Path, roles: Iterable[str]) -> dict[str, str]:
    """One random password per database role, kept (0600) in var/db-roles.json; a role that
    has none yet (a new service, or a platform from before per-role passwords) gets one."""
    path = var_dir / "db-roles.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [role for role in roles if role not in stored]
    if missing or not path.exists():
        stored.update({role: secrets.token_urlsafe(24) for role in missing})
        _write_private(path, stored)
    return stored
