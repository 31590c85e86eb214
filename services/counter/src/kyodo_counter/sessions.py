"""Server-side sessions: the cookie holds a random id only; the tokens stay on the server.

A session starts anonymous (the login form's CSRF token needs one) and gets a new id when
the clerk logs in, so an id planted before login is worth nothing after it. Sessions are
kept in memory and, when the app has a state directory, written through to a SQLite file
there (kyodo_counter.session_file), sealed, so that a restart does not log the clerks out."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Protocol

COOKIE = "kyodo_counter"
PURGE_EVERY_SECONDS = 60.0
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


class Durable(Protocol):
    """Where sessions outlive the process (kyodo_counter.session_file.SessionFile)."""

    def load(self, session_id: str) -> Session | None: ...

    def save(self, session: Session) -> None: ...

    def delete(self, session_id: str) -> None: ...

    def purge(self, older_than: float) -> None: ...


class SessionStore:
    """Sessions ended after ``idle_seconds`` without a request (wall-clock seconds, so that
    the idle time counts across a restart). In memory; with ``durable``, every session
    changed during a request is written there when the request ends (``flush``) and a
    session not in memory (after a restart) is read from there."""

    def __init__(self, idle_seconds: float, durable: Durable | None = None) -> None:
        self.idle_seconds = idle_seconds
        self.durable = durable
        self._sessions: dict[str, Session] = {}
        self._changed: dict[str, Session] = {}
        self._purged_at = 0.0

    def start(self, now: float | None = None) -> Session:
        now = now or time.time()
        session = Session(id=new_token(), csrf=new_token(), last_seen=now)
        self._sessions[session.id] = session
        self._changed[session.id] = session
        if now - self._purged_at >= PURGE_EVERY_SECONDS:
            # Anyone may start a session (GET /login): without this, idle sessions that are
            # never asked for again would stay in memory for the life of the process.
            self._purged_at = now
            for idle in [s for s in self._sessions.values()
                         if now - s.last_seen > self.idle_seconds]:
                self._sessions.pop(idle.id, None)
                self._changed.pop(idle.id, None)
            if self.durable is not None:
                self.durable.purge(now - self.idle_seconds)  # the idle ones of every clerk
        return session

    def get(self, session_id: str | None, now: float | None = None) -> Session | None:
        if not session_id:
            return None
        session = self._sessions.get(session_id)
        if session is None and self.durable is not None:
            session = self.durable.load(session_id)
            if session is not None:
                self._sessions[session.id] = session
        now = now or time.time()
        if session is None:
            return None
        if now - session.last_seen > self.idle_seconds:
            self.end(session)
            return None
        session.last_seen = now
        self._changed[session.id] = session  # its last request, its flash, its tokens
        return session

    def renew(self, session: Session) -> Session:
        """A new id and CSRF token for the same session (at login): the old id is dead."""
        self._forget(session.id)
        session.id, session.csrf = new_token(), new_token()
        self._sessions[session.id] = session
        self._changed[session.id] = session
        return session

    def end(self, session: Session) -> None:
        self._forget(session.id)
        session.access_token = session.refresh_token = None

    def flush(self) -> None:
        """Write the sessions changed since the last flush (after each request)."""
        changed, self._changed = self._changed, {}
        if self.durable is None:
            return
        for session in changed.values():
            # Only a clerk's session is worth a restart: an anonymous one (the login form's
            # CSRF token) costs a second try at most, and is not written for every visitor.
            if session.id in self._sessions and session.signed_in:
                self.durable.save(session)

    def _forget(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)
        self._changed.pop(session_id, None)
        if self.durable is not None:
            self.durable.delete(session_id)

    def __len__(self) -> int:
        return len(self._sessions)
