"""Settings of the residents service."""

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class ResidentsSettings(ServiceSettings):
    service_name: str = Field(default="residents", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8102, validation_alias="KYODO_PORT")
