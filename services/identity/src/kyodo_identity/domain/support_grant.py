"""Support grants (応援職員の権限付与): which scopes may be lent, and for how long."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kyodo_common.errors import InvalidInput

# Lent rights stop at the work itself: never staff, clients, grants or the audit log, nor
# protected:read (支援措置). certificates:manage (download and void what the town's own staff
# issued) is lent only when the stricken town names it.
GRANTABLE_SCOPES = frozenset({"residents:read", "residents:write", "certificates:issue",
                              "certificates:manage", "disaster:read", "disaster:write",
                              "tax:read", "webhooks:subscribe"})
MAX_WINDOW = timedelta(days=90)


def grantable(scopes: Iterable[str]) -> list[str]:
    unique = sorted(set(scopes))
    if not unique:
        raise InvalidInput("scopes", "at least one scope is required")
    for scope in unique:
        if scope not in GRANTABLE_SCOPES:
            raise InvalidInput("scopes", f"{scope!r} cannot be granted")
    return unique


def check_window(valid_from: datetime, valid_until: datetime, *, now: datetime) -> None:
    if valid_until <= valid_from:
        raise InvalidInput("valid_until", "the grant must end after it starts")
    if valid_until - valid_from > MAX_WINDOW:
        raise InvalidInput("valid_until", "a grant lasts at most 90 days")
    if valid_until <= now:
        raise InvalidInput("valid_until", "the grant would already have ended")


def status(*, valid_from: datetime, valid_until: datetime, revoked_at: datetime | None,
           now: datetime) -> str:
    if revoked_at is not None:
        return "revoked"
    if now < valid_from:
        return "scheduled"
    return "active" if now < valid_until else "expired"
