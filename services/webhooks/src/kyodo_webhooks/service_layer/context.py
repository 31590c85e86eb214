"""What the use cases read besides the database: the cipher of signing secrets, the public
base URL and the delivery rules."""

from __future__ import annotations

from dataclasses import dataclass

from kyodo_common.crypto import FieldCipher, key_list
from kyodo_webhooks.settings import WebhooksSettings

SOURCE = "kyodo/webhooks"


@dataclass(frozen=True)
class WebhooksContext:
    cipher: FieldCipher
    public_url: str
    allow_private: bool
    settings: WebhooksSettings

    @classmethod
    def from_settings(cls, settings: WebhooksSettings) -> WebhooksContext:
        return cls(cipher=FieldCipher(key_list(settings.secret_keys,
                                               "KYODO_WEBHOOKS_SECRET_KEYS"), "webhooks-secret"),
                   public_url=settings.public_url.rstrip("/"),
                   allow_private=settings.private_callbacks_allowed, settings=settings)

    @staticmethod
    def bound_to(code: str, subscription_id: object) -> str:
        return f"{code}/{subscription_id}"

    def seal(self, code: str, subscription_id: object, secret: str) -> bytes:
        return self.cipher.encrypt(secret, bound_to=self.bound_to(code, subscription_id))

    def open(self, code: str, subscription_id: object, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, bound_to=self.bound_to(code, subscription_id))
