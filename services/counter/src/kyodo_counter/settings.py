"""The counter app's one Settings class; nothing else reads os.environ."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class CounterSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    host: str = Field(default="127.0.0.1", validation_alias="KYODO_HOST")
    port: int = Field(default=8009, validation_alias="KYODO_PORT")
    # The public API: the app calls nothing else (not the services behind it).
    gateway_url: str = Field(default="http://127.0.0.1:8000", validation_alias="KYODO_PLATFORM_URL")
    # Behind TLS (a proxy that terminates it): cookies Secure and named __Host-.
    https: bool = Field(default=False, validation_alias="KYODO_COUNTER_HTTPS")
    idle_minutes: int = Field(default=30, validation_alias="KYODO_COUNTER_IDLE_MINUTES")
    terminal: str = Field(default="窓口1", validation_alias="KYODO_COUNTER_TERMINAL")
    printer: str = Field(default="窓口プリンタ1", validation_alias="KYODO_COUNTER_PRINTER")
    # Sessions outlive a restart when the app has a state directory: a SQLite file there,
    # each session sealed with the app's own key (a list, newest first). Neither set: in
    # memory only (a restart logs the clerks out), as for the unit tests.
    state_dir: Path | None = Field(default=None, validation_alias="KYODO_COUNTER_STATE_DIR")
    session_keys: SecretStr | None = Field(default=None,
                                           validation_alias="KYODO_COUNTER_SESSION_KEYS")

    def session_key_list(self) -> tuple[str, ...]:
        text = self.session_keys.get_secret_value() if self.session_keys else ""
        return tuple(k.strip() for k in text.split(",") if k.strip())
