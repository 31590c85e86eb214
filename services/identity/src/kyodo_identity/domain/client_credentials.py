"""Partner API clients: their ids, the scopes they may hold, and what a token request asks."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from kyodo_common.errors import InvalidInput, Problem
from kyodo_common.tenancy import is_valid_municipality_code

# Partner systems do the work of the counters; administration and My Number stay with staff.
# webhooks:subscribe: a partner's system subscribes to the town's notifications (it still needs
# the read scope of each event type, and the town's consent).
CLIENT_SCOPES = frozenset({"residents:read", "residents:write", "tax:read", "tax:write",
                           "certificates:issue", "disaster:read", "disaster:write",
                           "webhooks:subscribe"})
MAX_OVERLAP_SECONDS = 7 * 24 * 3600


def new_client_id(municipality_code: str) -> str:
    """The municipality leads the id, so a token request names its tenant by itself."""
    return f"{municipality_code}-{secrets.token_hex(12)}"


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def municipality_of(client_id: str) -> str | None:
    code, sep, rest = client_id.partition("-")
    return code if sep and rest and is_valid_municipality_code(code) else None


def allowed_scopes(scopes: Iterable[str]) -> list[str]:
    unique = sorted(set(scopes))
    if not unique:
        raise InvalidInput("scopes", "at least one scope is required")
    for scope in unique:
        if scope not in CLIENT_SCOPES:
            raise InvalidInput("scopes", f"{scope!r} cannot be given to a partner client")
    return unique


def requested_scopes(requested: str | None, allowed: Iterable[str]) -> list[str]:
    """OAuth2 ``scope``: a subset of the client's scopes; all of them when absent."""
    allowed_set = set(allowed)
    if not requested or not requested.strip():
        return sorted(allowed_set)
    wanted = set(requested.split())
    if not wanted <= allowed_set:
        raise Problem(400, "Invalid scope", kind="invalid-scope",
                      detail="the client may not request " + " ".join(sorted(wanted - allowed_set)),
                      invalid_params=[{"name": "scope", "reason": "not allowed for this client"}])
    return sorted(wanted)
