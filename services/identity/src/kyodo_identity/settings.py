"""Settings of the identity service."""

import hashlib

from pydantic import Field, SecretStr

from kyodo_common.settings import ServiceSettings
from kyodo_identity.domain.throttle import ThrottleRules
from kyodo_identity.service_layer.passwords import default_workers


class IdentitySettings(ServiceSettings):
    service_name: str = Field(default="identity", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8101, validation_alias="KYODO_PORT")
    # Its consumer reads disaster declarations, which an operator's grant names minutes or days
    # later: a long wait, as tax's (polling every 10 ms cost the worker and the broker about
    # 30 ms of CPU a second each, idle).
    consumer_fetch_max_wait_ms: int = Field(
        default=500, ge=1, le=5000, validation_alias="KYODO_CONSUMER_FETCH_MAX_WAIT_MS")
    # Seals the token signing keys at rest (comma-separated, newest first; older keys only
    # open). Identity's alone: no other service can read its private keys.
    key_encryption_keys: SecretStr | None = Field(
        default=None, validation_alias="KYODO_IDENTITY_KEY_ENCRYPTION_KEYS")
    # Keys the fingerprints of idempotent requests that carry a password, so a stored
    # request never reveals one. Identity's alone.
    fingerprint_key: SecretStr | None = Field(
        default=None, validation_alias="KYODO_IDENTITY_FINGERPRINT_KEY")
    access_token_seconds: int = Field(default=900, validation_alias="KYODO_ACCESS_TOKEN_SECONDS")
    # A working day: a counter session survives lunch, not the night.
    refresh_token_seconds: int = Field(default=8 * 3600,
                                       validation_alias="KYODO_REFRESH_TOKEN_SECONDS")
    # Password logins (docs/adr/0003): per login, a few failures free, then each failure
    # doubles the wait before the next attempt, up to a cap; per client address, a budget of
    # failed attempts per minute. Both are checked before any password is hashed.
    login_free_failures: int = Field(default=3, ge=0,
                                     validation_alias="KYODO_LOGIN_FREE_FAILURES")
    login_first_delay_seconds: float = Field(
        default=1.0, gt=0, validation_alias="KYODO_LOGIN_FIRST_DELAY_SECONDS")
    login_max_delay_seconds: float = Field(
        default=30.0, gt=0, validation_alias="KYODO_LOGIN_MAX_DELAY_SECONDS")
    login_forget_seconds: float = Field(default=900.0, gt=0,
                                        validation_alias="KYODO_LOGIN_FORGET_SECONDS")
    login_source_per_minute: float = Field(
        default=30.0, gt=0, validation_alias="KYODO_LOGIN_SOURCE_PER_MINUTE")
    login_source_burst: float = Field(default=30.0, ge=1,
                                      validation_alias="KYODO_LOGIN_SOURCE_BURST")
    # Argon2 verifications at once (unset: one per core) and how many more may wait; a login
    # beyond both is answered 503 with Retry-After instead of queueing without bound.
    password_hash_workers: int | None = Field(
        default=None, ge=1, validation_alias="KYODO_PASSWORD_HASH_WORKERS")
    password_hash_queue: int | None = Field(
        default=None, ge=0, validation_alias="KYODO_PASSWORD_HASH_QUEUE")
    client_secret_overlap_seconds: int = Field(
        default=24 * 3600, validation_alias="KYODO_CLIENT_SECRET_OVERLAP_SECONDS")
    # How long a rotated-out key stays in the JWKS; unset: the access-token lifetime plus a
    # minute of clock skew, so every token it signed expires before it disappears.
    key_retirement_seconds: int | None = Field(
        default=None, validation_alias="KYODO_KEY_RETIREMENT_SECONDS")
    # Where clients reach the platform (the gateway), for the absolute URLs of the
    # authorization server metadata; unset, taken from the request as the gateway forwarded it.
    public_url: str | None = Field(default=None, validation_alias="KYODO_PUBLIC_URL")

    @property
    def hash_workers(self) -> int:
        return self.password_hash_workers or default_workers()

    @property
    def hash_queue(self) -> int:
        # Four waiting per worker: about 0.6 s of argon2 at ~150 ms a hash.
        return self.password_hash_queue if self.password_hash_queue is not None \
            else 4 * self.hash_workers

    @property
    def throttle_rules(self) -> ThrottleRules:
        return ThrottleRules(
            free_failures=self.login_free_failures,
            first_delay=self.login_first_delay_seconds,
            max_delay=self.login_max_delay_seconds, forget_after=self.login_forget_seconds,
            source_per_minute=self.login_source_per_minute,
            source_burst=self.login_source_burst)

    @property
    def fingerprint_key_bytes(self) -> bytes:
        if self.fingerprint_key is None or not self.fingerprint_key.get_secret_value():
            raise RuntimeError("KYODO_IDENTITY_FINGERPRINT_KEY is not set: identity's own key "
                               "is required")
        return hashlib.sha256(b"kyodo-idempotency\x00"
                              + self.fingerprint_key.get_secret_value().encode()).digest()

    @property
    def key_retirement(self) -> int:
        if self.key_retirement_seconds is not None:
            return self.key_retirement_seconds
        return self.access_token_seconds + 60
