"""Argon2 password hashing, and verification that takes as long for unknown accounts."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()
# Compared against when the login is unknown, so timing does not tell which logins exist.
_DUMMY_HASH = hasher.hash("kyodo-no-such-user")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an absent hash is checked against a dummy (same cost)."""
    try:
        return hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
