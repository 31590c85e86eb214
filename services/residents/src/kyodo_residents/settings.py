"""Settings of the residents service."""

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class ResidentsSettings(ServiceSettings):
    service_name: str = Field(default="residents", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8102, validation_alias="KYODO_PORT")
    # Transfer notices from other municipalities wait for a clerk's confirmation anyway, and
    # this consumer reads every register event to find them: a long wait, as tax's.
    consumer_fetch_max_wait_ms: int = Field(
        default=500, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
