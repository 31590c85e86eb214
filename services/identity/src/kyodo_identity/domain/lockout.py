"""Lockout after repeated failed logins: the counter and the lock as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LoginState:
    failed_logins: int
    locked_until: datetime | None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def after_failure(state: LoginState, *, now: datetime, max_failures: int,
                  lockout: timedelta) -> LoginState:
    """One more failure; the N-th locks the account and starts a new count."""
    failed = state.failed_logins + 1
    if failed >= max_failures:
        return LoginState(failed_logins=0, locked_until=now + lockout)
    return LoginState(failed_logins=failed, locked_until=None)


CLEARED = LoginState(failed_logins=0, locked_until=None)
