"""Callers as a service receives them: a token of their own, or the gateway's assertion for
staff acting under a support grant or a client."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_testing import PlatformKeys, TokenMinter

PURPOSE = "identity-check"


@dataclass(frozen=True)
class Caller:
    """Who reads, as the service receives them: a token, or the gateway's assertion."""

    name: str
    sees: bool
    scopes: str = "residents:read residents:write certificates:issue protected:read"
    grant_id: str | None = None
    kind: str = "staff"
    home: str | None = None  # None: the municipality read
    direct_token: bool = False

    def headers(self, code: str) -> dict[str, str]:
        headers = {"X-Kyodo-Purpose": PURPOSE}
        if self.direct_token:
            token = TokenMinter.shared().token(code, self.scopes, subject=self.name)
            return {**headers, "Authorization": f"Bearer {token}"}
        principal = Principal(subject=self.name, home_municipality=self.home or code,
                              kind=self.kind, roles=frozenset(),
                              scopes=frozenset(self.scopes.split()),
                              expires_at=time.time() + 60, token_id=uuid.uuid4().hex)
        acting = Acting(principal=principal, municipality=code, scopes=principal.scopes,
                        grant_id=self.grant_id, expires_at=time.time() + 60)
        return {**headers, "X-Kyodo-Assertion": PlatformKeys.shared().assertion(acting)}
