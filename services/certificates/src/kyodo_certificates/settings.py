"""Settings of the certificates service."""

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    service_name: str = Field(default="certificates", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8103, validation_alias="KYODO_PORT")
