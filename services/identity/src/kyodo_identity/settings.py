"""Settings of the identity service."""

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: str = Field(default="identity", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8101, validation_alias="KYODO_PORT")
    access_token_seconds: int = Field(default=900, validation_alias="KYODO_ACCESS_TOKEN_SECONDS")
    max_failed_logins: int = Field(default=5, validation_alias="KYODO_MAX_FAILED_LOGINS")
    lockout_seconds: int = Field(default=900, validation_alias="KYODO_LOCKOUT_SECONDS")
