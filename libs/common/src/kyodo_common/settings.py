"""Settings shared by every service; each service subclasses ServiceSettings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kyodo_common.events.kafka_security import KafkaSecurity


class ServiceSettings(KafkaSecurity):
    """What every Kyodo process reads from its environment; nothing else reads os.environ."""

    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", frozen=True, populate_by_name=True
    )

    service_name: str = Field(default="kyodo", validation_alias="KYODO_SERVICE")
    environment: str = Field(default="development", validation_alias="KYODO_ENV")
    var_dir: Path = Field(default=Path("var"), validation_alias="KYODO_VAR_DIR")
    # The service's runtime role: no BYPASSRLS, not the owner of its tables.
    database_url: str = Field(
        default="postgresql+asyncpg://localhost/kyodo", validation_alias="DATABASE_URL"
    )
    # The outbox relay's role: may read and mark every tenant's outbox rows, nothing else.
    relay_database_url: str | None = Field(default=None, validation_alias="RELAY_DATABASE_URL")
    # Owner role, used by migrations only.
    migration_database_url: str | None = Field(
        default=None, validation_alias="MIGRATION_DATABASE_URL"
    )
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    jwks_url: str = Field(
        default="http://127.0.0.1:8101/v1/auth/jwks.json", validation_alias="KYODO_JWKS_URL"
    )
    token_issuer: str = Field(
        default="https://kyodo.local/identity", validation_alias="KYODO_TOKEN_ISSUER"
    )
    token_audience: str = Field(default="kyodo", validation_alias="KYODO_TOKEN_AUDIENCE")
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    host: str = Field(default="127.0.0.1", validation_alias="KYODO_HOST")
    port: int = Field(default=8000, validation_alias="KYODO_PORT")
    log_level: str = Field(default="INFO", validation_alias="KYODO_LOG_LEVEL")
    max_body_bytes: int = Field(default=1_048_576, validation_alias="KYODO_MAX_BODY_BYTES")
    # The gateway's PUBLIC assertion keys (comma-separated, kyodo_common.assertion): assertions
    # and service tokens it signed are trusted; unset, none is (fail closed). No secret here:
    # each service's own keys are in its own settings class, and no other service has them.
    gateway_assertion_public_keys: str = Field(
        default="", validation_alias="KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS")
    # At least the expected concurrent requests: connections above it are opened and closed
    # per request (a new backend and a SCRAM exchange each time).
    db_pool_size: int = Field(default=20, ge=1, validation_alias="KYODO_DB_POOL_SIZE")
    consumer_max_attempts: int = Field(default=5, validation_alias="KYODO_CONSUMER_MAX_ATTEMPTS")
    # How long the broker may hold a consumer's fetch when nothing is waiting. The embedded
    # broker does not answer a waiting fetch early when a message arrives, so this is both the
    # consumer's added latency (about a quarter to a half of it) and, inversely, its idle cost:
    # 10 ms keeps a consumer near 4 ms behind its producer but polls 100 times a second
    # (about 0.1 core per consumer with the broker's share). Services whose read models are not
    # read at the counter right after the change take a longer wait.
    consumer_fetch_max_wait_ms: int = Field(
        default=10, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # How often a consumer commits its offsets to the broker while events flow (and at once
    # when the flow pauses, and when it stops). The inbox makes a redelivered event harmless,
    # so committing after every fetch only buys a shorter replay after a crash: measured on
    # the embedded broker at 240 events/s and a 10 ms fetch wait, a commit per fetch cost the
    # broker 0.70 ms per event against 0.46 committing once a second.
    consumer_commit_interval_ms: int = Field(
        default=1000, ge=0, le=60000, validation_alias="KYODO_CONSUMER_COMMIT_INTERVAL_MS")
    # The outbox relay's round: after a commit's NOTIFY wakes it, it waits this long before it
    # claims, and while events flow it polls once per round and the writers send no NOTIFY
    # (ADR 0002), so the commits of a round are published together. At 200 registrations/s
    # on the embedded platform, 10 ms took the CPU per registration from 6.3-6.7 to 4.9-5.2 ms
    # (the relay, its database backend, the broker and the consumers each do per round what
    # they did per event); it adds up to a round to an event's way. 0: every commit's NOTIFY
    # wakes the relay, which publishes at once.
    relay_linger_ms: int = Field(default=10, ge=0, le=1000,
                                 validation_alias="KYODO_RELAY_LINGER_MS")
    # Where a worker (no HTTP port of its own) or the gateway (a public port) serves
    # /metrics; unset: not served. The service APIs serve /metrics on KYODO_PORT instead.
    metrics_port: int | None = Field(default=None, ge=0, le=65535,
                                     validation_alias="KYODO_METRICS_PORT")
    # How often a worker samples its outbox backlog and consumer lag (seconds).
    metrics_interval_seconds: float = Field(default=15.0, gt=0,
                                            validation_alias="KYODO_METRICS_INTERVAL_SECONDS")

    @property
    def traces_dir(self) -> Path:
        return self.var_dir / "traces"

    @property
    def relay_url(self) -> str:
        return self.relay_database_url or self.database_url
