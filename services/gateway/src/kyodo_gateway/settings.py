"""The gateway's settings: where each service lives and how long to wait for it."""

from __future__ import annotations

from pydantic import Field

from kyodo_common.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    """ServiceSettings plus the upstream base URL of every routed service."""

    service_name: str = Field(default="gateway", validation_alias="KYODO_SERVICE")
    upstream_identity: str = Field(
        default="http://127.0.0.1:8101", validation_alias="KYODO_UPSTREAM_IDENTITY"
    )
    upstream_residents: str = Field(
        default="http://127.0.0.1:8102", validation_alias="KYODO_UPSTREAM_RESIDENTS"
    )
    upstream_certificates: str = Field(
        default="http://127.0.0.1:8103", validation_alias="KYODO_UPSTREAM_CERTIFICATES"
    )
    # Bounds connecting (including waiting for a pooled connection) and each read, not the
    # whole exchange, so long streamed responses are not cut while they are still moving.
    upstream_timeout_seconds: float = Field(
        default=10.0, gt=0, validation_alias="KYODO_UPSTREAM_TIMEOUT_SECONDS"
    )

    @property
    def upstreams(self) -> dict[str, str]:
        """Service name as it appears in the path → base URL without a trailing slash."""
        return {
            "identity": self.upstream_identity.rstrip("/"),
            "residents": self.upstream_residents.rstrip("/"),
            "certificates": self.upstream_certificates.rstrip("/"),
        }
