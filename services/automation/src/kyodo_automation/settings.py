"""Settings of the automation service."""

from pydantic import Field, SecretStr

from kyodo_common.settings import ServiceSettings


class AutomationSettings(ServiceSettings):
    service_name: str = Field(default="automation", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8106, validation_alias="KYODO_PORT")
    # Seals the automation accounts' client secrets at rest. Comma-separated, newest first
    # (older keys only open). Automation's alone.
    account_keys: SecretStr | None = Field(default=None,
                                           validation_alias="KYODO_AUTOMATION_ACCOUNT_KEYS")
    # Scenarios started by events are routine work, not a clerk waiting at the counter: a
    # long wait, as tax's (large runs per fetch, little polling).
    consumer_fetch_max_wait_ms: int = Field(
        default=500, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # Scenarios call the platform through the gateway, with their account's token from
    # identity's token endpoint (also behind the gateway).
    platform_url: str = Field(default="http://127.0.0.1:8100",
                              validation_alias="KYODO_PLATFORM_URL")
    # Each call: this many attempts on 5xx or a connection error, with exponential backoff.
    call_attempts: int = Field(default=5, ge=1, le=20,
                               validation_alias="KYODO_AUTOMATION_CALL_ATTEMPTS")
    call_timeout_seconds: float = Field(default=30.0, gt=0,
                                        validation_alias="KYODO_AUTOMATION_CALL_TIMEOUT_SECONDS")
    # Runs: the worker is woken by NOTIFY and polls as a fallback.
    job_poll_seconds: float = Field(default=2.0, gt=0,
                                    validation_alias="KYODO_AUTOMATION_JOB_POLL_SECONDS")
    max_body_bytes: int = Field(default=20_000_000, validation_alias="KYODO_MAX_BODY_BYTES")
