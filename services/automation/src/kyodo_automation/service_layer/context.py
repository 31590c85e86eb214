"""What the use cases read besides the database: the platform's address, the HTTP client and
the cipher of account secrets."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from kyodo_automation.adapters.platform_http import AccountTokens, GatewayPlatform
from kyodo_automation.settings import AutomationSettings
from kyodo_common.crypto import FieldCipher, key_list

SOURCE = "kyodo/automation"


@dataclass(frozen=True)
class AutomationContext:
    http: httpx.AsyncClient
    platform_url: str
    call_attempts: int
    cipher: FieldCipher

    @classmethod
    def from_settings(cls, settings: AutomationSettings) -> AutomationContext:
        http = httpx.AsyncClient(timeout=settings.call_timeout_seconds,
                                 limits=httpx.Limits(max_connections=20))
        return cls(http=http, platform_url=settings.platform_url,
                   call_attempts=settings.call_attempts,
                   cipher=FieldCipher(key_list(settings.account_keys,
                                                   "KYODO_AUTOMATION_ACCOUNT_KEYS"),
                                          "automation-account"))

    def tokens(self, client_id: str, client_secret: str) -> AccountTokens:
        return AccountTokens(self.http, self.platform_url, client_id, client_secret)

    def platform(self, code: str, tokens: AccountTokens) -> GatewayPlatform:
        return GatewayPlatform(self.http, self.platform_url, code, tokens,
                               attempts=self.call_attempts)

    @staticmethod
    def bound_to(code: str, scenario: str, client_id: str) -> str:
        return f"{code}/{scenario}/{client_id}"
