"""Roles of municipal staff and the scopes each role grants."""

from __future__ import annotations

from collections.abc import Iterable

from kyodo_common.errors import InvalidInput

# protected:read — home staff who serve a person under 支援措置 at the counter (the person
# comes to the counter themselves) may see them; it is never lent by a grant nor given to a
# partner client (kyodo_common.privacy).
ROLE_SCOPES: dict[str, frozenset[str]] = {
    "counter_clerk": frozenset({"residents:read", "residents:write", "certificates:issue",
                                "certificates:manage", "protected:read"}),
    "resident_registrar": frozenset({"residents:read", "residents:write", "mynumber:read",
                                     "protected:read"}),
    "tax_officer": frozenset({"tax:read", "tax:write", "residents:read", "protected:read"}),
    "certificate_issuer": frozenset({"certificates:issue", "certificates:manage",
                                     "residents:read", "tax:read", "protected:read"}),
    "disaster_support": frozenset({"disaster:read", "disaster:write", "certificates:issue"}),
    "auditor": frozenset({"audit:read"}),
    "tenant_admin": frozenset({"staff:manage", "clients:manage", "residents:read",
                               "audit:read", "grants:manage", "automation:read",
                               "automation:approve", "webhooks:manage"}),
    # Writes and runs scenarios; what a scenario may do is its own account's scopes.
    "automation_author": frozenset({"automation:read", "automation:write"}),
}


def scopes_for(roles: Iterable[str]) -> frozenset[str]:
    scopes: set[str] = set()
    for role in roles:
        scopes |= ROLE_SCOPES.get(role, frozenset())
    return frozenset(scopes)


def known_roles(roles: Iterable[str]) -> list[str]:
    """The roles, sorted and deduplicated; InvalidInput names the first unknown one."""
    unique = sorted(set(roles))
    if not unique:
        raise InvalidInput("roles", "at least one role is required")
    for role in unique:
        if role not in ROLE_SCOPES:
            raise InvalidInput("roles", f"unknown role {role!r}")
    return unique
