"""Opaque bearer secrets (refresh tokens) that name their municipality and are stored hashed."""

from __future__ import annotations

import hashlib
import secrets

from kyodo_common.tenancy import is_valid_municipality_code


def new_opaque(municipality_code: str) -> str:
    return f"{municipality_code}.{secrets.token_urlsafe(32)}"


def municipality_of(token: str) -> str | None:
    code, sep, rest = token.partition(".")
    return code if sep and rest and is_valid_municipality_code(code) else None


def digest(token: str) -> str:
    """SHA-256 suffices: the token has 256 random bits, so there is nothing to guess offline."""
    return hashlib.sha256(token.encode()).hexdigest()
