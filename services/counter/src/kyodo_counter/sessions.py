"""Server-side sessions: the cookie holds a random id only; the tokens stay in this process.

A session starts anonymous (the login form's CSRF token needs one) and gets a new id when
the clerk logs in, so an id planted before login is worth nothing after it."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field

COOKIE = "kyodo_counter"
SECURE_COOKIE = "__Host-kyodo_counter"  # bound to this host and path /, Secure required


@dataclass(frozen=True)
class Grant:
    """A support grant the clerk holds: they may act in the grantor's name until it ends."""

    municipality: str
    name: str
    valid_until: str  # ISO date-time, as identity says it


@dataclass
class Session:
    id: str
    csrf: str
    last_seen: float
    access_token: str | None = None
    refresh_token: str | None = None
    home: str = ""
    home_name: str = ""
    login: str = ""
    roles: frozenset[str] = frozenset()
    acting: str = ""
    grants: tuple[Grant, ...] = ()
    flash: list[str] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        return self.access_token is not None

    @property
    def acting_grant(self) -> Grant | None:
        """The grant the clerk acts under now; None at home."""
        return next((g for g in self.grants if g.municipality == self.acting), None)

    def acting_name(self) -> str:
        grant = self.acting_grant
        return grant.name if grant is not None else self.home_name

    def may_act_for(self, municipality: str) -> bool:
        return municipality == self.home or any(g.municipality == municipality
                                                for g in self.grants)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(session: Session, submitted: str | None) -> bool:
    """The form's token is this session's (compared in constant time)."""
    return bool(submitted) and hmac.compare_digest(session.csrf, submitted or "")


class SessionStore:
    """Sessions in memory, ended after ``idle_seconds`` without a request."""

    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self._sessions: dict[str, Session] = {}

    def start(self, now: float | None = None) -> Session:
        session = Session(id=new_token(), csrf=new_token(), last_seen=now or time.monotonic())
        self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None, now: float | None = None) -> Session | None:
        if not session_id:
            return None
        session = self._sessions.get(session_id)
        now = now or time.monotonic()
        if session is None:
            return None
        if now - session.last_seen > self.idle_seconds:
            self.end(session)
            return None
        session.last_seen = now
        return session

    def renew(self, session: Session) -> Session:
        """A new id and CSRF token for the same session (at login): the old id is dead."""
        self._sessions.pop(session.id, None)
        session.id, session.csrf = new_token(), new_token()
        self._sessions[session.id] = session
        return session

    def end(self, session: Session) -> None:
        self._sessions.pop(session.id, None)
        session.access_token = session.refresh_token = None

    def __len__(self) -> int:
        return len(self._sessions)
