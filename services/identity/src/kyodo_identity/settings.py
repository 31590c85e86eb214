"""Settings of the identity service."""

import hashlib

from pydantic import Field, SecretStr

from kyodo_common.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: str = Field(default="identity", validation_alias="KYODO_SERVICE")
    port: int = Field(default=8101, validation_alias="KYODO_PORT")
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
    max_failed_logins: int = Field(default=5, validation_alias="KYODO_MAX_FAILED_LOGINS")
    lockout_seconds: int = Field(default=900, validation_alias="KYODO_LOCKOUT_SECONDS")
    client_secret_overlap_seconds: int = Field(
        default=24 * 3600, validation_alias="KYODO_CLIENT_SECRET_OVERLAP_SECONDS")
    # How long a rotated-out key stays in the JWKS; unset: the access-token lifetime plus a
    # minute of clock skew, so every token it signed expires before it disappears.
    key_retirement_seconds: int | None = Field(
        default=None, validation_alias="KYODO_KEY_RETIREMENT_SECONDS")

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
