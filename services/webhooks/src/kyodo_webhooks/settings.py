"""Settings of the webhooks service."""

from pydantic import Field, SecretStr

from kyodo_common.settings import ServiceSettings


class WebhooksSettings(ServiceSettings):
    service_name: str = Field(default="webhooks", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8107, validation_alias="KYODO_PORT")
    # Seals the subscriptions' signing secrets at rest. Comma-separated, newest first (older
    # keys only open). The webhooks service's alone.
    secret_keys: SecretStr | None = Field(default=None,
                                          validation_alias="KYODO_WEBHOOKS_SECRET_KEYS")
    # Where partners fetch what a notification names: the public base of the gateway. The
    # notification's subject is the resource's URL under it.
    public_url: str = Field(default="http://127.0.0.1:8100",
                            validation_alias="KYODO_PUBLIC_URL")
    # Loopback, private and link-local callbacks are refused outside development (SSRF).
    allow_private_callbacks: bool | None = Field(
        default=None, validation_alias="KYODO_WEBHOOKS_ALLOW_PRIVATE_CALLBACKS")
    # One request to a receiver: connecting, and the whole answer.
    connect_timeout_seconds: float = Field(
        default=5.0, gt=0, validation_alias="KYODO_WEBHOOKS_CONNECT_TIMEOUT_SECONDS")
    request_timeout_seconds: float = Field(
        default=15.0, gt=0, validation_alias="KYODO_WEBHOOKS_REQUEST_TIMEOUT_SECONDS")
    # Requests in flight to one subscription at once (each to a different subject).
    in_flight_per_subscription: int = Field(
        default=64, ge=1, le=256, validation_alias="KYODO_WEBHOOKS_IN_FLIGHT")
    # Subscriptions served at once by one worker: a slow receiver holds only its own slot.
    subscriptions_at_once: int = Field(
        default=500, ge=1, validation_alias="KYODO_WEBHOOKS_SUBSCRIPTIONS_AT_ONCE")
    # A message not delivered this long after it was queued is dead-lettered (at least a day).
    dead_letter_after_seconds: float = Field(
        default=86_400.0, gt=0, validation_alias="KYODO_WEBHOOKS_DEAD_LETTER_AFTER_SECONDS")
    # A message's own retries: exponential with full jitter, up to this interval.
    retry_base_seconds: float = Field(default=1.0, gt=0,
                                      validation_alias="KYODO_WEBHOOKS_RETRY_BASE_SECONDS")
    retry_max_seconds: float = Field(default=3600.0, gt=0,
                                     validation_alias="KYODO_WEBHOOKS_RETRY_MAX_SECONDS")
    # A failing receiver is probed with one message at a time, at most this far apart, so that
    # its backlog flows within a probe interval once it answers again.
    probe_max_seconds: float = Field(default=10.0, gt=0,
                                     validation_alias="KYODO_WEBHOOKS_PROBE_MAX_SECONDS")
    poll_seconds: float = Field(default=1.0, gt=0, validation_alias="KYODO_WEBHOOKS_POLL_SECONDS")
    # The register's events are the busiest topic; partners wait for them, so a short wait.
    consumer_fetch_max_wait_ms: int = Field(
        default=50, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")

    @property
    def private_callbacks_allowed(self) -> bool:
        if self.allow_private_callbacks is not None:
            return self.allow_private_callbacks and self.environment == "development"
        return self.environment == "development"
