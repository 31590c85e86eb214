"""Sessions in a SQLite file in the app's state directory, sealed with the app's own key.

A row is keyed by the SHA-256 of the session id (the file does not hold the cookie's value)
and holds the whole session (tokens, CSRF token, roles, grants, flash) sealed with AES-GCM
under a key derived from KYODO_COUNTER_SESSION_KEYS, bound to that row's key; only the time
of the last request is in the clear, for the idle purge. Keys are a list, newest first: the
newest seals, any opens (rotation as for the services' keys, docs/operations.md).

SQLite in WAL mode, one small write per request: one counter process owns the file (a
second process would need sticky sessions; the deployments run one)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kyodo_counter.sessions import Grant, Session

FILE_NAME = "counter-sessions.sqlite3"
_NONCE = 12
_PURPOSE = b"kyodo-key\x00counter-session"


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def _row_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionFile:
    def __init__(self, directory: Path, keys: Sequence[str]) -> None:
        if not keys:
            raise RuntimeError("KYODO_COUNTER_SESSION_KEYS is not set: sessions are kept on "
                               "disk only sealed, with the app's own key")
        self._aeads = [AESGCM(_key(k)) for k in keys]
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        directory.chmod(0o700)  # mkdir's mode applies only to a directory it makes
        self.path = directory / FILE_NAME
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # not readable by others
        try:
            # Also a file made by an older version or copied in by hand. SQLite gives new
            # -wal and -shm files the database file's mode; ones left by a crash keep theirs.
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
        for left in (f"{FILE_NAME}-wal", f"{FILE_NAME}-shm"):
            if (directory / left).exists():
                (directory / left).chmod(0o600)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash loses at most the last
        self._db.execute("CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, "
                         "last_seen REAL NOT NULL, sealed BLOB NOT NULL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS sessions_last_seen "
                         "ON sessions (last_seen)")

    def close(self) -> None:
        self._db.close()

    def save(self, session: Session) -> None:
        row = _row_key(session.id)
        data = asdict(session)
        data["roles"] = sorted(session.roles)
        plain = json.dumps(data, ensure_ascii=False).encode()
        nonce = os.urandom(_NONCE)
        sealed = nonce + self._aeads[0].encrypt(nonce, plain, row.encode())
        self._db.execute("INSERT INTO sessions (id_hash, last_seen, sealed) VALUES (?, ?, ?) "
                         "ON CONFLICT (id_hash) DO UPDATE SET last_seen = excluded.last_seen, "
                         "sealed = excluded.sealed", (row, session.last_seen, sealed))

    def load(self, session_id: str) -> Session | None:
        row = _row_key(session_id)
        found = self._db.execute("SELECT sealed FROM sessions WHERE id_hash = ?",
                                 (row,)).fetchone()
        if found is None:
            return None
        sealed = bytes(found[0])
        for aead in self._aeads:
            try:
                plain = aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], row.encode())
            except InvalidTag:
                continue
            try:
                return _session(json.loads(plain))
            except (TypeError, KeyError, ValueError):
                # Written by a version whose session had another shape: the clerk logs in
                # again, as after an expiry, instead of every page answering 500.
                self.delete(session_id)
                return None
        return None  # sealed under a key no longer given: as if it had ended

    def delete(self, session_id: str) -> None:
        self._db.execute("DELETE FROM sessions WHERE id_hash = ?", (_row_key(session_id),))

    def purge(self, older_than: float) -> None:
        self._db.execute("DELETE FROM sessions WHERE last_seen < ?", (older_than,))


def _session(data: dict[str, Any]) -> Session:
    fields = dict(data)
    fields["roles"] = frozenset(data["roles"])
    fields["grants"] = tuple(Grant(**g) for g in data["grants"])
    return Session(**fields)
