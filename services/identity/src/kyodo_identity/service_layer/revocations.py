"""Access tokens ended before their expiry: a logout (one token) or a disabled staff member
(every token of theirs). Each revocation is kept until the tokens it ends have expired; the
gateway refuses them from the moment it hears (within two seconds: ADR 0003)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kyodo_common.auth import Principal
from kyodo_identity.adapters.store import IdentityStore

# Clock skew between identity and whoever checks a token's expiry.
SKEW = timedelta(seconds=60)


async def revoke_token(store: IdentityStore, *, principal: Principal, now: datetime) -> None:
    """The caller's own access token (its jti), until it expires; twice is once. The tenant's
    revocations whose tokens have all expired are swept on the way."""
    await store.sweep_revocations(now - SKEW)
    await store.add_revocation(
        municipality_code=principal.home_municipality, subject=principal.subject,
        token_id=principal.token_id, now=now,
        expires_at=datetime.fromtimestamp(principal.expires_at, UTC) + SKEW)


async def revoke_subject(store: IdentityStore, *, municipality_code: str, subject: str,
                         now: datetime, token_lifetime: timedelta) -> None:
    """Every access token of the subject: no token issued before now outlives the lifetime."""
    await store.sweep_revocations(now - SKEW)
    await store.add_revocation(municipality_code=municipality_code, subject=subject,
                               token_id=None, now=now, expires_at=now + token_lifetime + SKEW)
