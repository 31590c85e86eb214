"""Password rules for staff accounts: each rule a tiny function returning why it fails."""

from __future__ import annotations

from collections.abc import Callable

from kyodo_common.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 200


def _too_short(password: str, login: str) -> str | None:
    return f"a password has at least {MIN_LENGTH} characters" \
        if len(password) < MIN_LENGTH else None


def _too_long(password: str, login: str) -> str | None:
    return f"a password has at most {MAX_LENGTH} characters" \
        if len(password) > MAX_LENGTH else None


def _contains_login(password: str, login: str) -> str | None:
    return "a password must not contain the login" \
        if login and login.lower() in password.lower() else None


def _one_character(password: str, login: str) -> str | None:
    return "a password must not repeat one character" if len(set(password)) <= 1 else None


RULES: tuple[Callable[[str, str], str | None], ...] = (
    _too_short, _too_long, _contains_login, _one_character)


def check_password(password: str, *, login: str, field: str = "password") -> None:
    """Raise InvalidInput naming ``field`` when the password breaks a rule."""
    for rule in RULES:
        reason = rule(password, login)
        if reason:
            raise InvalidInput(field, reason)
