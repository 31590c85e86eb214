"""Settings of the residents service."""

from pydantic import Field, SecretStr

from kyodo_common.settings import ServiceSettings


class ResidentsSettings(ServiceSettings):
    service_name: str = Field(default="residents", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8102, validation_alias="KYODO_PORT")
    # The My Number data key: encrypts 個人番号 at rest and keys its lookup hash. Comma-separated,
    # newest first; older keys only open what they sealed until `kyodo keys rotate-my-number`
    # has re-keyed every row (docs/operations.md). Residents' alone.
    my_number_keys: SecretStr | None = Field(default=None,
                                             validation_alias="KYODO_MY_NUMBER_KEYS")
    # Transfer notices from other municipalities wait for a clerk's confirmation anyway, and
    # this consumer reads every register event to find them: a long wait, as tax's.
    consumer_fetch_max_wait_ms: int = Field(
        default=500, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # How often the worker looks for announced 転出 whose day has come (and once at its start):
    # they take effect within this long after midnight in Japan (docs/operations.md).
    announced_completion_interval_seconds: float = Field(
        default=300.0, gt=0, le=3600,
        validation_alias="KYODO_ANNOUNCED_COMPLETION_INTERVAL_SECONDS")
