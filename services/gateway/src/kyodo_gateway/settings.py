"""The gateway's settings: where each service lives, limits, polling and tracing."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from kyodo_common.public_routes import PUBLIC_ROUTES
from kyodo_common.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    """ServiceSettings plus the upstream table and the gateway's own limits.

    A service is routed when its upstream is set: `KYODO_UPSTREAM_<SERVICE>` for the platform's
    services, or `KYODO_UPSTREAMS` (JSON object, name → base URL) for any other.
    """

    service_name: str = Field(default="gateway", validation_alias="KYODO_SERVICE")
    upstream_identity: str | None = Field(
        default="http://127.0.0.1:8101", validation_alias="KYODO_UPSTREAM_IDENTITY"
    )
    upstream_residents: str | None = Field(
        default="http://127.0.0.1:8102", validation_alias="KYODO_UPSTREAM_RESIDENTS"
    )
    upstream_certificates: str | None = Field(
        default="http://127.0.0.1:8103", validation_alias="KYODO_UPSTREAM_CERTIFICATES"
    )
    upstream_tax: str | None = Field(default=None, validation_alias="KYODO_UPSTREAM_TAX")
    upstream_disaster: str | None = Field(default=None, validation_alias="KYODO_UPSTREAM_DISASTER")
    upstream_automation: str | None = Field(
        default=None, validation_alias="KYODO_UPSTREAM_AUTOMATION"
    )
    upstream_webhooks: str | None = Field(
        default=None, validation_alias="KYODO_UPSTREAM_WEBHOOKS"
    )
    # The Ed25519 private key that signs the assertions and service tokens (base64url of the
    # raw 32 bytes, or PKCS#8 PEM): the gateway's alone; the services get its public half.
    assertion_key: SecretStr | None = Field(default=None,
                                            validation_alias="KYODO_GATEWAY_ASSERTION_KEY")
    upstreams_extra: dict[str, str] = Field(default_factory=dict,
                                            validation_alias="KYODO_UPSTREAMS")
    # Routes outside /v1/municipalities: path prefix → service. The gateway checks no token
    # on them (the service does, where it needs one) and limits them per client address.
    public_routes: dict[str, str] = Field(
        default_factory=lambda: dict(PUBLIC_ROUTES),
        validation_alias="KYODO_PUBLIC_ROUTES",
    )
    # Bounds connecting (including waiting for a pooled connection) and each wait for the
    # upstream's bytes, not the whole exchange, so long streamed responses are not cut.
    upstream_timeout_seconds: float = Field(
        default=10.0, gt=0, validation_alias="KYODO_UPSTREAM_TIMEOUT_SECONDS"
    )
    upstream_max_connections: int = Field(
        default=512, gt=0, validation_alias="KYODO_UPSTREAM_MAX_CONNECTIONS"
    )
    # Below uvicorn's 5 s keep-alive, so the gateway drops an idle connection before the
    # upstream does and rarely writes a request into a socket the upstream is closing.
    upstream_keepalive_seconds: float = Field(
        default=4.0, gt=0, validation_alias="KYODO_UPSTREAM_KEEPALIVE_SECONDS"
    )
    # Idle client connections (and request heads that never complete) are closed after this.
    client_keepalive_seconds: float = Field(
        default=15.0, gt=0, validation_alias="KYODO_KEEPALIVE_SECONDS"
    )
    shutdown_timeout_seconds: float = Field(
        default=8.0, ge=0, validation_alias="KYODO_SHUTDOWN_TIMEOUT_SECONDS"
    )
    # Grants and revoked tokens are pushed by identity (a long-poll it answers on each change,
    # or after identity_wait_seconds without one); this slower full read of them and of the
    # municipalities' CORS origins is the backstop.
    grants_poll_seconds: float = Field(
        default=15.0, gt=0, validation_alias="KYODO_GRANTS_POLL_SECONDS"
    )
    identity_wait_seconds: float = Field(
        default=5.0, gt=0, le=10, validation_alias="KYODO_IDENTITY_WAIT_SECONDS"
    )
    # Grants not confirmed with identity for this long are not trusted: access under a
    # support grant is refused (403) until identity answers again; home access goes on.
    grants_fail_closed_seconds: float = Field(
        default=30.0, gt=0, validation_alias="KYODO_GRANTS_FAIL_CLOSED_SECONDS"
    )
    # Token buckets, per gateway process: requests per second and burst. One process serves
    # ~20,000 req/s: a municipality may take a quarter of it, one caller half of that.
    rate_tenant_per_second: float = Field(
        default=5000.0, gt=0, validation_alias="KYODO_RATE_TENANT_PER_SECOND"
    )
    rate_tenant_burst: float = Field(
        default=10000.0, ge=1, validation_alias="KYODO_RATE_TENANT_BURST"
    )
    rate_client_per_second: float = Field(
        default=2500.0, gt=0, validation_alias="KYODO_RATE_CLIENT_PER_SECOND"
    )
    rate_client_burst: float = Field(
        default=5000.0, ge=1, validation_alias="KYODO_RATE_CLIENT_BURST"
    )
    # POST /v1/auth/token per client address: a flood is refused here before identity parses
    # it. Generous, because one address may be a whole office, the counter app's server or
    # the automation service fetching client_credentials tokens for many scenarios at once;
    # identity's own limits (per login, and per address on failures) are the strict ones.
    rate_login_per_second: float = Field(
        default=10.0, gt=0, validation_alias="KYODO_RATE_LOGIN_PER_SECOND"
    )
    rate_login_burst: float = Field(
        default=100.0, ge=1, validation_alias="KYODO_RATE_LOGIN_BURST"
    )
    # Traces started here (no sampled traceparent from the caller) recorded per second; a
    # caller's sampled traceparent is always honoured.
    trace_samples_per_second: float = Field(
        default=50.0, ge=0, validation_alias="KYODO_TRACE_SAMPLES_PER_SECOND"
    )
    openapi_ttl_seconds: float = Field(default=60.0, gt=0,
                                       validation_alias="KYODO_OPENAPI_TTL_SECONDS")

    @property
    def upstreams(self) -> dict[str, str]:
        """Service name as it appears in the path → base URL without a trailing slash."""
        known = {
            "identity": self.upstream_identity, "residents": self.upstream_residents,
            "certificates": self.upstream_certificates, "tax": self.upstream_tax,
            "disaster": self.upstream_disaster, "automation": self.upstream_automation,
            "webhooks": self.upstream_webhooks,
        }
        table = {name: url for name, url in known.items() if url}
        table.update(self.upstreams_extra)
        for name, url in table.items():
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname or parts.path.strip("/"):
                raise ValueError(f"upstream {name}: expected http://host:port, got {url!r}")
        return {name: url.rstrip("/") for name, url in table.items()}
